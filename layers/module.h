// nn::Module: named parameters, buffers and submodules with PyTorch's dotted names
// (features.0.weight), train/eval mode, and PyTorch's printed form.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace atrous::nn {

class Module : public std::enable_shared_from_this<Module> {
 public:
  explicit Module(std::string type_name) : type_name_(std::move(type_name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // The class name PyTorch prints, e.g. "Conv2d".
  const std::string& name() const noexcept { return type_name_; }

  std::vector<Tensor> parameters(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>> named_buffers(bool recurse = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const noexcept {
    return children_;
  }

  virtual void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const noexcept { return training_; }

  // Converts every floating-point parameter and buffer (recursively) to `dtype` in place: handles
  // such as conv->weight keep pointing at them. Gradients are dropped.
  void to(ScalarType dtype);

  // Zeroes every parameter's accumulated gradient.
  void zero_grad();
  // Calls fn on this module and every descendant, parents first.
  void apply(const std::function<void(Module&)>& fn);

  // The line describing a module without children: "Conv2d(1, 8, kernel_size=(3, 3), ...)";
  // by default its name and "()", as PyTorch prints "ReLU()".
  virtual void pretty_print(std::ostream& os) const;

 protected:
  // Registers a tensor as a parameter (requires grad) under `name`; returns the stored handle.
  Tensor& register_parameter(const std::string& name, Tensor tensor, bool requires_grad = true);
  Tensor& register_buffer(const std::string& name, Tensor tensor);
  void register_module_ptr(const std::string& name, std::shared_ptr<Module> module);

  template <typename M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    register_module_ptr(name, module);
    return module;
  }
  // For handles (nn::Conv2d etc.): registers the module they hold.
  template <typename Holder>
  Holder register_module(const std::string& name, Holder holder)
    requires requires { holder.ptr(); }
  {
    register_module_ptr(name, holder.ptr());
    return holder;
  }

 private:
  void collect(const std::string& prefix, bool recurse, bool params,
               std::vector<std::pair<std::string, Tensor>>& out) const;

  std::string type_name_;
  bool training_ = true;
  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
};

// Prints the module and its children indented, as PyTorch's repr does.
std::ostream& operator<<(std::ostream& os, const Module& module);

}  // namespace atrous::nn
