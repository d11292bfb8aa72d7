// SPDX-License-Identifier: Apache-2.0
// nn::Module: named parameters, buffers and submodules with PyTorch's dotted names
// (features.0.weight), train/eval mode, and PyTorch's printed form. As in libtorch, a user
// module derives from Module, registers its parts in its constructor and is used through a
// holder (ATROUS_MODULE, module_holder.h).
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "atrous/layers/ordered_dict.h"
#include "atrous/tensor/tensor.h"

namespace atrous::nn {

class Module : public std::enable_shared_from_this<Module> {
 public:
  // A module named after its C++ type ("NetImpl"), as libtorch names it.
  Module() = default;
  // A module with an explicit name: built-in layers use PyTorch's ("Conv2d").
  explicit Module(std::string name) : name_(std::move(name)) {}
  virtual ~Module() = default;
  Module(const Module&) = default;
  Module& operator=(const Module&) = default;
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;

  // The name given to the constructor, or the demangled dynamic type.
  const std::string& name() const;

  std::vector<Tensor> parameters(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_buffers(bool recurse = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_children() const { return children_; }
  // This module and every descendant, parents first; named with dotted paths ("" for this one).
  std::vector<std::shared_ptr<Module>> modules(bool include_self = true);
  OrderedDict<std::string, std::shared_ptr<Module>> named_modules(const std::string& name_prefix = "",
                                                                  bool include_self = true);

  virtual void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const noexcept { return training_; }

  // Converts every floating-point parameter and buffer (recursively) to `dtype` in place: handles
  // such as conv->weight keep pointing at them. Gradients are dropped.
  void to(ScalarType dtype, bool non_blocking = false);
  // Device-generic libtorch code compiles: kCPU is accepted, any other device refused.
  void to(const Device& device, bool non_blocking = false);
  void to(const Device& device, ScalarType dtype, bool non_blocking = false);

  // Zeroes every parameter's accumulated gradient.
  void zero_grad();
  // Calls fn on this module and every descendant, parents first.
  void apply(const std::function<void(Module&)>& fn);

  // A deep copy: new parameters and buffers holding the same values. Built-in modules and
  // modules deriving from nn::Cloneable<Self> implement it; others throw, as in libtorch.
  virtual std::shared_ptr<Module> clone() const;

  // This module as `T` (an Impl type or its holder), or nullptr if it is not one.
  template <typename T>
  auto* as() noexcept {
    if constexpr (requires { typename T::ContainedType; }) {
      return dynamic_cast<typename T::ContainedType*>(this);
    } else {
      return dynamic_cast<T*>(this);
    }
  }

  // The line describing a module without children: "Conv2d(1, 8, kernel_size=(3, 3), ...)";
  // by default its name and "()", as PyTorch prints "ReLU()".
  virtual void pretty_print(std::ostream& os) const;

  // Registers a tensor as a parameter (requires grad) under `name`; returns the stored handle.
  Tensor& register_parameter(const std::string& name, Tensor tensor, bool requires_grad = true);
  Tensor& register_buffer(const std::string& name, Tensor tensor);

  template <typename M>
  requires std::is_base_of_v<Module, M> std::shared_ptr<M> register_module(const std::string& name,
                                                                           std::shared_ptr<M> module) {
    register_module_ptr(name, module);
    return module;
  }
  // For handles (nn::Conv2d etc.): registers the module they hold.
  template <typename Holder>
  requires requires(const Holder& h) { h.ptr(); }
  Holder register_module(const std::string& name, Holder holder) {
    register_module_ptr(name, holder.ptr());
    return holder;
  }
  // Replaces the submodule `name` (which must exist), as libtorch's replace_module.
  template <typename Holder>
  requires requires(const Holder& h) { h.ptr(); }
  Holder replace_module(const std::string& name, Holder holder) {
    replace_module_ptr(name, holder.ptr());
    return holder;
  }

 protected:
  void register_module_ptr(const std::string& name, std::shared_ptr<Module> module);
  void replace_module_ptr(const std::string& name, std::shared_ptr<Module> module);
  // Copies the values of every parameter and buffer and the training flag of `original`, a
  // module of the same structure, recursively.
  void copy_state_from(const Module& original);

  // For Cloneable: the registered parts, by name.
  OrderedDict<std::string, Tensor> parameters_{"Parameter"};
  OrderedDict<std::string, Tensor> buffers_{"Buffer"};
  OrderedDict<std::string, std::shared_ptr<Module>> children_{"Submodule"};

 private:
  void collect(const std::string& prefix, bool recurse, bool params, OrderedDict<std::string, Tensor>& out) const;

  mutable std::string name_;
  bool training_ = true;
};

// Prints the module and its children indented, as PyTorch's repr does.
std::ostream& operator<<(std::ostream& os, const Module& module);

// The base of modules that can be deep-copied, as libtorch's nn::Cloneable: Derived puts all
// its registration in reset(), which its constructor calls; clone() copies Derived, re-runs
// reset() on the copy and copies every parameter's and buffer's values into it.
template <typename Derived>
class Cloneable : public Module {
 public:
  using Module::Module;

  // (Re)creates the parameters, buffers and submodules.
  virtual void reset() = 0;

  std::shared_ptr<Module> clone() const override {
    auto copy = std::make_shared<Derived>(static_cast<const Derived&>(*this));
    copy->parameters_.clear();
    copy->buffers_.clear();
    copy->children_.clear();
    copy->reset();
    copy->copy_state_from(*this);
    return copy;
  }
};

}  // namespace atrous::nn
