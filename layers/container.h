// SPDX-License-Identifier: Apache-2.0
// Containers: Sequential, ModuleList, ModuleDict, and Functional (a function as a module).
// Submodules of Sequential and ModuleList are named "0", "1", … as in PyTorch, so parameter
// names match a PyTorch state dict ("features.3.weight").
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"

namespace atrous::nn {

// A module and how to call its forward: Sequential holds any module type this way, without
// libtorch's AnyModule type erasure. The call takes the module, so a clone reuses it.
struct AnyForward {
  std::shared_ptr<Module> module;
  std::function<Tensor(Module&, const Tensor&)> call;
  Tensor forward(const Tensor& x) const { return call(*module, x); }
};

// `module` as a T (an Impl type), or an error naming the container `op` and which entry it was.
template <typename T>
std::shared_ptr<T> module_as(const std::shared_ptr<Module>& module, const char* op, const std::string& which) {
  auto typed = std::dynamic_pointer_cast<T>(module);
  check_arg(typed != nullptr, op, "module ", which, " is a ", module->name(), ", not the type asked for");
  return typed;
}

template <typename Holder>
AnyForward any_forward(const Holder& holder) {
  using Impl = typename Holder::ContainedType;
  return {holder.ptr(), [](Module& m, const Tensor& x) { return static_cast<Impl&>(m).forward(x); }};
}

class SequentialImpl : public Module {
 public:
  SequentialImpl() : Module("Sequential") {}
  template <typename... Holders>
  explicit SequentialImpl(const Holders&... modules) : Module("Sequential") {
    (push_back(modules), ...);
  }

  template <typename Holder>
  void push_back(const Holder& holder) {
    append(any_forward(holder));
  }
  void append(AnyForward module);

  // Applies every module in order.
  Tensor forward(const Tensor& input);
  std::size_t size() const noexcept { return layers_.size(); }
  bool is_empty() const noexcept { return layers_.empty(); }
  const std::shared_ptr<Module>& operator[](std::size_t i) const;
  // The i-th module as its Impl type (libtorch's ptr<T>), or an error naming both types.
  template <typename T>
  std::shared_ptr<T> ptr(std::size_t i) const {
    return module_as<T>((*this)[i], "Sequential::ptr", std::to_string(i));
  }
  const std::vector<AnyForward>& layers() const noexcept { return layers_; }
  std::shared_ptr<Module> clone() const override;

 private:
  std::vector<AnyForward> layers_;
};

class Sequential : public ModuleHolder<SequentialImpl> {
 public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
  Sequential() : ModuleHolder<SequentialImpl>(std::make_shared<SequentialImpl>()) {}
};

// An ordered list of modules that it does not call itself: the owner decides how to use them.
class ModuleListImpl : public Module {
 public:
  ModuleListImpl() : Module("ModuleList") {}
  template <typename... Holders>
  explicit ModuleListImpl(const Holders&... modules) : Module("ModuleList") {
    (push_back(modules), ...);
  }
  template <typename Holder>
  requires requires(const Holder& h) { h.ptr(); }
  void push_back(const Holder& holder) { push_back(std::static_pointer_cast<Module>(holder.ptr())); }
  void push_back(std::shared_ptr<Module> module);

  std::size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  const std::shared_ptr<Module>& operator[](std::size_t i) const;
  template <typename T>
  std::shared_ptr<T> ptr(std::size_t i) const {
    return module_as<T>((*this)[i], "ModuleList::ptr", std::to_string(i));
  }
  auto begin() const noexcept { return modules_.begin(); }
  auto end() const noexcept { return modules_.end(); }
  std::shared_ptr<Module> clone() const override;

 private:
  std::vector<std::shared_ptr<Module>> modules_;
};

class ModuleList : public ModuleHolder<ModuleListImpl> {
 public:
  using ModuleHolder<ModuleListImpl>::ModuleHolder;
  ModuleList() : ModuleHolder<ModuleListImpl>(std::make_shared<ModuleListImpl>()) {}
};

// Modules by name, in insertion order.
class ModuleDictImpl : public Module {
 public:
  ModuleDictImpl() : Module("ModuleDict") {}
  explicit ModuleDictImpl(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules);
  explicit ModuleDictImpl(const OrderedDict<std::string, std::shared_ptr<Module>>& modules);

  // Adds `module` under `key`, replacing a module already there.
  void update(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules);
  void insert(const std::string& key, std::shared_ptr<Module> module);
  template <typename Holder>
  requires requires(const Holder& h) { h.ptr(); }
  void insert(const std::string& key, const Holder& holder) {
    insert(key, std::static_pointer_cast<Module>(holder.ptr()));
  }
  std::shared_ptr<Module> pop(const std::string& key);
  void clear() { children_.clear(); }

  std::size_t size() const noexcept { return children_.size(); }
  bool empty() const noexcept { return children_.is_empty(); }
  bool contains(const std::string& key) const noexcept { return children_.contains(key); }
  std::vector<std::string> keys() const { return children_.keys(); }
  std::vector<std::shared_ptr<Module>> values() const { return children_.values(); }
  const std::shared_ptr<Module>& operator[](const std::string& key) const;
  template <typename T>
  std::shared_ptr<T> at(const std::string& key) const {
    return module_as<T>((*this)[key], "ModuleDict::at", "'" + key + "'");
  }
  auto begin() const noexcept { return children_.begin(); }
  auto end() const noexcept { return children_.end(); }
  std::shared_ptr<Module> clone() const override;
};

class ModuleDict : public ModuleHolder<ModuleDictImpl> {
 public:
  using ModuleHolder<ModuleDictImpl>::ModuleHolder;
  ModuleDict() : ModuleHolder<ModuleDictImpl>(std::make_shared<ModuleDictImpl>()) {}
  // dict["name"], as libtorch's holder offers.
  const std::shared_ptr<Module>& operator[](const std::string& key) const { return (*get())[key]; }
};

// A function of one tensor as a module, for Sequential: Functional(atrous::relu), or a function
// and the arguments that follow the input: Functional(F::max_pool2d, F::MaxPool2dFuncOptions(2)).
class FunctionalImpl : public Cloneable<FunctionalImpl> {
 public:
  using Function = std::function<Tensor(Tensor)>;
  explicit FunctionalImpl(Function function);
  template <typename F, typename A, typename... Rest>
  FunctionalImpl(F function, A&& first, Rest&&... rest)
      : FunctionalImpl(
            Function([function, args = std::make_tuple(std::forward<A>(first), std::forward<Rest>(rest)...)](Tensor x) {
              return std::apply([&](const auto&... a) { return Tensor(function(x, a...)); }, args);
            })) {}
  void reset() override {}
  Tensor forward(Tensor input) { return function_(std::move(input)); }
  Tensor operator()(Tensor input) { return forward(std::move(input)); }

 private:
  Function function_;
};

class Functional : public ModuleHolder<FunctionalImpl> {
 public:
  using ModuleHolder<FunctionalImpl>::ModuleHolder;
};

}  // namespace atrous::nn
