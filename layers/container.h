// Sequential and ModuleList. Submodules are named "0", "1", … as in PyTorch, so parameter
// names match a PyTorch state dict ("features.3.weight").
#pragma once

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "layers/module.h"
#include "layers/module_holder.h"

namespace atrous::nn {

// A module and the call of its forward, so Sequential can hold any module type without
// libtorch's AnyModule type erasure.
struct AnyForward {
  std::shared_ptr<Module> module;
  std::function<Tensor(const Tensor&)> forward;
};

template <typename Holder>
AnyForward any_forward(const Holder& holder) {
  auto impl = holder.ptr();
  return {impl, [impl](const Tensor& x) { return impl->forward(x); }};
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
  const std::shared_ptr<Module>& operator[](std::size_t i) const;
  const std::vector<AnyForward>& layers() const noexcept { return layers_; }

 private:
  std::vector<AnyForward> layers_;
};

class Sequential : public ModuleHolder<SequentialImpl> {
 public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
  Sequential() : ModuleHolder<SequentialImpl>(std::make_shared<SequentialImpl>()) {}
};

class ModuleListImpl : public Module {
 public:
  ModuleListImpl() : Module("ModuleList") {}
  template <typename Holder>
  void push_back(const Holder& holder) {
    append(any_forward(holder));
  }
  void append(AnyForward module);
  std::size_t size() const noexcept { return modules_.size(); }
  const AnyForward& operator[](std::size_t i) const;

 private:
  std::vector<AnyForward> modules_;
};

class ModuleList : public ModuleHolder<ModuleListImpl> {
 public:
  using ModuleHolder<ModuleListImpl>::ModuleHolder;
  ModuleList() : ModuleHolder<ModuleListImpl>(std::make_shared<ModuleListImpl>()) {}
};

}  // namespace atrous::nn
