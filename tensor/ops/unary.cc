// SPDX-License-Identifier: Apache-2.0
// Per-target unary kernels (Highway) and the Tensor-level entry point.
#include "atrous/tensor/ops/unary.h"

#include <cmath>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/ops/unary.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/ops/elementwise-inl.h"
#include "atrous/tensor/ops/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <typename T>
void UnaryT(const UnaryOp op, const T* HWY_RESTRICT in, T* HWY_RESTRICT out, const std::int64_t n, const double p0,
            const double p1) {
  const hn::ScalableTag<T> tag;
  const auto map = [&](const auto& fn) { MapUnary(tag, in, out, n, fn); };
  switch (op) {
    case UnaryOp::Neg:
      return map([](auto d, auto v) HWY_ATTR {
        return hn::Neg(v);
        (void)d;
      });
    case UnaryOp::Exp: return map([](auto d, auto v) HWY_ATTR { return ExpIeee(d, v); });
    case UnaryOp::Log: return map([](auto d, auto v) HWY_ATTR { return LogIeee(d, v); });
    case UnaryOp::Sqrt:
      return map([](auto d, auto v) HWY_ATTR {
        return hn::Sqrt(v);
        (void)d;
      });
    case UnaryOp::Abs:
      return map([](auto d, auto v) HWY_ATTR {
        return hn::Abs(v);
        (void)d;
      });
    case UnaryOp::Relu:
      // Keeps NaN (x < 0 is false for NaN), as torch.relu does; max(x, 0) would drop it.
      return map([](auto d, auto v) HWY_ATTR { return hn::IfThenZeroElse(hn::Lt(v, hn::Zero(d)), v); });
    case UnaryOp::Tanh:
      return map([](auto d, auto v) HWY_ATTR { return hn::IfThenElse(hn::IsNaN(v), v, hn::Tanh(d, v)); });
    case UnaryOp::Sigmoid:
      // 1 / (1 + exp(-x)), PyTorch's CPU formula.
      return map([](auto d, auto v) HWY_ATTR {
        const auto one = hn::Set(d, T(1));
        return hn::Div(one, hn::Add(one, ExpIeee(d, hn::Neg(v))));
      });
    case UnaryOp::Clamp: {
      const T lo = static_cast<T>(p0), hi = static_cast<T>(p1);
      if (std::isnan(lo) || std::isnan(hi)) {  // Highway's Min/Max leave NaN operands to the target
        return map([](auto d, auto) HWY_ATTR { return hn::Set(d, std::numeric_limits<T>::quiet_NaN()); });
      }
      return map([lo, hi](auto d, auto v) HWY_ATTR {
        const auto r = hn::Min(hn::Max(v, hn::Set(d, lo)), hn::Set(d, hi));
        return hn::IfThenElse(hn::IsNaN(v), v, r);
      });
    }
    case UnaryOp::Sign:
      return map([](auto d, auto v) HWY_ATTR {
        const auto zero = hn::Zero(d);
        const auto one = hn::Set(d, T(1));
        const auto s = hn::IfThenElse(hn::Gt(v, zero), one, hn::IfThenElse(hn::Lt(v, zero), hn::Neg(one), zero));
        return hn::IfThenElse(hn::IsNaN(v), v, s);
      });
    case UnaryOp::Erf:
      // No SIMD erf in Highway 1.0.3; std::erf is correctly rounded to within an ulp.
      for (std::int64_t i = 0; i < n; ++i) out[i] = std::erf(in[i]);
      return;
    case UnaryOp::Pow: {
      const T e = static_cast<T>(p0);
      if (p0 == 2.0)
        return map([](auto d, auto v) HWY_ATTR {
          return hn::Mul(v, v);
          (void)d;
        });
      if (p0 == 1.0)
        return map([](auto d, auto v) HWY_ATTR {
          return v;
          (void)d;
        });
      // No SIMD pow in Highway 1.0.3; std::pow is correctly rounded enough and exact on edges.
      for (std::int64_t i = 0; i < n; ++i) out[i] = std::pow(in[i], e);
      return;
    }
  }
}

void UnaryF32(const UnaryOp op, const float* in, float* out, const std::int64_t n, const double p0, const double p1) {
  UnaryT<float>(op, in, out, n, p0, p1);
}
void UnaryF64(const UnaryOp op, const double* in, double* out, const std::int64_t n, const double p0, const double p1) {
  UnaryT<double>(op, in, out, n, p0, p1);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <array>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/iter.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

HWY_EXPORT(UnaryF32);
HWY_EXPORT(UnaryF64);

const char* unary_op_name(const UnaryOp op) {
  static constexpr const char* kNames[] = {"neg",  "exp",     "log",   "sqrt", "abs",  "relu",
                                           "tanh", "sigmoid", "clamp", "pow",  "sign", "erf"};
  static_assert(std::size(kNames) == static_cast<std::size_t>(UnaryOp::Erf) + 1);
  return kNames[static_cast<int>(op)];
}

namespace {

// unary_run: one run of `op` per dtype, the floating ones on the best SIMD target.
void unary_run(const UnaryOp op, const float* in, float* out, const std::int64_t n, const double p0, const double p1) {
  HWY_DYNAMIC_DISPATCH(UnaryF32)(op, in, out, n, p0, p1);
}
void unary_run(const UnaryOp op, const double* in, double* out, const std::int64_t n, const double p0,
               const double p1) {
  HWY_DYNAMIC_DISPATCH(UnaryF64)(op, in, out, n, p0, p1);
}
void unary_run(const UnaryOp op, const std::int64_t* in, std::int64_t* out, const std::int64_t n, const double p0,
               const double p1) {
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t v = in[i];
    switch (op) {
      case UnaryOp::Neg: out[i] = -v; break;
      case UnaryOp::Abs: out[i] = v < 0 ? -v : v; break;
      case UnaryOp::Relu: out[i] = v < 0 ? 0 : v; break;
      case UnaryOp::Sign: out[i] = (v > 0) - (v < 0); break;
      case UnaryOp::Clamp: {
        const double c = std::min(std::max(static_cast<double>(v), p0), p1);
        out[i] = static_cast<std::int64_t>(c);
        break;
      }
      default: break;
    }
  }
}

}  // namespace

Tensor unary(const UnaryOp op, const Tensor& x, const double p0, const double p1) {
  const profile::Scope scope(unary_op_name(op));
  const char* name = unary_op_name(op);
  const bool int_ok =
      op == UnaryOp::Neg || op == UnaryOp::Abs || op == UnaryOp::Relu || op == UnaryOp::Clamp || op == UnaryOp::Sign;
  check_arg(is_floating(x.dtype()) || (x.dtype() == kInt64 && int_ok), name,
            "needs a floating-point tensor (float32 or float64), got ", dtype_name(x.dtype()),
            "; convert with .to(atrous::kFloat32) first");
  Tensor out = empty(x.sizes(), x.dtype());
  dispatch_dtype(x.dtype(), [&]<typename T>() {
    for_each_run<T, 1>(
        out, {x},
        [&](T* o, const std::array<const T*, 1>& in, const std::array<std::int64_t, 1>& s, const std::int64_t n) {
          if (s[0] == 0) {  // a broadcast input: compute once through the same kernel, then fill
            T v{};
            unary_run(op, in[0], &v, 1, p0, p1);
            for (std::int64_t i = 0; i < n; ++i) o[i] = v;
            return;
          }
          unary_run(op, in[0], o, n, p0, p1);
        });
  });
  return out;
}

}  // namespace atrous::native
#endif  // HWY_ONCE
