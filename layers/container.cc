// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/container.h"

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

std::shared_ptr<Module> SequentialImpl::clone() const {
  auto copy = std::make_shared<SequentialImpl>();
  for (const AnyForward& layer : layers_) copy->append({layer.module->clone(), layer.call});
  copy->train(is_training());
  return copy;
}

void ModuleListImpl::push_back(std::shared_ptr<Module> module) {
  register_module_ptr(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
}

const std::shared_ptr<Module>& ModuleListImpl::operator[](const std::size_t i) const {
  check_arg(i < modules_.size(), "ModuleList", "index ", i, " is out of range for ", modules_.size(), " modules");
  return modules_[i];
}

std::shared_ptr<Module> ModuleListImpl::clone() const {
  auto copy = std::make_shared<ModuleListImpl>();
  for (const auto& module : modules_) copy->push_back(module->clone());
  copy->train(is_training());
  return copy;
}

ModuleDictImpl::ModuleDictImpl(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules)
    : Module("ModuleDict") {
  update(modules);
}

ModuleDictImpl::ModuleDictImpl(const OrderedDict<std::string, std::shared_ptr<Module>>& modules)
    : ModuleDictImpl(modules.pairs()) {}

void ModuleDictImpl::update(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules) {
  for (const auto& [key, module] : modules) insert(key, module);
}

void ModuleDictImpl::insert(const std::string& key, std::shared_ptr<Module> module) {
  if (children_.contains(key)) {
    replace_module_ptr(key, std::move(module));
  } else {
    register_module_ptr(key, std::move(module));
  }
}

std::shared_ptr<Module> ModuleDictImpl::pop(const std::string& key) {
  auto module = (*this)[key];
  OrderedDict<std::string, std::shared_ptr<Module>> rest("Submodule");
  for (auto& [k, m] : children_) {
    if (k != key) rest.insert(k, m);
  }
  children_ = std::move(rest);
  return module;
}

const std::shared_ptr<Module>& ModuleDictImpl::operator[](const std::string& key) const {
  const auto* found = children_.find(key);
  if (found == nullptr) {
    std::string keys;
    for (const auto& k : children_.keys()) keys += (keys.empty() ? "" : ", ") + k;
    check_arg(false, "ModuleDict", "no module named '", key, "'; its keys are [", keys, "]");
  }
  return *found;
}

std::shared_ptr<Module> ModuleDictImpl::clone() const {
  auto copy = std::make_shared<ModuleDictImpl>();
  for (const auto& [key, module] : children_) copy->insert(key, module->clone());
  copy->train(is_training());
  return copy;
}

FunctionalImpl::FunctionalImpl(Function function) : Cloneable("Functional"), function_(std::move(function)) {
  check_arg(static_cast<bool>(function_), "Functional", "the function is empty");
}

}  // namespace atrous::nn
