// SPDX-License-Identifier: Apache-2.0
// Per-target binary kernels (Highway), the Tensor-level entry point and strided copy.
#include "atrous/tensor/ops/binary.h"

#include <cmath>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/ops/binary.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/ops/elementwise-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <typename T>
void BinaryT(const BinaryOp op, const T* a, const std::int64_t sa, const T* b, const std::int64_t sb, T* out,
             const std::int64_t n, const double p0, const double p1) {
  const hn::ScalableTag<T> tag;
  const auto map = [&](const auto& fn) { MapBinary(tag, a, sa, b, sb, out, n, fn); };
  switch (op) {
    case BinaryOp::Add: return map([](auto, auto x, auto y) HWY_ATTR { return hn::Add(x, y); });
    case BinaryOp::Sub: return map([](auto, auto x, auto y) HWY_ATTR { return hn::Sub(x, y); });
    case BinaryOp::Mul: return map([](auto, auto x, auto y) HWY_ATTR { return hn::Mul(x, y); });
    case BinaryOp::Div: return map([](auto, auto x, auto y) HWY_ATTR { return hn::Div(x, y); });
    case BinaryOp::Maximum:
    case BinaryOp::Minimum: {
      // x86 max/min drop a NaN operand; torch.maximum propagates it, so put it back.
      const bool is_max = op == BinaryOp::Maximum;
      return map([is_max](auto, auto x, auto y) HWY_ATTR {
        const auto r = is_max ? hn::Max(x, y) : hn::Min(x, y);
        return hn::IfThenElse(hn::Or(hn::IsNaN(x), hn::IsNaN(y)), hn::Add(x, y), r);
      });
    }
    case BinaryOp::Eq:
      return map([](auto d, auto x, auto y) HWY_ATTR { return hn::IfThenElseZero(hn::Eq(x, y), hn::Set(d, T(1))); });
    case BinaryOp::MaxWeight:
      return map([](auto d, auto x, auto y) HWY_ATTR {
        const auto half = hn::IfThenElseZero(hn::Eq(x, y), hn::Set(d, T(0.5)));
        return hn::IfThenElse(hn::Gt(x, y), hn::Set(d, T(1)), half);
      });
    case BinaryOp::ReluBackward:
      return map([](auto d, auto g, auto y) HWY_ATTR { return hn::IfThenElseZero(hn::Gt(y, hn::Zero(d)), g); });
    case BinaryOp::TanhBackward:
      return map([](auto d, auto g, auto y) HWY_ATTR { return hn::Mul(g, hn::Sub(hn::Set(d, T(1)), hn::Mul(y, y))); });
    case BinaryOp::SigmoidBackward:
      return map([](auto d, auto g, auto y) HWY_ATTR { return hn::Mul(hn::Mul(g, hn::Sub(hn::Set(d, T(1)), y)), y); });
    case BinaryOp::ClampBackward: {
      const T lo = static_cast<T>(p0), hi = static_cast<T>(p1);
      return map([lo, hi](auto d, auto g, auto x) HWY_ATTR {
        return hn::IfThenElseZero(hn::And(hn::Ge(x, hn::Set(d, lo)), hn::Le(x, hn::Set(d, hi))), g);
      });
    }
    case BinaryOp::Pow:
      // No SIMD pow in Highway 1.0.3.
      for (std::int64_t i = 0; i < n; ++i) out[i] = std::pow(a[i * sa], b[i * sb]);
      return;
  }
}

void BinaryF32(const BinaryOp op, const float* a, const std::int64_t sa, const float* b, const std::int64_t sb,
               float* out, const std::int64_t n, const double p0, const double p1) {
  BinaryT<float>(op, a, sa, b, sb, out, n, p0, p1);
}
void BinaryF64(const BinaryOp op, const double* a, const std::int64_t sa, const double* b, const std::int64_t sb,
               double* out, const std::int64_t n, const double p0, const double p1) {
  BinaryT<double>(op, a, sa, b, sb, out, n, p0, p1);
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

HWY_EXPORT(BinaryF32);
HWY_EXPORT(BinaryF64);

const char* binary_op_name(const BinaryOp op) {
  static constexpr const char* kNames[] = {"add",
                                           "sub",
                                           "mul",
                                           "div",
                                           "maximum",
                                           "minimum",
                                           "pow",
                                           "eq",
                                           "maximum_backward",
                                           "relu_backward",
                                           "tanh_backward",
                                           "sigmoid_backward",
                                           "clamp_backward"};
  static_assert(std::size(kNames) == static_cast<std::size_t>(BinaryOp::ClampBackward) + 1);
  return kNames[static_cast<int>(op)];
}

namespace {

// binary_run: one run of `op` per dtype, the floating ones on the best SIMD target.
void binary_run(const BinaryOp op, const float* a, const std::int64_t sa, const float* b, const std::int64_t sb,
                float* out, const std::int64_t n, const double p0, const double p1) {
  HWY_DYNAMIC_DISPATCH(BinaryF32)(op, a, sa, b, sb, out, n, p0, p1);
}
void binary_run(const BinaryOp op, const double* a, const std::int64_t sa, const double* b, const std::int64_t sb,
                double* out, const std::int64_t n, const double p0, const double p1) {
  HWY_DYNAMIC_DISPATCH(BinaryF64)(op, a, sa, b, sb, out, n, p0, p1);
}
void binary_run(const BinaryOp op, const std::int64_t* a, const std::int64_t sa, const std::int64_t* b,
                const std::int64_t sb, std::int64_t* out, const std::int64_t n, double /*p0*/, double /*p1*/) {
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t x = a[i * sa], y = b[i * sb];
    switch (op) {
      case BinaryOp::Add: out[i] = x + y; break;
      case BinaryOp::Sub: out[i] = x - y; break;
      case BinaryOp::Mul: out[i] = x * y; break;
      case BinaryOp::Maximum: out[i] = std::max(x, y); break;
      case BinaryOp::Minimum: out[i] = std::min(x, y); break;
      case BinaryOp::Eq: out[i] = x == y; break;
      default: break;
    }
  }
}

bool int64_supported(const BinaryOp op) {
  return op == BinaryOp::Add || op == BinaryOp::Sub || op == BinaryOp::Mul || op == BinaryOp::Maximum ||
         op == BinaryOp::Minimum || op == BinaryOp::Eq;
}

}  // namespace

namespace {

void check_binary(const char* name, const BinaryOp op, const Tensor& a, const Tensor& b) {
  check_arg(a.dtype() == b.dtype(), name, "both tensors must have the same dtype, got ", dtype_name(a.dtype()), " ",
            shape_str(a.sizes()), " and ", dtype_name(b.dtype()), " ", shape_str(b.sizes()),
            "; convert one with .to()");
  check_arg(is_floating(a.dtype()) || (a.dtype() == kInt64 && int64_supported(op)), name,
            "needs floating-point tensors (float32 or float64)", int64_supported(op) ? " or int64" : "", ", got ",
            dtype_name(a.dtype()), "; convert with .to(atrous::kFloat32)");
}

// out = op(a, b), the operands checked and `out` of their broadcast shape and dtype.
void run_binary(const BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, const double p0,
                const double p1) {
  dispatch_dtype(a.dtype(), [&]<typename T>() {
    for_each_run<T, 2>(out, {a, b},
                       [&](T* o, const std::array<const T*, 2>& in, const std::array<std::int64_t, 2>& s,
                           const std::int64_t n) { binary_run(op, in[0], s[0], in[1], s[1], o, n, p0, p1); });
  });
}

}  // namespace

void binary_into(const BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, const double p0,
                 const double p1) {
  const char* name = binary_op_name(op);
  const profile::Scope scope(name);
  check_binary(name, op, a, b);
  const Shape shape = broadcast_shapes(a.sizes(), b.sizes(), name);
  check_arg(out.dtype() == a.dtype() && shape == out.sizes(), name, "the result (", dtype_name(a.dtype()), " ",
            shape_str(shape), ") does not fit the written-to tensor (", dtype_name(out.dtype()), " ",
            shape_str(out.sizes()), ")");
  run_binary(op, out, a, b, p0, p1);
}

Tensor binary(const BinaryOp op, const Tensor& a, const Tensor& b, const double p0, const double p1) {
  const char* name = binary_op_name(op);
  const profile::Scope scope(name);  // the output's allocation is the op's
  check_binary(name, op, a, b);
  Tensor out = empty(broadcast_shapes(a.sizes(), b.sizes(), name), a.dtype());
  run_binary(op, out, a, b, p0, p1);
  return out;
}

void copy_into(const Tensor& out, const Tensor& src) {
  const profile::Scope scope("copy_");
  check_arg(broadcast_shapes(out.sizes(), src.sizes(), "copy_") == out.sizes(), "copy_", "source shape ",
            shape_str(src.sizes()), " cannot be broadcast to destination shape ", shape_str(out.sizes()));
  const Walk w = make_walk(out.sizes(), {out.strides(), broadcast_strides(src.sizes(), src.strides(), out.sizes())});
  const std::vector<std::int64_t> rs = w.run_strides();
  dispatch_all_dtypes(out.dtype(), [&]<typename T>() {
    dispatch_all_dtypes(src.dtype(), [&]<typename S>() {
      T* const o = out.data_ptr<T>();
      const S* const s = src.data_ptr<S>();
      walk(w, [&](const std::int64_t* off, const std::int64_t n) {
        T* dst = o + off[0];
        const S* from = s + off[1];
        if (rs[0] == 1 && rs[1] == 1) {
          for (std::int64_t i = 0; i < n; ++i) dst[i] = convert_value<T>(from[i]);
        } else {
          for (std::int64_t i = 0; i < n; ++i) dst[i * rs[0]] = convert_value<T>(from[i * rs[1]]);
        }
      });
    });
  });
}

}  // namespace atrous::native
#endif  // HWY_ONCE
