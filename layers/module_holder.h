// SPDX-License-Identifier: Apache-2.0
// ModuleHolder<Impl>: the cheap shared handle every module type is used through, as in
// libtorch: `nn::Conv2d conv(options); conv(x); conv->weight;`. ATROUS_MODULE(Net) declares the
// holder Net of a module NetImpl (libtorch's TORCH_MODULE); subclassing ModuleHolder<NetImpl>
// and inheriting its constructors does the same without a macro.
#pragma once

#include <memory>
#include <ostream>
#include <stdexcept>
#include <utility>

#include "atrous/layers/module.h"

namespace atrous::nn {

template <typename Impl>
class ModuleHolder {
 public:
  using ContainedType = Impl;

  // Constructs the module from its constructor arguments.
  template <typename... Args>
  requires std::is_constructible_v<Impl, Args...>
  explicit ModuleHolder(Args&&... args) : impl_(std::make_shared<Impl>(std::forward<Args>(args)...)) {}
  // An empty handle, to be assigned later; using it raises a clear error.
  ModuleHolder(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): mirrors libtorch
  explicit ModuleHolder(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

  Impl* operator->() const { return get(); }
  Impl& operator*() const { return *get(); }
  Impl* get() const {
    if (impl_ == nullptr) throw_empty();
    return impl_.get();
  }
  const std::shared_ptr<Impl>& ptr() const {
    get();
    return impl_;
  }
  bool is_empty() const noexcept { return impl_ == nullptr; }

  template <typename... Args>
  decltype(auto) operator()(Args&&... args) const {
    return get()->forward(std::forward<Args>(args)...);
  }

 private:
  [[noreturn]] static void throw_empty() {
    throw std::runtime_error(
        "ModuleHolder: accessing an empty module handle (constructed from nullptr); assign a "
        "module to it first");
  }
  std::shared_ptr<Impl> impl_;
};

// The handle of a module whose constructor needs no arguments: default-constructible, as in
// libtorch (nn::ReLU relu;).
template <typename Impl>
class DefaultModuleHolder : public ModuleHolder<Impl> {
 public:
  using ModuleHolder<Impl>::ModuleHolder;
  DefaultModuleHolder() : ModuleHolder<Impl>(std::make_shared<Impl>()) {}
};

template <typename Impl>
std::ostream& operator<<(std::ostream& os, const ModuleHolder<Impl>& holder) {
  return os << static_cast<const Module&>(*holder);
}

}  // namespace atrous::nn

#define ATROUS_MODULE(Name)                                     \
  class Name : public ::atrous::nn::ModuleHolder<Name##Impl> {  \
   public:                                                      \
    using ::atrous::nn::ModuleHolder<Name##Impl>::ModuleHolder; \
  }
