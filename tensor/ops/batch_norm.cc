// SPDX-License-Identifier: Apache-2.0
// Batch normalisation: per-target channel kernels (Highway) and the Tensor-level passes.
#include "atrous/tensor/ops/batch_norm.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/ops/batch_norm.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#ifndef ATROUS_TENSOR_OPS_BATCH_NORM_PLANES
#define ATROUS_TENSOR_OPS_BATCH_NORM_PLANES
namespace atrous::native {
// One channel of an (N, C, S) tensor: `count` runs of `size` elements, `stride` apart.
struct Planes {
  std::int64_t count, stride, size;
};
}  // namespace atrous::native
#endif

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// p[0..Lanes(d64)) as float64 lanes.
template <class D64, typename T>
HWY_INLINE hn::Vec<D64> LoadAsF64(const D64 d64, const T* HWY_RESTRICT p) {
  if constexpr (std::is_same_v<T, double>) {
    return hn::LoadU(d64, p);
  } else {
    return hn::PromoteTo(d64, hn::LoadU(hn::Rebind<T, D64>(), p));
  }
}

template <class D>
HWY_INLINE double SumLanes(const D d, const hn::Vec<D> v) {
  HWY_ALIGN double lanes[hn::MaxLanes(d)];
  hn::Store(v, d, lanes);
  double total = 0;
  for (std::size_t l = 0; l < hn::Lanes(d); ++l) total += lanes[l];
  return total;
}

// Σ (x − shift) and Σ (x − shift)² over the channel, in float64 and a fixed order: two vector
// accumulators each across every plane, their lanes left to right, then the planes' tails. One
// pass serves mean and variance: shifted by one of the channel's own values, the sums hold no
// catastrophic cancellation.
template <typename T>
void ShiftedMomentsT(const T* HWY_RESTRICT x, const Planes p, const double shift, double* HWY_RESTRICT sum,
                     double* HWY_RESTRICT sumsq) {
  const hn::ScalableTag<double> d;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  const auto k = hn::Set(d, shift);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), q0 = hn::Zero(d), q1 = hn::Zero(d);
  double tail_sum = 0, tail_sq = 0;
  for (std::int64_t n = 0; n < p.count; ++n) {
    const T* row = x + n * p.stride;
    std::int64_t i = 0;
    for (; i + 2 * N <= p.size; i += 2 * N) {
      const auto a = hn::Sub(LoadAsF64(d, row + i), k), b = hn::Sub(LoadAsF64(d, row + i + N), k);
      s0 = hn::Add(s0, a), s1 = hn::Add(s1, b);
      q0 = hn::MulAdd(a, a, q0), q1 = hn::MulAdd(b, b, q1);
    }
    for (; i < p.size; ++i) {
      const double a = static_cast<double>(row[i]) - shift;
      tail_sum += a, tail_sq += a * a;
    }
  }
  *sum = SumLanes(d, hn::Add(s0, s1)) + tail_sum;
  *sumsq = SumLanes(d, hn::Add(q0, q1)) + tail_sq;
}

// Σ dy and Σ dy·(x − mean) over the channel, in float64, in the order of ShiftedMomentsT.
template <typename T>
void GradMomentsT(const T* HWY_RESTRICT g, const T* HWY_RESTRICT x, const Planes p, const double mean,
                  double* HWY_RESTRICT sum_g, double* HWY_RESTRICT dot) {
  const hn::ScalableTag<double> d;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  const auto m = hn::Set(d, mean);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), q0 = hn::Zero(d), q1 = hn::Zero(d);
  double tail_sum = 0, tail_dot = 0;
  for (std::int64_t n = 0; n < p.count; ++n) {
    const T* grow = g + n * p.stride;
    const T* xrow = x + n * p.stride;
    std::int64_t i = 0;
    for (; i + 2 * N <= p.size; i += 2 * N) {
      const auto ga = LoadAsF64(d, grow + i), gb = LoadAsF64(d, grow + i + N);
      s0 = hn::Add(s0, ga), s1 = hn::Add(s1, gb);
      q0 = hn::MulAdd(ga, hn::Sub(LoadAsF64(d, xrow + i), m), q0);
      q1 = hn::MulAdd(gb, hn::Sub(LoadAsF64(d, xrow + i + N), m), q1);
    }
    for (; i < p.size; ++i) {
      const auto gv = static_cast<double>(grow[i]);
      tail_sum += gv, tail_dot += gv * (static_cast<double>(xrow[i]) - mean);
    }
  }
  *sum_g = SumLanes(d, hn::Add(s0, s1)) + tail_sum;
  *dot = SumLanes(d, hn::Add(q0, q1)) + tail_dot;
}

// y = x·a + b over the channel: a multiply, then an add, rounded apart as the scalar tail.
template <typename T>
void AffineT(const T* HWY_RESTRICT x, T* HWY_RESTRICT y, const Planes p, const T a, const T b) {
  const hn::ScalableTag<T> d;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  const auto va = hn::Set(d, a), vb = hn::Set(d, b);
  for (std::int64_t n = 0; n < p.count; ++n) {
    const T* src = x + n * p.stride;
    T* dst = y + n * p.stride;
    std::int64_t i = 0;
    for (; i + N <= p.size; i += N) hn::StoreU(hn::Add(hn::Mul(hn::LoadU(d, src + i), va), vb), d, dst + i);
    for (; i < p.size; ++i) dst[i] = src[i] * a + b;
  }
}

// dx = dy·a + x·b + e over the channel, rounded step by step as the scalar tail.
template <typename T>
void AffineBackwardT(const T* HWY_RESTRICT g, const T* HWY_RESTRICT x, T* HWY_RESTRICT dx, const Planes p, const T a,
                     const T b, const T e) {
  const hn::ScalableTag<T> d;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  const auto va = hn::Set(d, a), vb = hn::Set(d, b), ve = hn::Set(d, e);
  for (std::int64_t n = 0; n < p.count; ++n) {
    const T* gs = g + n * p.stride;
    const T* xs = x + n * p.stride;
    T* out = dx + n * p.stride;
    std::int64_t i = 0;
    for (; i + N <= p.size; i += N) {
      const auto sum = hn::Add(hn::Mul(hn::LoadU(d, gs + i), va), hn::Mul(hn::LoadU(d, xs + i), vb));
      hn::StoreU(hn::Add(sum, ve), d, out + i);
    }
    for (; i < p.size; ++i) out[i] = gs[i] * a + xs[i] * b + e;
  }
}

void ShiftedMomentsF32(const float* x, Planes p, double shift, double* sum, double* sumsq) {
  ShiftedMomentsT(x, p, shift, sum, sumsq);
}
void ShiftedMomentsF64(const double* x, Planes p, double shift, double* sum, double* sumsq) {
  ShiftedMomentsT(x, p, shift, sum, sumsq);
}
void GradMomentsF32(const float* g, const float* x, Planes p, double mean, double* sum_g, double* dot) {
  GradMomentsT(g, x, p, mean, sum_g, dot);
}
void GradMomentsF64(const double* g, const double* x, Planes p, double mean, double* sum_g, double* dot) {
  GradMomentsT(g, x, p, mean, sum_g, dot);
}
void AffineF32(const float* x, float* y, Planes p, float a, float b) { AffineT(x, y, p, a, b); }
void AffineF64(const double* x, double* y, Planes p, double a, double b) { AffineT(x, y, p, a, b); }
void AffineBackwardF32(const float* g, const float* x, float* dx, Planes p, float a, float b, float e) {
  AffineBackwardT(g, x, dx, p, a, b, e);
}
void AffineBackwardF64(const double* g, const double* x, double* dx, Planes p, double a, double b, double e) {
  AffineBackwardT(g, x, dx, p, a, b, e);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

HWY_EXPORT(ShiftedMomentsF32);
HWY_EXPORT(ShiftedMomentsF64);
HWY_EXPORT(GradMomentsF32);
HWY_EXPORT(GradMomentsF64);
HWY_EXPORT(AffineF32);
HWY_EXPORT(AffineF64);
HWY_EXPORT(AffineBackwardF32);
HWY_EXPORT(AffineBackwardF64);

namespace {

// The kernels for T's dtype.
template <typename T>
void moments(const T* x, const Planes p, const double shift, double* sum, double* sumsq) {
  if constexpr (std::is_same_v<T, float>)
    HWY_DYNAMIC_DISPATCH(ShiftedMomentsF32)(x, p, shift, sum, sumsq);
  else
    HWY_DYNAMIC_DISPATCH(ShiftedMomentsF64)(x, p, shift, sum, sumsq);
}
template <typename T>
void grad_moments(const T* g, const T* x, const Planes p, const double mean, double* sum_g, double* dot) {
  if constexpr (std::is_same_v<T, float>)
    HWY_DYNAMIC_DISPATCH(GradMomentsF32)(g, x, p, mean, sum_g, dot);
  else
    HWY_DYNAMIC_DISPATCH(GradMomentsF64)(g, x, p, mean, sum_g, dot);
}
template <typename T>
void affine(const T* x, T* y, const Planes p, const T a, const T b) {
  if constexpr (std::is_same_v<T, float>)
    HWY_DYNAMIC_DISPATCH(AffineF32)(x, y, p, a, b);
  else
    HWY_DYNAMIC_DISPATCH(AffineF64)(x, y, p, a, b);
}
template <typename T>
void affine_backward(const T* g, const T* x, T* dx, const Planes p, const T a, const T b, const T e) {
  if constexpr (std::is_same_v<T, float>)
    HWY_DYNAMIC_DISPATCH(AffineBackwardF32)(g, x, dx, p, a, b, e);
  else
    HWY_DYNAMIC_DISPATCH(AffineBackwardF64)(g, x, dx, p, a, b, e);
}

// t in `dtype`: itself when it already is, else a converted copy.
Tensor in_dtype(const Tensor& t, const ScalarType dtype) { return t.dtype() == dtype ? t : to(t, dtype); }

// Channel c of an (N, C, S) tensor starts at (c·S) and has N planes, C·S apart.
struct Layout {
  std::int64_t N, C, S;
  Planes planes() const { return {N, C * S, S}; }
};

Layout layout_of(const Tensor& x) {
  std::int64_t S = 1;
  for (std::int64_t d = 2; d < x.dim(); ++d) S *= x.size(d);
  return {x.size(0), x.size(1), S};
}

constexpr std::int64_t kChannelGrain = 1;

}  // namespace

BatchNormForward batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                            const Tensor& running_var, const bool training, const double eps) {
  const profile::Scope scope("batch_norm");
  const Tensor x = contiguous(input);
  const Layout l = layout_of(x);
  BatchNormForward out{empty(x.sizes(), x.dtype()), empty({l.C}, x.dtype()), empty({l.C}, x.dtype()),
                       training ? empty({l.C}, x.dtype()) : Tensor()};
  const Tensor w = weight.defined() ? contiguous(in_dtype(weight, x.dtype())) : Tensor();
  const Tensor b = bias.defined() ? contiguous(in_dtype(bias, x.dtype())) : Tensor();
  const Tensor rm = training ? Tensor() : contiguous(in_dtype(running_mean, kFloat64));
  const Tensor rv = training ? Tensor() : contiguous(in_dtype(running_var, kFloat64));
  dispatch_floating(x.dtype(), "batch_norm", [&]<typename T>() {
    const T* src = x.data_ptr<T>();
    T* dst = out.output.data_ptr<T>();
    parallel_for(l.C, kChannelGrain, [&](const std::int64_t c0, const std::int64_t c1) {
      for (std::int64_t c = c0; c < c1; ++c) {
        const T* channel = src + c * l.S;
        double mean, var;
        if (training) {
          const auto count = static_cast<double>(l.N * l.S);
          const double shift = l.N * l.S > 0 ? static_cast<double>(channel[0]) : 0.0;
          double sum = 0, sumsq = 0;
          moments(channel, l.planes(), shift, &sum, &sumsq);
          const double centred = sum / count;
          mean = shift + centred;
          var = std::max(sumsq / count - centred * centred, 0.0);
          out.var.data_ptr<T>()[c] = static_cast<T>(var);
        } else {
          mean = rm.data_ptr<double>()[c];
          var = rv.data_ptr<double>()[c];
        }
        const double invstd = 1.0 / std::sqrt(var + eps);
        out.mean.data_ptr<T>()[c] = static_cast<T>(mean);
        out.invstd.data_ptr<T>()[c] = static_cast<T>(invstd);
        const double scale = invstd * (w.defined() ? static_cast<double>(w.data_ptr<T>()[c]) : 1.0);
        const double shift = (b.defined() ? static_cast<double>(b.data_ptr<T>()[c]) : 0.0) - mean * scale;
        affine(channel, dst + c * l.S, l.planes(), static_cast<T>(scale), static_cast<T>(shift));
      }
    });
  });
  return out;
}

BatchNormGrads batch_norm_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                   const Tensor& mean_t, const Tensor& invstd_t, const bool training,
                                   const bool need_input, const bool need_weight, const bool need_bias) {
  const profile::Scope scope("batch_norm_backward");
  const Tensor x = contiguous(input), g = contiguous(in_dtype(grad_output, x.dtype()));
  const Layout l = layout_of(x);
  BatchNormGrads grads{need_input ? empty(x.sizes(), x.dtype()) : Tensor(),
                       need_weight ? empty({l.C}, x.dtype()) : Tensor(),
                       need_bias ? empty({l.C}, x.dtype()) : Tensor()};
  const Tensor w = weight.defined() ? contiguous(in_dtype(weight, x.dtype())) : Tensor();
  const Tensor mean_c = contiguous(mean_t), invstd_c = contiguous(invstd_t);
  dispatch_floating(x.dtype(), "batch_norm_backward", [&]<typename T>() {
    const T* xs = x.data_ptr<T>();
    const T* gs = g.data_ptr<T>();
    parallel_for(l.C, kChannelGrain, [&](const std::int64_t c0, const std::int64_t c1) {
      for (std::int64_t c = c0; c < c1; ++c) {
        const auto mean = static_cast<double>(mean_c.data_ptr<T>()[c]);
        const auto invstd = static_cast<double>(invstd_c.data_ptr<T>()[c]);
        // sum(dy) and sum(dy · (x − mean)); x̂ = (x − mean)·invstd.
        double sum_g = 0, dot = 0;
        grad_moments(gs + c * l.S, xs + c * l.S, l.planes(), mean, &sum_g, &dot);
        if (need_weight) grads.weight.data_ptr<T>()[c] = static_cast<T>(dot * invstd);
        if (need_bias) grads.bias.data_ptr<T>()[c] = static_cast<T>(sum_g);
        if (!need_input) continue;
        const double wc = w.defined() ? static_cast<double>(w.data_ptr<T>()[c]) : 1.0;
        // dx = w·invstd·(dy − mean(dy) − x̂·mean(dy·x̂)) in training, w·invstd·dy otherwise,
        // as dx = a·dy + b·x + e per element.
        const auto count = static_cast<double>(l.N * l.S);
        const double a = wc * invstd;
        const double k = training ? dot * invstd * invstd / count : 0.0;
        const double gm = training ? sum_g / count : 0.0;
        affine_backward(gs + c * l.S, xs + c * l.S, grads.input.data_ptr<T>() + c * l.S, l.planes(), static_cast<T>(a),
                        static_cast<T>(-a * k), static_cast<T>(a * (k * mean - gm)));
      }
    });
  });
  return grads;
}

}  // namespace atrous::native
#endif  // HWY_ONCE
