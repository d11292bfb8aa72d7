// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/module.h"

#include <memory>
#include <ostream>
#include <sstream>
#include <typeinfo>

#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/device.h"

namespace atrous::nn {
namespace {

void check_name(const std::string& name, const std::string& owner) {
  check_arg(!name.empty() && name.find('.') == std::string::npos, "register", "name '", name, "' in ", owner,
            " must be non-empty and contain no '.' (dots join the names of nested modules)");
}

}  // namespace

Tensor& Module::register_parameter(const std::string& name, Tensor tensor, const bool requires_grad) {
  check_name(name, this->name());
  check_arg(!parameters_.contains(name), "register_parameter", "parameter '", name, "' already exists in ",
            this->name());
  if (tensor.defined() && requires_grad) tensor.requires_grad_(true);
  return parameters_.insert(name, std::move(tensor));
}

Tensor& Module::register_buffer(const std::string& name, Tensor tensor) {
  check_name(name, this->name());
  check_arg(!buffers_.contains(name), "register_buffer", "buffer '", name, "' already exists in ", this->name());
  return buffers_.insert(name, std::move(tensor));
}

void Module::register_module_ptr(const std::string& name, std::shared_ptr<Module> module) {
  check_name(name, this->name());
  check_arg(module != nullptr, "register_module", "submodule '", name, "' of ", this->name(), " is null");
  check_arg(!children_.contains(name), "register_module", "submodule '", name, "' already exists in ", this->name());
  children_.insert(name, std::move(module));
}

void Module::replace_module_ptr(const std::string& name, std::shared_ptr<Module> module) {
  check_arg(children_.contains(name), "replace_module", "there is no submodule '", name, "' in ", this->name(),
            " to replace");
  check_arg(module != nullptr, "replace_module", "the new submodule '", name, "' of ", this->name(), " is null");
  children_[name] = std::move(module);
}

const std::string& Module::name() const {
  if (name_.empty()) name_ = demangled_name(typeid(*this));
  return name_;
}

void Module::collect(const std::string& prefix, const bool recurse, const bool params,
                     OrderedDict<std::string, Tensor>& out) const {
  for (const auto& [n, t] : params ? parameters_ : buffers_) {
    if (t.defined()) out.insert(prefix + n, t);  // an undefined slot (bias=False) is skipped
  }
  if (!recurse) return;
  for (const auto& [n, m] : children_) m->collect(prefix + n + ".", true, params, out);
}

OrderedDict<std::string, Tensor> Module::named_parameters(const bool recurse) const {
  OrderedDict<std::string, Tensor> out("Parameter");
  collect("", recurse, true, out);
  return out;
}

OrderedDict<std::string, Tensor> Module::named_buffers(const bool recurse) const {
  OrderedDict<std::string, Tensor> out("Buffer");
  collect("", recurse, false, out);
  return out;
}

std::vector<std::shared_ptr<Module>> Module::modules(const bool include_self) {
  return named_modules("", include_self).values();
}

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_modules(const std::string& name_prefix,
                                                                        const bool include_self) {
  OrderedDict<std::string, std::shared_ptr<Module>> out("Module");
  if (include_self) out.insert(name_prefix, shared_from_this());
  for (const auto& [n, m] : children_) {
    for (auto& [path, module] : m->named_modules(name_prefix.empty() ? n : name_prefix + "." + n, true)) {
      out.insert(path, module);
    }
  }
  return out;
}

std::vector<Tensor> Module::parameters(const bool recurse) const {
  std::vector<Tensor> out;
  for (auto& [n, t] : named_parameters(recurse)) out.push_back(t);
  return out;
}

std::vector<Tensor> Module::buffers(const bool recurse) const {
  std::vector<Tensor> out;
  for (auto& [n, t] : named_buffers(recurse)) out.push_back(t);
  return out;
}

std::vector<std::shared_ptr<Module>> Module::children() const {
  std::vector<std::shared_ptr<Module>> out;
  for (const auto& [n, m] : children_) out.push_back(m);
  return out;
}

void Module::train(const bool on) {
  training_ = on;
  for (const auto& [n, m] : children_) m->train(on);
}

void Module::to(const Device& device, const bool /*non_blocking*/) { check_cpu_device(device, "Module::to"); }

void Module::to(const Device& device, const ScalarType dtype, const bool non_blocking) {
  to(device, non_blocking);
  to(dtype, non_blocking);
}

void Module::to(const ScalarType dtype, const bool /*non_blocking*/) {
  const NoGradGuard no_grad;
  for (auto* slots : {&parameters_, &buffers_}) {
    for (auto& [n, t] : *slots) {
      if (!t.defined() || !is_floating(t.dtype()) || t.dtype() == dtype) continue;
      const Tensor converted = t.to(dtype);
      TensorImpl* impl = t.unsafe_impl();  // shared with every handle to this parameter
      impl->storage = converted.unsafe_impl()->storage;
      impl->offset = 0;
      impl->sizes = converted.sizes();
      impl->strides = converted.strides();
      impl->dtype = dtype;
      if (t.grad().defined()) t.mutable_grad() = Tensor();
    }
  }
  for (const auto& [n, m] : children_) m->to(dtype);
}

void Module::zero_grad() {
  for (Tensor& p : parameters()) p.zero_grad();
}

void Module::apply(const std::function<void(Module&)>& fn) {
  fn(*this);
  for (const auto& [n, m] : children_) m->apply(fn);
}

std::shared_ptr<Module> Module::clone() const {
  throw std::logic_error("clone: " + name() + " does not implement clone(); derive it from nn::Cloneable<" + name() +
                         "> and create its parameters and submodules in reset(), as in libtorch");
}

void Module::copy_state_from(const Module& original) {
  const NoGradGuard no_grad;
  const auto copy_slots = [&](OrderedDict<std::string, Tensor>& mine, const OrderedDict<std::string, Tensor>& theirs) {
    check_arg(mine.keys() == theirs.keys(), "clone", name(),
              "::reset() registered other parameters or buffers than the original holds");
    for (auto& [n, t] : mine) {
      const Tensor& source = theirs[n];
      if (!t.defined() || !source.defined()) {
        check_arg(t.defined() == source.defined(), "clone", name(), "::reset() left '", n, "' ",
                  t.defined() ? "defined" : "undefined", " unlike the original");
        continue;
      }
      check_arg(t.sizes() == source.sizes(), "clone", "'", n, "' of ", name(), " has shape ", shape_str(t.sizes()),
                " after reset() but ", shape_str(source.sizes()), " in the original");
      t.copy_(source);
    }
  };
  copy_slots(parameters_, original.parameters_);
  copy_slots(buffers_, original.buffers_);
  check_arg(children_.keys() == original.children_.keys(), "clone", name(),
            "::reset() registered other submodules than the original holds");
  for (auto& [n, m] : children_) m->copy_state_from(*original.children_[n]);
  training_ = original.training_;
}

void Module::pretty_print(std::ostream& os) const { os << name() << "()"; }

std::ostream& operator<<(std::ostream& os, const Module& module) {
  // PyTorch's repr: a leaf prints its one line; a container its name and one line per child.
  if (module.named_children().is_empty()) {
    module.pretty_print(os);
    return os;
  }
  os << module.name() << "(\n";
  for (const auto& [name, child] : module.named_children()) {
    std::ostringstream inner;
    inner << *child;
    std::string text = inner.str(), indented;
    for (const char c : text) indented += c == '\n' ? std::string("\n  ") : std::string(1, c);
    os << "  (" << name << "): " << indented << "\n";
  }
  return os << ")";
}

}  // namespace atrous::nn
