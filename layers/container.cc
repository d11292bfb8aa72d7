#include "layers/container.h"

#include <string>

namespace atrous::nn {

void SequentialImpl::append(AnyForward module) {
  register_module_ptr(std::to_string(layers_.size()), module.module);
  layers_.push_back(std::move(module));
}

Tensor SequentialImpl::forward(const Tensor& input) {
  Tensor x = input;
  for (const AnyForward& layer : layers_) x = layer.forward(x);
  return x;
}

const std::shared_ptr<Module>& SequentialImpl::operator[](const std::size_t i) const {
  check_arg(i < layers_.size(), "Sequential", "index ", i, " is out of range for ", layers_.size(), " modules");
  return layers_[i].module;
}

void ModuleListImpl::append(AnyForward module) {
  register_module_ptr(std::to_string(modules_.size()), module.module);
  modules_.push_back(std::move(module));
}

const AnyForward& ModuleListImpl::operator[](const std::size_t i) const {
  check_arg(i < modules_.size(), "ModuleList", "index ", i, " is out of range for ", modules_.size(), " modules");
  return modules_[i];
}

}  // namespace atrous::nn
