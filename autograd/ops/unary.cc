// SPDX-License-Identifier: Apache-2.0
// Differentiable element-wise functions of one tensor, each with its gradient right below.
#include <cmath>
#include <limits>
#include <numbers>

#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/unary.h"

namespace atrous {

using autograd::SavedTensor;
using native::BinaryOp;
using native::UnaryOp;

Tensor exp(const Tensor& x) {
  Tensor y = native::unary(UnaryOp::Exp, x);
  return autograd::record("ExpBackward0", {x}, y,
                          [sy = SavedTensor(y)](const Tensor& g) { return std::vector<Tensor>{g * sy.unpack()}; });
}

Tensor log(const Tensor& x) {
  return autograd::record("LogBackward0", {x}, native::unary(UnaryOp::Log, x),
                          [sx = SavedTensor(x)](const Tensor& g) { return std::vector<Tensor>{g / sx.unpack()}; });
}

Tensor sqrt(const Tensor& x) {
  Tensor y = native::unary(UnaryOp::Sqrt, x);
  return autograd::record("SqrtBackward0", {x}, y, [sy = SavedTensor(y)](const Tensor& g) {
    return std::vector<Tensor>{g / (sy.unpack() * 2.0)};  // grad / (2 * result)
  });
}

Tensor abs(const Tensor& x) {
  return autograd::record("AbsBackward0", {x}, native::unary(UnaryOp::Abs, x), [sx = SavedTensor(x)](const Tensor& g) {
    return std::vector<Tensor>{g * native::unary(UnaryOp::Sign, sx.unpack())};
  });
}

Tensor erf(const Tensor& x) {
  return autograd::record("ErfBackward0", {x}, native::unary(UnaryOp::Erf, x), [sx = SavedTensor(x)](const Tensor& g) {
    const Tensor v = sx.unpack();
    return std::vector<Tensor>{g * ((-(v * v)).exp() * (2.0 / std::sqrt(std::numbers::pi)))};  // 2/√π·e^{−x²}
  });
}

Tensor gelu(const Tensor& x) { return x * 0.5 * (1.0 + (x * (1.0 / std::sqrt(2.0))).erf()); }

Tensor relu(const Tensor& x) {
  Tensor y = native::unary(UnaryOp::Relu, x);
  return autograd::record("ReluBackward0", {x}, y, [sy = SavedTensor(y)](const Tensor& g) {
    return std::vector<Tensor>{native::binary(BinaryOp::ReluBackward, g, sy.unpack())};
  });
}

Tensor tanh(const Tensor& x) {
  Tensor y = native::unary(UnaryOp::Tanh, x);
  return autograd::record("TanhBackward0", {x}, y, [sy = SavedTensor(y)](const Tensor& g) {
    return std::vector<Tensor>{native::binary(BinaryOp::TanhBackward, g, sy.unpack())};
  });
}

Tensor sigmoid(const Tensor& x) {
  Tensor y = native::unary(UnaryOp::Sigmoid, x);
  return autograd::record("SigmoidBackward0", {x}, y, [sy = SavedTensor(y)](const Tensor& g) {
    return std::vector<Tensor>{native::binary(BinaryOp::SigmoidBackward, g, sy.unpack())};
  });
}

Tensor clamp(const Tensor& x, const std::optional<double> min, const std::optional<double> max) {
  check_arg(min.has_value() || max.has_value(), "clamp", "at least one of min and max must be given");
  constexpr double inf = std::numeric_limits<double>::infinity();
  const double lo = min.value_or(-inf), hi = max.value_or(inf);
  // PyTorch 1.13: a lone NaN bound leaves x as it is (its gradient is still 0: x >= NaN is
  // false); a NaN among two bounds makes every element NaN.
  const bool lone = min.has_value() != max.has_value();
  const double forward_lo = lone && std::isnan(lo) ? -inf : lo, forward_hi = lone && std::isnan(hi) ? inf : hi;
  check_arg(is_floating(x.dtype()) || !(std::isnan(lo) || std::isnan(hi)), "clamp", "a NaN bound needs a ",
            "floating-point tensor, got ", dtype_name(x.dtype()));
  return autograd::record("ClampBackward1", {x}, native::unary(UnaryOp::Clamp, x, forward_lo, forward_hi),
                          [sx = SavedTensor(x), lo, hi](const Tensor& g) {
                            return std::vector<Tensor>{native::binary(BinaryOp::ClampBackward, g, sx.unpack(), lo, hi)};
                          });
}

Tensor Tensor::exp() const { return atrous::exp(*this); }
Tensor Tensor::log() const { return atrous::log(*this); }
Tensor Tensor::sqrt() const { return atrous::sqrt(*this); }
Tensor Tensor::abs() const { return atrous::abs(*this); }
Tensor Tensor::erf() const { return atrous::erf(*this); }
Tensor Tensor::relu() const { return atrous::relu(*this); }
Tensor Tensor::tanh() const { return atrous::tanh(*this); }
Tensor Tensor::sigmoid() const { return atrous::sigmoid(*this); }
Tensor Tensor::clamp(const std::optional<double> min, const std::optional<double> max) const {
  return atrous::clamp(*this, min, max);
}

}  // namespace atrous
