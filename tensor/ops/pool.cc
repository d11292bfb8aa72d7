// SPDX-License-Identifier: Apache-2.0
// Pooling: per-target row kernels (Highway) for the windows that lie inside the input along
// the width, scalar code for the border windows, and the Tensor-level entry points.
#include "atrous/tensor/ops/pool.h"

#include <cmath>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/ops/pool.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR
// Loads the window taps of L output columns starting at `p`: contiguous for stride 1, the even
// elements of 2L for stride 2.
template <class D>
hn::Vec<D> LoadTaps(const D d, const hn::TFromD<D>* HWY_RESTRICT p, const std::int64_t sW) {
  return sW == 1 ? hn::LoadU(d, p) : hn::ConcatEven(d, hn::LoadU(d, p + hn::Lanes(d)), hn::LoadU(d, p));
}

// Whether L = Lanes(d) output columns from `ow` fit in [ow, ow1) and their loads stay inside the
// row (stride 2 loads one element past the last tap).
template <class D>
bool ColumnsFit(const D d, const std::int64_t ow, const std::int64_t ow1, const std::int64_t W, const std::int64_t kW,
                const std::int64_t sW, const std::int64_t pW, const std::int64_t dW) {
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  return ow + L <= ow1 && (ow + L - 1) * sW - pW + (kW - 1) * dW + (sW - 1) < W;
}

template <class D>
std::int64_t MaxPoolColumns(const D d, const hn::TFromD<D>* HWY_RESTRICT in, const std::int64_t W,
                            const std::int64_t h0, const std::int64_t h1, const std::int64_t dH, const std::int64_t kW,
                            const std::int64_t sW, const std::int64_t pW, const std::int64_t dW, std::int64_t ow,
                            const std::int64_t ow1, hn::TFromD<D>* HWY_RESTRICT out,
                            std::int64_t* HWY_RESTRICT idx_out) {
  using T = hn::TFromD<D>;
  const hn::RebindToSigned<D> di;
  using TI = hn::TFromD<decltype(di)>;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const auto lane_offsets = hn::Mul(hn::Iota(di, 0), hn::Set(di, static_cast<TI>(sW)));
  for (; ColumnsFit(d, ow, ow1, W, kW, sW, pW, dW); ow += L) {
    auto best = hn::Set(d, -std::numeric_limits<T>::infinity());
    auto best_i = hn::Set(di, TI(-1));
    bool first = true;
    for (std::int64_t h = h0; h < h1; h += dH) {
      for (std::int64_t j = 0; j < kW; ++j) {
        const std::int64_t col = ow * sW - pW + j * dW;
        const auto v = LoadTaps(d, in + h * W + col, sW);
        const auto i = hn::Add(hn::Set(di, static_cast<TI>(h * W + col)), lane_offsets);
        if (first) {
          best = v, best_i = i, first = false;
          continue;
        }
        const auto take = hn::Or(hn::Gt(v, best), hn::AndNot(hn::IsNaN(best), hn::IsNaN(v)));
        best = hn::IfThenElse(take, v, best);
        best_i = hn::IfThenElse(hn::RebindMask(di, take), i, best_i);
      }
    }
    hn::StoreU(best, d, out + ow);
    HWY_ALIGN TI lanes[hn::MaxLanes(di)];
    hn::Store(best_i, di, lanes);
    for (std::int64_t l = 0; l < L; ++l) idx_out[ow + l] = lanes[l];
  }
  return ow;
}

template <class D>
std::int64_t SumPoolColumns(const D d, const hn::TFromD<D>* HWY_RESTRICT in, const std::int64_t W,
                            const std::int64_t h0, const std::int64_t h1, const std::int64_t kW, const std::int64_t sW,
                            const std::int64_t pW, std::int64_t ow, const std::int64_t ow1,
                            hn::TFromD<D>* HWY_RESTRICT out) {
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  for (; ColumnsFit(d, ow, ow1, W, kW, sW, pW, 1); ow += L) {
    auto sum = hn::Zero(d);
    for (std::int64_t h = h0; h < h1; ++h) {  // the same tap order as the scalar path
      for (std::int64_t j = 0; j < kW; ++j) sum = hn::Add(sum, LoadTaps(d, in + h * W + ow * sW - pW + j, sW));
    }
    hn::StoreU(sum, d, out + ow);
  }
  return ow;
}

#endif  // HWY_TARGET != HWY_SCALAR

// Output columns [ow0, ow1) of one output row whose windows lie inside the input along the width,
// `h0`..`h1` (step dH) the valid window rows. Vectorised over output columns for stride 1 and 2,
// with full vectors first and then 8, 4 and 2 lanes, so narrow rows (7 or 14 columns) are
// vectorised too; returns the first column not done (the caller finishes the rest
// with scalar code). Max keeps the first maximum and lets NaN win, as the scalar path does.
template <typename T>
std::int64_t MaxPoolRowT(const T* HWY_RESTRICT in, const std::int64_t W, const std::int64_t h0, const std::int64_t h1,
                         const std::int64_t dH, const std::int64_t kW, const std::int64_t sW, const std::int64_t pW,
                         const std::int64_t dW, const std::int64_t ow0, const std::int64_t ow1, T* HWY_RESTRICT out,
                         std::int64_t* HWY_RESTRICT idx_out) {
#if HWY_TARGET == HWY_SCALAR
  (void)in, (void)W, (void)h0, (void)h1, (void)dH, (void)kW, (void)sW, (void)pW, (void)dW, (void)ow1, (void)out,
      (void)idx_out;
  return ow0;
#else
  if (sW > 2) return ow0;
  std::int64_t ow = MaxPoolColumns(hn::ScalableTag<T>(), in, W, h0, h1, dH, kW, sW, pW, dW, ow0, ow1, out, idx_out);
  ow = MaxPoolColumns(hn::CappedTag<T, 8>(), in, W, h0, h1, dH, kW, sW, pW, dW, ow, ow1, out, idx_out);
  ow = MaxPoolColumns(hn::CappedTag<T, 4>(), in, W, h0, h1, dH, kW, sW, pW, dW, ow, ow1, out, idx_out);
  return MaxPoolColumns(hn::CappedTag<T, 2>(), in, W, h0, h1, dH, kW, sW, pW, dW, ow, ow1, out, idx_out);
#endif
}

// Sums of the window taps for the same interior columns (the caller divides).
template <typename T>
std::int64_t SumPoolRowT(const T* HWY_RESTRICT in, const std::int64_t W, const std::int64_t h0, const std::int64_t h1,
                         const std::int64_t kW, const std::int64_t sW, const std::int64_t pW, const std::int64_t ow0,
                         const std::int64_t ow1, T* HWY_RESTRICT out) {
#if HWY_TARGET == HWY_SCALAR
  (void)in, (void)W, (void)h0, (void)h1, (void)kW, (void)sW, (void)pW, (void)ow1, (void)out;
  return ow0;
#else
  if (sW > 2) return ow0;
  std::int64_t ow = SumPoolColumns(hn::ScalableTag<T>(), in, W, h0, h1, kW, sW, pW, ow0, ow1, out);
  ow = SumPoolColumns(hn::CappedTag<T, 8>(), in, W, h0, h1, kW, sW, pW, ow, ow1, out);
  ow = SumPoolColumns(hn::CappedTag<T, 4>(), in, W, h0, h1, kW, sW, pW, ow, ow1, out);
  return SumPoolColumns(hn::CappedTag<T, 2>(), in, W, h0, h1, kW, sW, pW, ow, ow1, out);
#endif
}

std::int64_t MaxPoolRowF32(const float* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t dH,
                           std::int64_t kW, std::int64_t sW, std::int64_t pW, std::int64_t dW, std::int64_t ow0,
                           std::int64_t ow1, float* out, std::int64_t* idx) {
  return MaxPoolRowT(in, W, h0, h1, dH, kW, sW, pW, dW, ow0, ow1, out, idx);
}
std::int64_t MaxPoolRowF64(const double* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t dH,
                           std::int64_t kW, std::int64_t sW, std::int64_t pW, std::int64_t dW, std::int64_t ow0,
                           std::int64_t ow1, double* out, std::int64_t* idx) {
  return MaxPoolRowT(in, W, h0, h1, dH, kW, sW, pW, dW, ow0, ow1, out, idx);
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

HWY_EXPORT(MaxPoolRowF32);
HWY_EXPORT(MaxPoolRowF64);
HWY_EXPORT(SumPoolRowF32);
HWY_EXPORT(SumPoolRowF64);

namespace {

// max_pool_row and sum_pool_row: the vector kernels of one output row, per dtype.
std::int64_t max_pool_row(const float* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t dH,
                          std::int64_t kW, std::int64_t sW, std::int64_t pW, std::int64_t dW, std::int64_t ow0,
                          std::int64_t ow1, float* out, std::int64_t* idx) {
  return HWY_DYNAMIC_DISPATCH(MaxPoolRowF32)(in, W, h0, h1, dH, kW, sW, pW, dW, ow0, ow1, out, idx);
}
std::int64_t max_pool_row(const double* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t dH,
                          std::int64_t kW, std::int64_t sW, std::int64_t pW, std::int64_t dW, std::int64_t ow0,
                          std::int64_t ow1, double* out, std::int64_t* idx) {
  return HWY_DYNAMIC_DISPATCH(MaxPoolRowF64)(in, W, h0, h1, dH, kW, sW, pW, dW, ow0, ow1, out, idx);
}
std::int64_t sum_pool_row(const float* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t kW,
                          std::int64_t sW, std::int64_t pW, std::int64_t ow0, std::int64_t ow1, float* out) {
  return HWY_DYNAMIC_DISPATCH(SumPoolRowF32)(in, W, h0, h1, kW, sW, pW, ow0, ow1, out);
}
std::int64_t sum_pool_row(const double* in, std::int64_t W, std::int64_t h0, std::int64_t h1, std::int64_t kW,
                          std::int64_t sW, std::int64_t pW, std::int64_t ow0, std::int64_t ow1, double* out) {
  return HWY_DYNAMIC_DISPATCH(SumPoolRowF64)(in, W, h0, h1, kW, sW, pW, ow0, ow1, out);
}

// Output columns [first, end) whose every tap lies inside [0, W) along the width.
struct ColumnRange {
  std::int64_t first, end;
};
ColumnRange interior_columns(const std::int64_t W, const std::int64_t OW, const std::int64_t k, const std::int64_t s,
                             const std::int64_t pad, const std::int64_t dil) {
  const std::int64_t lo = std::min(OW, pad == 0 ? 0 : (pad - 1) / s + 1);  // ceil(pad / s), for any s
  const std::int64_t last = W - 1 - (k - 1) * dil + pad;                   // ow·s <= last
  const std::int64_t hi = last < 0 ? 0 : std::min(OW, last / s + 1);
  return {lo, std::max(lo, hi)};
}

// Taps [first, end) of a window starting at `start` (spaced `dil`, `k` of them) that land in
// [0, n): computed, not searched, so a kernel of 2^40 taps costs no more than the input it covers.
std::pair<std::int64_t, std::int64_t> taps_inside(const std::int64_t start, const std::int64_t k,
                                                  const std::int64_t dil, const std::int64_t n) {
  const std::int64_t first = start >= 0 ? 0 : (-start - 1) / dil + 1;
  const std::int64_t end = start > n - 1 ? 0 : std::min(k, (n - 1 - start) / dil + 1);
  return {first, std::max(first, end)};
}

// Runs fn(plane) for every (n, c) plane in parallel; planes are independent, so any split gives
// the same bits.
template <typename Fn>
void for_each_plane(const std::int64_t planes, const std::int64_t work_per_plane, const Fn& fn) {
  parallel_for(planes, std::max<std::int64_t>(1, (1 << 16) / std::max<std::int64_t>(1, work_per_plane)),
               [&](const std::int64_t b, const std::int64_t e) {
                 for (std::int64_t i = b; i < e; ++i) fn(i);
               });
}

std::int64_t start_index(const std::int64_t i, const std::int64_t in, const std::int64_t out) { return (i * in) / out; }
std::int64_t end_index(const std::int64_t i, const std::int64_t in, const std::int64_t out) {
  return ((i + 1) * in + out - 1) / out;
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
  PoolParams p = given;  // a single tap reads the same for any dilation; 1 keeps h + dH in range
  if (p.kH == 1) p.dH = 1;
  if (p.kW == 1) p.dW = 1;
  const std::int64_t OH = out_size.height, OW = out_size.width;
  const Tensor x = contiguous(input);
  const std::int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  Tensor out = empty({N, C, OH, OW}, x.dtype()), idx = empty({N, C, OH, OW}, kInt64);
  dispatch_floating(x.dtype(), "max_pool2d", [&]<typename T>() {
    const T* src = x.data_ptr<T>();
    T* dst = out.data_ptr<T>();
    std::int64_t* ind = idx.data_ptr<std::int64_t>();
    const ColumnRange interior = interior_columns(W, OW, p.kW, p.sW, p.pW, p.dW);
    const std::int64_t lo = interior.first, hi = interior.end;
    for_each_plane(N * C, OH * OW * std::min(p.kH, H) * std::min(p.kW, W), [&](const std::int64_t plane) {
      const T* in = src + plane * H * W;
      for (std::int64_t oh = 0; oh < OH; ++oh) {
        // Window rows inside the input: h = oh·sH − pH + i·dH.
        const auto [i0, i1] = taps_inside(oh * p.sH - p.pH, p.kH, p.dH, H);
        const std::int64_t h0 = oh * p.sH - p.pH + i0 * p.dH, h1 = oh * p.sH - p.pH + i1 * p.dH;
        T* row = dst + (plane * OH + oh) * OW;
        std::int64_t* irow = ind + (plane * OH + oh) * OW;
        std::int64_t vec_end = lo;
        if (i1 > i0) {
          vec_end = max_pool_row(in, W, h0, h1, p.dH, p.kW, p.sW, p.pW, p.dW, lo, hi, row, irow);
        }
        for (std::int64_t ow = 0; ow < OW; ++ow) {
          if (ow == lo) ow = vec_end;  // [lo, vec_end) done by the vector kernel
          if (ow >= OW) break;
          T best = -std::numeric_limits<T>::infinity();
          std::int64_t best_i = -1;
          const auto [j0, j1] = taps_inside(ow * p.sW - p.pW, p.kW, p.dW, W);
          for (std::int64_t i = i0; i < i1; ++i) {
            const std::int64_t h = oh * p.sH - p.pH + i * p.dH;
            for (std::int64_t j = j0; j < j1; ++j) {
              const std::int64_t w = ow * p.sW - p.pW + j * p.dW;
              const T v = in[h * W + w];
              if (best_i < 0 || v > best || std::isnan(v)) {
                best = v;
                best_i = h * W + w;
                if (std::isnan(v)) i = i1, j = j1;  // NaN is the maximum
              }
            }
          }
          const std::int64_t o = (plane * OH + oh) * OW + ow;
          dst[o] = best;
          ind[o] = best_i;
        }
      }
    });
  });
  return {out, idx};
}

Tensor max_pool2d_backward(const Tensor& grad, const Tensor& indices, const Shape& input_sizes) {
  const profile::Scope scope("max_pool2d_backward");
  Tensor gx = zeros(input_sizes, grad.dtype());
  const Tensor g = contiguous(grad);
  const std::int64_t planes = input_sizes[0] * input_sizes[1], HW = input_sizes[2] * input_sizes[3];
  const std::int64_t OHW = g.size(2) * g.size(3);
  dispatch_floating(grad.dtype(), "max_pool2d", [&]<typename T>() {
    const T* src = g.data_ptr<T>();
    const std::int64_t* ind = indices.data_ptr<std::int64_t>();
    T* dst = gx.data_ptr<T>();
    for_each_plane(planes, OHW, [&](const std::int64_t plane) {
      for (std::int64_t o = 0; o < OHW; ++o) {
        const std::int64_t i = ind[plane * OHW + o];
        if (i >= 0) dst[plane * HW + i] += src[plane * OHW + o];
      }
    });
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

Tensor adaptive_avg_pool2d(const Tensor& input, const std::int64_t OH, const std::int64_t OW) {
  const profile::Scope scope("adaptive_avg_pool2d");
  check_arg(input.dim() == 4, "adaptive_avg_pool2d", "expected a 4-D (N, C, H, W) input, got shape ",
            shape_str(input.sizes()));
  check_arg(OH > 0 && OW > 0, "adaptive_avg_pool2d", "output_size must be positive, got (", OH, ", ", OW, ")");
  check_arg(input.size(2) > 0 && input.size(3) > 0, "adaptive_avg_pool2d", "input spatial size must be positive, got ",
            shape_str(input.sizes()));
  const Tensor x = contiguous(input);
  const std::int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  Tensor out = empty({N, C, OH, OW}, x.dtype());
  dispatch_floating(x.dtype(), "adaptive_avg_pool2d", [&]<typename T>() {
    const T* src = x.data_ptr<T>();
    T* dst = out.data_ptr<T>();
    for_each_plane(N * C, H * W, [&](const std::int64_t plane) {
      const T* in = src + plane * H * W;
      for (std::int64_t oh = 0; oh < OH; ++oh) {
        const std::int64_t h0 = start_index(oh, H, OH), h1 = end_index(oh, H, OH);
        for (std::int64_t ow = 0; ow < OW; ++ow) {
          const std::int64_t w0 = start_index(ow, W, OW), w1 = end_index(ow, W, OW);
          T sum = 0;
          for (std::int64_t h = h0; h < h1; ++h) {
            for (std::int64_t w = w0; w < w1; ++w) sum += in[h * W + w];
          }
          dst[(plane * OH + oh) * OW + ow] = sum / static_cast<T>((h1 - h0) * (w1 - w0));
        }
      }
    });
  });
  return out;
}

Tensor adaptive_avg_pool2d_backward(const Tensor& grad, const Shape& input_sizes) {
  const profile::Scope scope("adaptive_avg_pool2d_backward");
  Tensor gx = zeros(input_sizes, grad.dtype());
  const Tensor g = contiguous(grad);
  const std::int64_t H = input_sizes[2], W = input_sizes[3], OH = g.size(2), OW = g.size(3);
  dispatch_floating(grad.dtype(), "adaptive_avg_pool2d", [&]<typename T>() {
    const T* src = g.data_ptr<T>();
    T* dst = gx.data_ptr<T>();
    for_each_plane(input_sizes[0] * input_sizes[1], H * W, [&](const std::int64_t plane) {
      T* out = dst + plane * H * W;
      for (std::int64_t oh = 0; oh < OH; ++oh) {
        const std::int64_t h0 = start_index(oh, H, OH), h1 = end_index(oh, H, OH);
        for (std::int64_t ow = 0; ow < OW; ++ow) {
          const std::int64_t w0 = start_index(ow, W, OW), w1 = end_index(ow, W, OW);
          const T share = src[(plane * OH + oh) * OW + ow] / static_cast<T>((h1 - h0) * (w1 - w0));
          for (std::int64_t h = h0; h < h1; ++h) {
            for (std::int64_t w = w0; w < w1; ++w) out[h * W + w] += share;
          }
        }
      }
    });
  });
  return gx;
}

}  // namespace atrous::native
#endif  // HWY_ONCE
