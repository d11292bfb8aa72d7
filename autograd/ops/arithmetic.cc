// SPDX-License-Identifier: Apache-2.0
// Differentiable element-wise arithmetic with broadcasting: each op's forward, and right below
// it the gradient it records. Broadcast inputs get their gradient summed back to their shape.
#include <cmath>

#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/reduce.h"
#include "atrous/tensor/ops/unary.h"
#include "atrous/tensor/ops/view.h"

namespace atrous {

using autograd::SavedTensor;
using native::BinaryOp;

namespace {

// A scalar operand as a 0-dim tensor of the other operand's dtype.
Tensor scalar_like(const Tensor& t, const double v, const char* op) {
  check_arg(is_floating(t.dtype()) || v == std::trunc(v), op,
            "cannot combine an int64 tensor with the "
            "non-integer scalar ",
            v, "; convert the tensor with .to(atrous::kFloat32) first");
  return full({}, v, t.dtype());
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  const Shape sa = a.sizes(), sb = b.sizes();
  return autograd::record("AddBackward0", {a, b}, native::binary(BinaryOp::Add, a, b), [sa, sb](const Tensor& g) {
    return std::vector<Tensor>{native::sum_to(g, sa), native::sum_to(g, sb)};
  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  const Shape sa = a.sizes(), sb = b.sizes();
  return autograd::record("SubBackward0", {a, b}, native::binary(BinaryOp::Sub, a, b), [sa, sb](const Tensor& g) {
    return std::vector<Tensor>{native::sum_to(g, sa), native::sum_to(-g, sb)};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  return autograd::record(
      "MulBackward0", {a, b}, native::binary(BinaryOp::Mul, a, b),
      [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g) {
        const Tensor x = sa.unpack(), y = sb.unpack();
        return std::vector<Tensor>{native::sum_to(g * y, x.sizes()), native::sum_to(g * x, y.sizes())};
      });
}

Tensor div(const Tensor& a, const Tensor& b) {
  return autograd::record(
      "DivBackward0", {a, b}, native::binary(BinaryOp::Div, a, b),
      [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g) {
        const Tensor x = sa.unpack(), y = sb.unpack();
        // PyTorch's formulas: grad / other and -grad * self / (other * other).
        return std::vector<Tensor>{native::sum_to(g / y, x.sizes()), native::sum_to(-g * x / (y * y), y.sizes())};
      });
}

namespace {

// maximum/minimum: the larger (smaller) input gets the gradient; ties split it in halves.
Tensor extremum(const Tensor& a, const Tensor& b, const bool is_max) {
  const BinaryOp op = is_max ? BinaryOp::Maximum : BinaryOp::Minimum;
  return autograd::record(
      is_max ? "MaximumBackward0" : "MinimumBackward0", {a, b}, native::binary(op, a, b),
      [sa = SavedTensor(a), sb = SavedTensor(b), is_max](const Tensor& g) {
        const Tensor x = sa.unpack(), y = sb.unpack();
        const Tensor wx =
            is_max ? native::binary(BinaryOp::MaxWeight, x, y) : native::binary(BinaryOp::MaxWeight, y, x);
        const Tensor wy =
            is_max ? native::binary(BinaryOp::MaxWeight, y, x) : native::binary(BinaryOp::MaxWeight, x, y);
        return std::vector<Tensor>{native::sum_to(g * wx, x.sizes()), native::sum_to(g * wy, y.sizes())};
      });
}

}  // namespace

Tensor maximum(const Tensor& a, const Tensor& b) { return extremum(a, b, true); }
Tensor minimum(const Tensor& a, const Tensor& b) { return extremum(a, b, false); }

Tensor neg(const Tensor& x) {
  return autograd::record("NegBackward0", {x}, native::unary(native::UnaryOp::Neg, x),
                          [](const Tensor& g) { return std::vector<Tensor>{-g}; });
}

Tensor pow(const Tensor& x, const double exponent) {
  return autograd::record(
      "PowBackward0", {x}, native::unary(native::UnaryOp::Pow, x, exponent),
      [sx = SavedTensor(x), exponent](const Tensor& g) {
        const Tensor v = sx.unpack();
        if (exponent == 0.0) return std::vector<Tensor>{zeros_like(v)};
        // grad * (exponent * self.pow(exponent - 1)), as PyTorch computes it.
        return std::vector<Tensor>{g * (native::unary(native::UnaryOp::Pow, v, exponent - 1.0) * exponent)};
      });
}

Tensor pow(const Tensor& x, const Tensor& exponent) {
  Tensor y = native::binary(BinaryOp::Pow, x, exponent);
  return autograd::record("PowBackward1", {x, exponent}, y,
                          [sx = SavedTensor(x), se = SavedTensor(exponent), sy = SavedTensor(y)](const Tensor& g) {
                            const Tensor a = sx.unpack(), b = se.unpack(), r = sy.unpack();
                            const Tensor ga = g * b * native::binary(BinaryOp::Pow, a, b - 1.0);
                            // d/db a^b = a^b log a, taken as 0 where a == 0 and b >= 0 (PyTorch's mask).
                            Tensor gb = native::contiguous(g * r * native::unary(native::UnaryOp::Log, a));
                            const Tensor ab = native::contiguous(native::expand(a, gb.sizes()));
                            const Tensor bb = native::contiguous(native::expand(b, gb.sizes()));
                            dispatch_floating(gb.dtype(), "pow", [&]<typename T>() {
                              T* d = gb.data_ptr<T>();
                              const T *pa = ab.data_ptr<T>(), *pb = bb.data_ptr<T>();
                              for (std::int64_t i = 0; i < gb.numel(); ++i) {
                                if (pa[i] == T(0) && pb[i] >= T(0)) d[i] = T(0);
                              }
                            });
                            return std::vector<Tensor>{native::sum_to(ga, a.sizes()), native::sum_to(gb, b.sizes())};
                          });
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& x) { return neg(x); }
Tensor operator+(const Tensor& a, const double b) { return add(a, scalar_like(a, b, "add")); }
Tensor operator-(const Tensor& a, const double b) { return sub(a, scalar_like(a, b, "sub")); }
Tensor operator*(const Tensor& a, const double b) { return mul(a, scalar_like(a, b, "mul")); }
Tensor operator/(const Tensor& a, const double b) { return div(a, scalar_like(a, b, "div")); }
Tensor operator+(const double a, const Tensor& b) { return add(scalar_like(b, a, "add"), b); }
Tensor operator-(const double a, const Tensor& b) { return sub(scalar_like(b, a, "sub"), b); }
Tensor operator*(const double a, const Tensor& b) { return mul(scalar_like(b, a, "mul"), b); }
Tensor operator/(const double a, const Tensor& b) { return div(scalar_like(b, a, "div"), b); }

Tensor Tensor::neg() const { return atrous::neg(*this); }
Tensor Tensor::pow(const double exponent) const { return atrous::pow(*this, exponent); }
Tensor Tensor::pow(const Tensor& exponent) const { return atrous::pow(*this, exponent); }

}  // namespace atrous
