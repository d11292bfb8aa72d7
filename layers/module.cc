#include "layers/module.h"

#include <ostream>
#include <sstream>

#include "autograd/grad_mode.h"

namespace atrous::nn {
namespace {

void check_name(const std::string& name, const std::string& owner) {
  check_arg(!name.empty() && name.find('.') == std::string::npos, "register", "name '", name, "' in ", owner,
            " must be non-empty and contain no '.' (dots join the names of nested modules)");
}

}  // namespace

Tensor& Module::register_parameter(const std::string& name, Tensor tensor, const bool requires_grad) {
  check_name(name, type_name_);
  for (const auto& [n, t] : parameters_) {
    check_arg(n != name, "register_parameter", "parameter '", name, "' already exists in ", type_name_);
  }
  if (tensor.defined() && requires_grad) tensor.requires_grad_(true);
  parameters_.emplace_back(name, std::move(tensor));
  return parameters_.back().second;
}

Tensor& Module::register_buffer(const std::string& name, Tensor tensor) {
  check_name(name, type_name_);
  buffers_.emplace_back(name, std::move(tensor));
  return buffers_.back().second;
}

void Module::register_module_ptr(const std::string& name, std::shared_ptr<Module> module) {
  check_name(name, type_name_);
  check_arg(module != nullptr, "register_module", "submodule '", name, "' of ", type_name_, " is null");
  for (const auto& [n, m] : children_) {
    check_arg(n != name, "register_module", "submodule '", name, "' already exists in ", type_name_);
  }
  children_.emplace_back(name, std::move(module));
}

void Module::collect(const std::string& prefix, const bool recurse, const bool params,
                     std::vector<std::pair<std::string, Tensor>>& out) const {
  for (const auto& [n, t] : params ? parameters_ : buffers_) {
    if (t.defined()) out.emplace_back(prefix + n, t);  // an undefined slot (bias=False) is skipped
  }
  if (!recurse) return;
  for (const auto& [n, m] : children_) m->collect(prefix + n + ".", true, params, out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(const bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", recurse, true, out);
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers(const bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", recurse, false, out);
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

void Module::to(const ScalarType dtype) {
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

void Module::pretty_print(std::ostream& os) const { os << type_name_ << "()"; }

std::ostream& operator<<(std::ostream& os, const Module& module) {
  // PyTorch's repr: a leaf prints its one line; a container its name and one line per child.
  if (module.named_children().empty()) {
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
