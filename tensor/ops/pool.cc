// SPDX-License-Identifier: Apache-2.0
// Max and average pooling: per-target kernels (Highway) for the windows that lie inside the input
// along the width — max pooling a whole range of planes per call, average pooling a row — scalar
// code for the border windows, and the Tensor-level entry points.
#include "atrous/tensor/ops/pool.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "atrous/tensor/ops/pool_planes.h"
#include "atrous/tensor/ops/pool_window.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/ops/pool.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/simd/tail-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR
// Loads the window taps of n <= L = Lanes(d) output columns from `p` (column l reads p[l·sW],
// sW 1 or 2). `whole`: L columns whose loads may read one element past the last tap (stride 2
// takes the even elements of 2L); otherwise masked loads read the taps and nothing past them.
template <class D>
hn::Vec<D> LoadTaps(const D d, const hn::TFromD<D>* HWY_RESTRICT p, const std::int64_t sW, const std::size_t n,
                    const bool whole) {
  const std::size_t L = hn::Lanes(d);
  if (whole) return sW == 1 ? hn::LoadU(d, p) : hn::ConcatEven(d, hn::LoadU(d, p + L), hn::LoadU(d, p));
  if (sW == 1) return LoadTail(d, p, n);
  const std::size_t span = 2 * n - 1;  // elements through the last tap
  return hn::ConcatEven(d, LoadTail(d, p + L, span > L ? span - L : 0), LoadTail(d, p, std::min(span, L)));
}

// Whether L = Lanes(d) output columns from `ow` fit in [ow, ow1) and their whole loads stay
// inside the row (stride 2 loads one element past the last tap).
template <class D>
bool ColumnsFit(const D d, const std::int64_t ow, const std::int64_t ow1, const std::int64_t W, const std::int64_t kW,
                const std::int64_t sW, const std::int64_t pW, const std::int64_t dW) {
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  return ow + L <= ow1 && (ow + L - 1) * sW - pW + (kW - 1) * dW + (sW - 1) < W;
}

// Output columns [ow0, ow1) of one output row, all of whose taps lie inside the row; the window
// rows are h0 … h1 (step dH). Vectorised over output columns, the last n < L of them (or L whose
// whole loads would leave the row) by masked loads and stores. Keeps each window's first
// maximum and lets NaN win, as the scalar MaxPoolWindow does.
template <class D, typename I>
void MaxPoolColumns(const D d, const hn::TFromD<D>* HWY_RESTRICT in, const MaxPoolPlan& g, const std::int64_t h0,
                    const std::int64_t h1, const std::int64_t ow0, const std::int64_t ow1,
                    hn::TFromD<D>* HWY_RESTRICT out, I* HWY_RESTRICT idx_out) {
  using T = hn::TFromD<D>;
  const hn::RebindToSigned<D> di;
  static_assert(std::is_same_v<I, hn::TFromD<decltype(di)>>, "one index lane per value lane");
  const PoolParams& p = g.p;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const auto lane_offsets = hn::Mul(hn::Iota(di, 0), hn::Set(di, static_cast<I>(p.sW)));
  for (std::int64_t ow = ow0; ow < ow1; ow += L) {
    const bool whole = ColumnsFit(d, ow, ow1, g.W, p.kW, p.sW, p.pW, p.dW);
    const auto n = static_cast<std::size_t>(std::min(L, ow1 - ow));
    auto best = hn::Set(d, -std::numeric_limits<T>::infinity());
    auto best_i = hn::Set(di, I(-1));
    bool first = true;
    for (std::int64_t h = h0; h < h1; h += p.dH) {
      for (std::int64_t j = 0; j < p.kW; ++j) {
        const std::int64_t col = ow * p.sW - p.pW + j * p.dW;
        const auto v = LoadTaps(d, in + h * g.W + col, p.sW, n, whole);
        const auto i = hn::Add(hn::Set(di, static_cast<I>(h * g.W + col)), lane_offsets);
        if (first) {
          best = v, best_i = i, first = false;
          continue;
        }
        const auto take = hn::Or(hn::Gt(v, best), hn::AndNot(hn::IsNaN(best), hn::IsNaN(v)));
        best = hn::IfThenElse(take, v, best);
        best_i = hn::IfThenElse(hn::RebindMask(di, take), i, best_i);
      }
    }
    if (n == static_cast<std::size_t>(L)) {
      hn::StoreU(best, d, out + ow);
      hn::StoreU(best_i, di, idx_out + ow);
    } else {
      StoreTail(best, d, out + ow, n);
      StoreTail(best_i, di, idx_out + ow, n);
    }
  }
}

// Sums of the window taps of output columns [ow0, ow1), all inside the row, stride 1 or 2, in the
// scalar path's tap order (rows h0 … h1, then columns), tails as in MaxPoolColumns.
template <class D>
void SumPoolColumns(const D d, const hn::TFromD<D>* HWY_RESTRICT in, const std::int64_t W, const std::int64_t h0,
                    const std::int64_t h1, const std::int64_t kW, const std::int64_t sW, const std::int64_t pW,
                    const std::int64_t ow0, const std::int64_t ow1, hn::TFromD<D>* HWY_RESTRICT out) {
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  for (std::int64_t ow = ow0; ow < ow1; ow += L) {
    const bool whole = ColumnsFit(d, ow, ow1, W, kW, sW, pW, 1);
    const auto n = static_cast<std::size_t>(std::min(L, ow1 - ow));
    auto sum = hn::Zero(d);
    for (std::int64_t h = h0; h < h1; ++h) {
      for (std::int64_t j = 0; j < kW; ++j)
        sum = hn::Add(sum, LoadTaps(d, in + h * W + ow * sW - pW + j, sW, n, whole));
    }
    if (n == static_cast<std::size_t>(L)) {
      hn::StoreU(sum, d, out + ow);
    } else {
      StoreTail(sum, d, out + ow, n);
    }
  }
}

#endif  // HWY_TARGET != HWY_SCALAR

// Window (oh, ow) of a plane, whose rows i0 … i1 lie inside the input, tap by tap: the first
// maximum, or the first NaN; a window with no tap inside gives −∞ at index −1.
template <typename T, typename I>
void MaxPoolWindow(const T* HWY_RESTRICT in, const MaxPoolPlan& g, const std::int64_t i0, const std::int64_t i1,
                   const std::int64_t oh, const std::int64_t ow, T* HWY_RESTRICT out, I* HWY_RESTRICT idx_out) {
  const PoolParams& p = g.p;
  T best = -std::numeric_limits<T>::infinity();
  I best_i = -1;
  const auto [j0, j1] = taps_inside(ow * p.sW - p.pW, p.kW, p.dW, g.W);
  for (std::int64_t i = i0; i < i1; ++i) {
    const std::int64_t h = oh * p.sH - p.pH + i * p.dH;
    for (std::int64_t j = j0; j < j1; ++j) {
      const std::int64_t w = ow * p.sW - p.pW + j * p.dW;
      const T v = in[h * g.W + w];
      if (best_i < 0 || v > best || std::isnan(v)) {
        best = v;
        best_i = static_cast<I>(h * g.W + w);
        if (std::isnan(v)) i = i1, j = j1;  // NaN is the maximum
      }
    }
  }
  out[ow] = best;
  idx_out[ow] = best_i;
}

// Max pooling of planes [first, end): the interior columns of each row by the vector kernel when
// an index lane is as wide as a value lane, every other window by MaxPoolWindow.
template <typename T, typename I>
void MaxPoolPlanesT(const MaxPoolPlan& g, const T* HWY_RESTRICT src, const std::int64_t first, const std::int64_t end,
                    T* HWY_RESTRICT dst, I* HWY_RESTRICT indices) {
  const PoolParams& p = g.p;
  const std::int64_t lo = g.interior.first;
  std::int64_t hi = lo;
#if HWY_TARGET != HWY_SCALAR
  if (sizeof(I) == sizeof(T) && p.sW <= 2) hi = g.interior.end;
#endif
  for (std::int64_t plane = first; plane < end; ++plane) {
    const T* in = src + plane * g.H * g.W;
    for (std::int64_t oh = 0; oh < g.OH; ++oh) {
      const auto [i0, i1] = taps_inside(oh * p.sH - p.pH, p.kH, p.dH, g.H);
      T* out = dst + (plane * g.OH + oh) * g.OW;
      I* idx = indices + (plane * g.OH + oh) * g.OW;
      const bool vector = i1 > i0 && hi > lo;
#if HWY_TARGET != HWY_SCALAR
      if constexpr (sizeof(I) == sizeof(T)) {
        if (vector) {
          MaxPoolColumns(hn::ScalableTag<T>(), in, g, oh * p.sH - p.pH + i0 * p.dH, oh * p.sH - p.pH + i1 * p.dH, lo,
                         hi, out, idx);
        }
      }
#endif
      for (std::int64_t ow = 0; ow < g.OW; ++ow) {
        if (vector && ow == lo) ow = hi;  // [lo, hi) done by the vector kernel
        if (ow >= g.OW) break;
        MaxPoolWindow(in, g, i0, i1, oh, ow, out, idx);
      }
    }
  }
}

// Sums of the window taps for the interior columns [ow0, ow1) of one output row; returns the
// first column not done (all of them for stride 1 and 2; the caller divides, and finishes the
// rest with scalar code in the same tap order).
template <typename T>
std::int64_t SumPoolRowT(const T* HWY_RESTRICT in, const std::int64_t W, const std::int64_t h0, const std::int64_t h1,
                         const std::int64_t kW, const std::int64_t sW, const std::int64_t pW, const std::int64_t ow0,
                         const std::int64_t ow1, T* HWY_RESTRICT out) {
#if HWY_TARGET == HWY_SCALAR
  (void)in, (void)W, (void)h0, (void)h1, (void)kW, (void)sW, (void)pW, (void)ow1, (void)out;
  return ow0;
#else
  if (sW > 2) return ow0;
  SumPoolColumns(hn::ScalableTag<T>(), in, W, h0, h1, kW, sW, pW, ow0, ow1, out);
  return ow1;
#endif
}

void MaxPoolPlanesF32I32(const MaxPoolPlan& g, const float* src, std::int64_t first, std::int64_t end, float* dst,
                         std::int32_t* indices) {
  MaxPoolPlanesT(g, src, first, end, dst, indices);
}
void MaxPoolPlanesF32I64(const MaxPoolPlan& g, const float* src, std::int64_t first, std::int64_t end, float* dst,
                         std::int64_t* indices) {
  MaxPoolPlanesT(g, src, first, end, dst, indices);
}
void MaxPoolPlanesF64I64(const MaxPoolPlan& g, const double* src, std::int64_t first, std::int64_t end, double* dst,
                         std::int64_t* indices) {
  MaxPoolPlanesT(g, src, first, end, dst, indices);
}
std::int64_t SumPoolRowF32(const float* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t kW,
                           std::int64_t sW, std::int64_t pW, std::int64_t ow0, std::int64_t ow1, float* out) {
  return SumPoolRowT(in, W, h0, h1, kW, sW, pW, ow0, ow1, out);
}
std::int64_t SumPoolRowF64(const double* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t kW,
                           std::int64_t sW, std::int64_t pW, std::int64_t ow0, std::int64_t ow1, double* out) {
  return SumPoolRowT(in, W, h0, h1, kW, sW, pW, ow0, ow1, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <algorithm>
#include <vector>

#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

HWY_EXPORT(MaxPoolPlanesF32I32);
HWY_EXPORT(MaxPoolPlanesF32I64);
HWY_EXPORT(MaxPoolPlanesF64I64);
HWY_EXPORT(SumPoolRowF32);
HWY_EXPORT(SumPoolRowF64);

namespace {

// max_pool_planes and sum_pool_row: the per-target kernels, per dtype.
void max_pool_planes(const MaxPoolPlan& g, const float* src, std::int64_t first, std::int64_t end, float* dst,
                     std::int32_t* indices) {
  HWY_DYNAMIC_DISPATCH(MaxPoolPlanesF32I32)(g, src, first, end, dst, indices);
}
void max_pool_planes(const MaxPoolPlan& g, const float* src, std::int64_t first, std::int64_t end, float* dst,
                     std::int64_t* indices) {
  HWY_DYNAMIC_DISPATCH(MaxPoolPlanesF32I64)(g, src, first, end, dst, indices);
}
void max_pool_planes(const MaxPoolPlan& g, const double* src, std::int64_t first, std::int64_t end, double* dst,
                     std::int64_t* indices) {
  HWY_DYNAMIC_DISPATCH(MaxPoolPlanesF64I64)(g, src, first, end, dst, indices);
}
std::int64_t sum_pool_row(const float* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t kW,
                          std::int64_t sW, std::int64_t pW, std::int64_t ow0, std::int64_t ow1, float* out) {
  return HWY_DYNAMIC_DISPATCH(SumPoolRowF32)(in, W, h0, h1, kW, sW, pW, ow0, ow1, out);
}
std::int64_t sum_pool_row(const double* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t kW,
                          std::int64_t sW, std::int64_t pW, std::int64_t ow0, std::int64_t ow1, double* out) {
  return HWY_DYNAMIC_DISPATCH(SumPoolRowF64)(in, W, h0, h1, kW, sW, pW, ow0, ow1, out);
}

}  // namespace

std::int64_t pool_output_size(const std::int64_t input, const std::int64_t kernel, const std::int64_t pad,
                              const std::int64_t stride, const std::int64_t dilation, const bool ceil_mode) {
  // Checked: kernel, stride, dilation and pad come from the user, up to INT64_MAX.
  const std::int64_t padded = with_op_name("pool_output_size", [&] { return padded_size(input, pad, pad); });
  const std::int64_t span = effective_kernel_size(kernel, dilation);
  const std::int64_t room = padded - span;                            // both non-negative: cannot wrap
  if (room < 0) return room / stride + (room % stride != 0 ? 0 : 1);  // < 1 when the window does not fit
  std::int64_t out = room / stride + (ceil_mode && room % stride != 0 ? 1 : 0) + 1;
  // ceil_mode: the last window must start inside the input or the left padding.
  std::int64_t last_start = 0;
  if (ceil_mode && (__builtin_mul_overflow(out - 1, stride, &last_start) || last_start >= input + pad)) --out;
  return out;
}

PoolSize check_pool(const char* op, const Tensor& x, const PoolParams& p) {
  check_arg(x.dim() == 4, op, "expected a 4-D (N, C, H, W) input, got shape ", shape_str(x.sizes()));
  check_arg(is_floating(x.dtype()), op, "needs float32 or float64 input, got ", dtype_name(x.dtype()));
  check_arg(p.kH > 0 && p.kW > 0, op, "kernel_size must be positive, got (", p.kH, ", ", p.kW, ")");
  check_arg(p.sH > 0 && p.sW > 0, op, "stride must be positive, got (", p.sH, ", ", p.sW, ")");
  check_arg(p.dH > 0 && p.dW > 0, op, "dilation must be positive, got (", p.dH, ", ", p.dW, ")");
  check_arg(p.pH >= 0 && p.pW >= 0 && p.pH <= p.kH / 2 && p.pW <= p.kW / 2, op,
            "pad should be at most half of kernel size, but got pad=(", p.pH, ", ", p.pW, ") and kernel_size=(", p.kH,
            ", ", p.kW, ")");
  const std::int64_t H = x.size(2), W = x.size(3);
  const std::int64_t OH = with_op_name(op, [&] { return pool_output_size(H, p.kH, p.pH, p.sH, p.dH, p.ceil_mode); });
  const std::int64_t OW = with_op_name(op, [&] { return pool_output_size(W, p.kW, p.pW, p.sW, p.dW, p.ceil_mode); });
  check_arg(OH >= 1 && OW >= 1, op, "output size is too small: input ", H, "x", W, " with kernel (", p.kH, ", ", p.kW,
            "), stride (", p.sH, ", ", p.sW, "), padding (", p.pH, ", ", p.pW, "), dilation (", p.dH, ", ", p.dW,
            ") gives ", OH, "x", OW);
  return {OH, OW};
}

std::pair<Tensor, Tensor> max_pool2d(const Tensor& input, const PoolParams& given) {
  const profile::Scope scope("max_pool2d");
  const PoolSize out_size = check_pool("max_pool2d", input, given);
  MaxPoolPlan g{
      .p = given, .H = input.size(2), .W = input.size(3), .OH = out_size.height, .OW = out_size.width, .interior = {}};
  if (g.p.kH == 1) g.p.dH = 1;  // a single tap reads the same for any dilation; 1 keeps h + dH in range
  if (g.p.kW == 1) g.p.dW = 1;
  g.interior = interior_columns(g.W, g.OW, g.p.kW, g.p.sW, g.p.pW, g.p.dW);
  const Tensor x = contiguous(input);
  const std::int64_t planes = x.size(0) * x.size(1);
  const bool narrow = x.dtype() == kFloat32 && g.H * g.W <= std::numeric_limits<std::int32_t>::max();
  Tensor out = empty({x.size(0), x.size(1), g.OH, g.OW}, x.dtype()), idx = empty(out.sizes(), narrow ? kInt32 : kInt64);
  const std::int64_t grain = plane_grain(g.OH * g.OW * std::min(g.p.kH, g.H) * std::min(g.p.kW, g.W));
  dispatch_floating(x.dtype(), "max_pool2d", [&]<typename T>() {
    const auto run = [&]<typename I>() {
      parallel_for(planes, grain, [&](const std::int64_t b, const std::int64_t e) {
        max_pool_planes(g, x.data_ptr<T>(), b, e, out.data_ptr<T>(), idx.data_ptr<I>());
      });
    };
    if constexpr (std::is_same_v<T, float>) {
      if (narrow) return run.template operator()<std::int32_t>();
    }
    run.template operator()<std::int64_t>();
  });
  return {out, idx};
}

Tensor max_pool2d_backward(const Tensor& grad, const Tensor& indices, const Shape& input_sizes) {
  const profile::Scope scope("max_pool2d_backward");
  Tensor gx = empty(input_sizes, grad.dtype());  // each plane zeroed just before its gradients land
  const Tensor g = contiguous(grad);
  const std::int64_t planes = input_sizes[0] * input_sizes[1], HW = input_sizes[2] * input_sizes[3];
  const std::int64_t OHW = g.size(2) * g.size(3);
  dispatch_floating(grad.dtype(), "max_pool2d", [&]<typename T>() {
    const auto run = [&]<typename I>() {
      const T* src = g.data_ptr<T>();
      const I* ind = indices.data_ptr<I>();
      T* dst = gx.data_ptr<T>();
      for_each_plane(planes, HW + OHW, [&](const std::int64_t plane) {
        std::fill(dst + plane * HW, dst + (plane + 1) * HW, T(0));
        for (std::int64_t o = 0; o < OHW; ++o) {
          const I i = ind[plane * OHW + o];
          if (i >= 0) dst[plane * HW + i] += src[plane * OHW + o];
        }
      });
    };
    if (indices.dtype() == kInt32) return run.template operator()<std::int32_t>();
    run.template operator()<std::int64_t>();
  });
  return gx;
}

namespace {

// The divisor of average window (oh, ow): PyTorch counts padded positions inside the padded
// input when count_include_pad, never the ceil-mode overhang beyond it.
template <typename Fn>
void for_each_avg_window(const PoolParams& p, const std::int64_t H, const std::int64_t W, const std::int64_t OH,
                         const std::int64_t OW, const Fn& fn) {
  for (std::int64_t oh = 0; oh < OH; ++oh) {
    for (std::int64_t ow = 0; ow < OW; ++ow) {
      std::int64_t h0 = oh * p.sH - p.pH, w0 = ow * p.sW - p.pW;
      std::int64_t h1 = std::min(h0 + p.kH, H + p.pH), w1 = std::min(w0 + p.kW, W + p.pW);
      const double padded = static_cast<double>(h1 - h0) * static_cast<double>(w1 - w0);  // may pass 2^63
      h0 = std::max<std::int64_t>(h0, 0), w0 = std::max<std::int64_t>(w0, 0);
      h1 = std::min(h1, H), w1 = std::min(w1, W);
      const double count = p.count_include_pad ? padded : static_cast<double>((h1 - h0) * (w1 - w0));
      fn(oh * OW + ow, h0, h1, w0, w1, count);
    }
  }
}

}  // namespace

Tensor avg_pool2d(const Tensor& input, const PoolParams& p) {
  const profile::Scope scope("avg_pool2d");
  const PoolSize out_size = check_pool("avg_pool2d", input, p);
  const std::int64_t OH = out_size.height, OW = out_size.width;
  const Tensor x = contiguous(input);
  const std::int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  Tensor out = empty({N, C, OH, OW}, x.dtype());
  const ColumnRange interior = interior_columns(W, OW, p.kW, p.sW, p.pW, 1);
  const std::int64_t lo = interior.first, hi = interior.end;
  dispatch_floating(x.dtype(), "avg_pool2d", [&]<typename T>() {
    const T* src = x.data_ptr<T>();
    T* dst = out.data_ptr<T>();
    for_each_plane(N * C, OH * OW * std::min(p.kH, H) * std::min(p.kW, W), [&](const std::int64_t plane) {
      const T* in = src + plane * H * W;
      T* o = dst + plane * OH * OW;
      // Window sums of the interior columns, row by row, by the vector kernel; the same tap
      // order as the scalar loop below, so both give the same bits.
      std::vector<std::int64_t> vec_end(static_cast<std::size_t>(OH), lo);
      for (std::int64_t oh = 0; oh < OH; ++oh) {
        const std::int64_t h0 = std::max<std::int64_t>(oh * p.sH - p.pH, 0), h1 = std::min(oh * p.sH - p.pH + p.kH, H);
        if (h1 <= h0) continue;
        vec_end[static_cast<std::size_t>(oh)] = sum_pool_row(in, W, h0, h1, p.kW, p.sW, p.pW, lo, hi, o + oh * OW);
      }
      for_each_avg_window(p, H, W, OH, OW, [&](auto idx, auto h0, auto h1, auto w0, auto w1, auto count) {
        const std::int64_t oh = idx / OW, ow = idx % OW;
        T sum = 0;
        if (ow >= lo && ow < vec_end[static_cast<std::size_t>(oh)]) {
          sum = o[idx];
        } else {
          for (std::int64_t h = h0; h < h1; ++h) {
            for (std::int64_t w = w0; w < w1; ++w) sum += in[h * W + w];
          }
        }
        o[idx] = count > 0 ? sum / static_cast<T>(count) : T(0);
      });
    });
  });
  return out;
}

Tensor avg_pool2d_backward(const Tensor& grad, const Shape& input_sizes, const PoolParams& p) {
  const profile::Scope scope("avg_pool2d_backward");
  Tensor gx = zeros(input_sizes, grad.dtype());
  const Tensor g = contiguous(grad);
  const std::int64_t H = input_sizes[2], W = input_sizes[3], OH = g.size(2), OW = g.size(3);
  dispatch_floating(grad.dtype(), "avg_pool2d", [&]<typename T>() {
    const T* src = g.data_ptr<T>();
    T* dst = gx.data_ptr<T>();
    for_each_plane(input_sizes[0] * input_sizes[1], OH * OW * std::min(p.kH, H) * std::min(p.kW, W),
                   [&](const std::int64_t plane) {
                     T* out = dst + plane * H * W;
                     for_each_avg_window(p, H, W, OH, OW, [&](auto o, auto h0, auto h1, auto w0, auto w1, auto count) {
                       if (count == 0) return;
                       const T share = src[plane * OH * OW + o] / static_cast<T>(count);
                       for (std::int64_t h = h0; h < h1; ++h) {
                         for (std::int64_t w = w0; w < w1; ++w) out[h * W + w] += share;
                       }
                     });
                   });
  });
  return gx;
}

}  // namespace atrous::native
#endif  // HWY_ONCE
