// SPDX-License-Identifier: Apache-2.0
// Comparisons, logical ops and selections: bool results carry no gradient; where() and
// masked_fill() pass the gradient to the values they chose.
#include "atrous/tensor/ops/compare.h"
#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/reduce.h"

namespace atrous {
namespace {

using native::CompareOp;

// A number compares in a floating tensor's dtype (as PyTorch casts it), and with an integer or
// bool tensor as float64 or int64, so `mask == 2` is false rather than 2 cast to true.
Tensor compare_with_scalar(const CompareOp op, const Tensor& a, const Scalar& b) {
  const ScalarType t = is_floating(a.dtype()) ? a.dtype() : b.isFloatingPoint() ? kFloat64 : kInt64;
  return native::compare(op, a, full({}, b, t));
}

}  // namespace

Tensor Tensor::eq(const Tensor& other) const { return native::compare(CompareOp::Eq, *this, other); }
Tensor Tensor::eq(const Scalar& other) const { return compare_with_scalar(CompareOp::Eq, *this, other); }
Tensor Tensor::ne(const Tensor& other) const { return native::compare(CompareOp::Ne, *this, other); }
Tensor Tensor::ne(const Scalar& other) const { return compare_with_scalar(CompareOp::Ne, *this, other); }
Tensor Tensor::lt(const Tensor& other) const { return native::compare(CompareOp::Lt, *this, other); }
Tensor Tensor::lt(const Scalar& other) const { return compare_with_scalar(CompareOp::Lt, *this, other); }
Tensor Tensor::le(const Tensor& other) const { return native::compare(CompareOp::Le, *this, other); }
Tensor Tensor::le(const Scalar& other) const { return compare_with_scalar(CompareOp::Le, *this, other); }
Tensor Tensor::gt(const Tensor& other) const { return native::compare(CompareOp::Gt, *this, other); }
Tensor Tensor::gt(const Scalar& other) const { return compare_with_scalar(CompareOp::Gt, *this, other); }
Tensor Tensor::ge(const Tensor& other) const { return native::compare(CompareOp::Ge, *this, other); }
Tensor Tensor::ge(const Scalar& other) const { return compare_with_scalar(CompareOp::Ge, *this, other); }

Tensor eq(const Tensor& a, const Tensor& b) { return a.eq(b); }
Tensor ne(const Tensor& a, const Tensor& b) { return a.ne(b); }
Tensor lt(const Tensor& a, const Tensor& b) { return a.lt(b); }
Tensor le(const Tensor& a, const Tensor& b) { return a.le(b); }
Tensor gt(const Tensor& a, const Tensor& b) { return a.gt(b); }
Tensor ge(const Tensor& a, const Tensor& b) { return a.ge(b); }
Tensor operator==(const Tensor& a, const Tensor& b) { return a.eq(b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return a.ne(b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return a.lt(b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return a.le(b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return a.gt(b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return a.ge(b); }
Tensor operator==(const Tensor& a, const Scalar& b) { return a.eq(b); }
Tensor operator!=(const Tensor& a, const Scalar& b) { return a.ne(b); }
Tensor operator<(const Tensor& a, const Scalar& b) { return a.lt(b); }
Tensor operator<=(const Tensor& a, const Scalar& b) { return a.le(b); }
Tensor operator>(const Tensor& a, const Scalar& b) { return a.gt(b); }
Tensor operator>=(const Tensor& a, const Scalar& b) { return a.ge(b); }

Tensor logical_not(const Tensor& x) { return native::logical_not(x); }
Tensor operator~(const Tensor& x) {
  check_arg(x.dtype() == kBool, "bitwise_not", "atrous defines ~ for bool tensors only, got ", dtype_name(x.dtype()));
  return native::logical_not(x);
}
Tensor Tensor::logical_not() const { return native::logical_not(*this); }
Tensor all(const Tensor& x) { return native::all(x); }
Tensor any(const Tensor& x) { return native::any(x); }
Tensor Tensor::all() const { return native::all(*this); }
Tensor Tensor::any() const { return native::any(*this); }

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  return autograd::record("WhereBackward0", {a, b}, native::where(condition, a, b),
                          [condition, a_sizes = a.sizes(), b_sizes = b.sizes()](const Tensor& g) {
                            const Tensor zero = zeros({}, g.dtype());
                            return std::vector<Tensor>{native::sum_to(native::where(condition, g, zero), a_sizes),
                                                       native::sum_to(native::where(condition, zero, g), b_sizes)};
                          });
}

Tensor where(const Tensor& condition, const Tensor& a, const Scalar& b) {
  return where(condition, a, full({}, b, a.dtype()));
}

Tensor where(const Tensor& condition, const Scalar& a, const Tensor& b) {
  return where(condition, full({}, a, b.dtype()), b);
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value) {
  check_arg(mask.dtype() == kBool, "masked_fill", "the mask must be a bool tensor, got ", dtype_name(mask.dtype()));
  check_arg(broadcast_shapes(x.sizes(), mask.sizes(), "masked_fill") == x.sizes(), "masked_fill", "mask of shape ",
            shape_str(mask.sizes()), " cannot be broadcast to the tensor's shape ", shape_str(x.sizes()));
  return where(mask, full({}, value, x.dtype()), x);
}

Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& value) const {
  return atrous::masked_fill(*this, mask, value);
}

}  // namespace atrous
