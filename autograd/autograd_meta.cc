// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/autograd_meta.h"

namespace atrous::autograd {

AutogradMeta* meta(const Tensor& t) {
  return t.defined() ? static_cast<AutogradMeta*>(t.unsafe_impl()->autograd_meta.get()) : nullptr;
}

AutogradMeta& materialize_meta(const Tensor& t) {
  TensorImpl* impl = t.unsafe_impl();
  check_state(impl != nullptr, "autograd", "this tensor is undefined");
  if (!impl->autograd_meta) impl->autograd_meta = std::make_shared<AutogradMeta>();
  return *static_cast<AutogradMeta*>(impl->autograd_meta.get());
}

}  // namespace atrous::autograd
