// SPDX-License-Identifier: Apache-2.0
// The autograd members of Tensor: requires_grad, grad, grad_fn, backward, detach, printing.
#include <ostream>

#include "atrous/autograd/autograd_meta.h"
#include "atrous/autograd/engine.h"
#include "atrous/autograd/grad_mode.h"
#include "atrous/autograd/node.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/print.h"

namespace atrous {

using autograd::materialize_meta;
using autograd::meta;

const Tensor& Tensor::requires_grad_(const bool requires_grad) const {
  if (requires_grad) {
    check_arg(is_floating(dtype()), "requires_grad_", "only floating-point tensors can require gradients, got ",
              dtype_name(dtype()));
  } else {
    check_arg(is_leaf(), "requires_grad_", "cannot turn off requires_grad on a non-leaf tensor (it has grad_fn ",
              grad_fn()->name(), "); use detach() for a tensor outside the graph");
  }
  if (requires_grad || meta(*this)) materialize_meta(*this).requires_grad = requires_grad;
  return *this;
}

bool Tensor::requires_grad() const {
  const autograd::AutogradMeta* m = meta(*this);
  return m != nullptr && (m->requires_grad || m->grad_fn);
}

const Tensor& Tensor::grad() const {
  static const Tensor undefined;
  const autograd::AutogradMeta* m = meta(*this);
  return m ? m->grad : undefined;
}

Tensor& Tensor::mutable_grad() { return materialize_meta(*this).grad; }

void Tensor::zero_grad() {
  autograd::AutogradMeta* m = meta(*this);
  if (m && m->grad.defined()) m->grad.zero_();
}

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  const autograd::AutogradMeta* m = meta(*this);
  return m ? m->grad_fn : nullptr;
}

bool Tensor::is_leaf() const { return grad_fn() == nullptr; }

void Tensor::backward(const Tensor& gradient, const bool retain_graph) const {
  autograd::backward({*this}, {gradient}, retain_graph);
}

Tensor Tensor::detach() const { return native::as_strided(*this, sizes(), strides(), storage_offset()); }

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "[ Tensor (undefined) ]";
  std::vector<std::string> suffixes;
  if (const auto fn = t.grad_fn())
    suffixes.push_back("grad_fn=<" + fn->name() + ">");
  else if (t.requires_grad())
    suffixes.emplace_back("requires_grad=True");
  return os << tensor_repr(t, suffixes);
}

}  // namespace atrous
