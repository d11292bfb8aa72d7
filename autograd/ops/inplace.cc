// SPDX-License-Identifier: Apache-2.0
// In-place writes: copy_, fill_, zero_, add_, sub_, mul_, div_ and the random refills. They bump the storage version,
// so saved tensors notice them, and are refused where they would silently break the graph.
#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/random.h"

namespace atrous {
namespace {

// PyTorch allows in-place ops on non-leaf tensors by rewriting their history; atrous keeps
// the graph immutable and says so instead.
void check_writable(const Tensor& t, const char* op, const Tensor& src = Tensor()) {
  // A stride-0 dimension (from expand) makes several elements one memory location: the result
  // would depend on the order of the writes, so it is refused, as PyTorch does.
  for (std::int64_t d = 0; d < t.dim(); ++d) {
    check_arg(t.size(d) <= 1 || t.strides()[static_cast<std::size_t>(d)] != 0, op,
              "more than one element of the written-to tensor refers to a single memory location (shape ",
              shape_str(t.sizes()), ", strides ", shape_str(t.strides()), "); clone() it before writing to it");
  }
  if (!GradMode::is_enabled()) return;
  check_state(!t.requires_grad(), op,
              t.is_leaf() ? "a leaf tensor that requires grad" : "a tensor that is part of the graph", " (shape ",
              shape_str(t.sizes()),
              ") cannot be modified in place while grad mode is on; wrap the update "
              "in NoGradGuard (as optimizers do) or use the out-of-place op");
  check_state(!src.defined() || !src.requires_grad(), op,
              "the source requires grad but in-place ops record no graph; "
              "use the out-of-place op, or detach() the source");
}

void bump(const Tensor& t) { t.unsafe_impl()->storage->bump_version(); }

// self = self OP other in one pass over self; through a temporary where other shares self's
// memory (a shifted view would read values already overwritten).
void write_in_place(const Tensor& self, const native::BinaryOp op, const Tensor& other, const char* name) {
  check_arg(broadcast_shapes(self.sizes(), other.sizes(), name) == self.sizes(), name, "the result of shape ",
            shape_str(broadcast_shapes(self.sizes(), other.sizes(), name)), " does not fit the written-to shape ",
            shape_str(self.sizes()));
  if (other.unsafe_impl()->storage == self.unsafe_impl()->storage) {
    native::copy_into(self, native::binary(op, self, other));
  } else {
    native::binary_into(op, self, self, other);
  }
}

}  // namespace

const Tensor& Tensor::copy_(const Tensor& src) const {
  check_writable(*this, "copy_", src);
  // A source that shares memory with the destination is read through a copy first.
  const bool alias = src.unsafe_impl()->storage == unsafe_impl()->storage;
  native::copy_into(*this, alias ? native::clone(src) : src);
  bump(*this);
  return *this;
}

const Tensor& Tensor::fill_(const Scalar& value) const {
  check_writable(*this, "fill_");
  native::copy_into(*this, full({}, value, dtype()));
  bump(*this);
  return *this;
}

const Tensor& Tensor::zero_() const { return fill_(0.0); }

const Tensor& Tensor::add_(const Tensor& other, const double alpha) const {
  check_writable(*this, "add_", other);
  const Tensor scaled =
      alpha == 1.0 ? other : native::binary(native::BinaryOp::Mul, other, full({}, alpha, other.dtype()));
  write_in_place(*this, native::BinaryOp::Add, scaled, "add_");
  bump(*this);
  return *this;
}

const Tensor& Tensor::add_(const Scalar& other) const { return add_(full({}, other, dtype())); }
const Tensor& Tensor::sub_(const Tensor& other, const double alpha) const { return add_(other, -alpha); }
const Tensor& Tensor::sub_(const Scalar& other) const { return add_(full({}, other, dtype()), -1.0); }

namespace {

// this = this OP other, written in place.
const Tensor& apply_in_place(const Tensor& self, const native::BinaryOp op, const Tensor& other, const char* name) {
  check_writable(self, name, other);
  write_in_place(self, op, other, name);
  bump(self);
  return self;
}

}  // namespace

const Tensor& Tensor::mul_(const Tensor& other) const {
  return apply_in_place(*this, native::BinaryOp::Mul, other, "mul_");
}
const Tensor& Tensor::mul_(const Scalar& factor) const { return mul_(full({}, factor, dtype())); }
const Tensor& Tensor::div_(const Tensor& other) const {
  return apply_in_place(*this, native::BinaryOp::Div, other, "div_");
}
const Tensor& Tensor::div_(const Scalar& divisor) const { return div_(full({}, divisor, dtype())); }

const Tensor& Tensor::uniform_(const double from, const double to) const {
  check_writable(*this, "uniform_");
  native::copy_into(*this, uniform(sizes(), from, to, dtype()));
  bump(*this);
  return *this;
}

const Tensor& Tensor::normal_(const double mean, const double std) const {
  check_writable(*this, "normal_");
  native::copy_into(*this, normal(sizes(), mean, std, dtype()));
  bump(*this);
  return *this;
}

const Tensor& Tensor::bernoulli_(const double p) const {
  check_writable(*this, "bernoulli_");
  native::copy_into(*this, bernoulli(sizes(), p, dtype()));
  bump(*this);
  return *this;
}

}  // namespace atrous
