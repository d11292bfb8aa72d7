// SPDX-License-Identifier: Apache-2.0
// Bands of a direct convolution's virtual plane (see direct_conv.h): a task copies the phase-grid
// positions its pixels read, per source channel and stride phase, resolving every padding mode
// through the plan's index maps while copying. Shared by the direct and the Winograd kernels.

#if defined(ATROUS_TENSOR_CONV_BAND_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_CONV_BAND_INL_H_
#undef ATROUS_TENSOR_CONV_BAND_INL_H_
#else
#define ATROUS_TENSOR_CONV_BAND_INL_H_
#endif

#include <algorithm>
#include <cstdint>

#include "atrous/tensor/conv/direct_conv.h"
#include "atrous/tensor/conv/plane_copy-inl.h"
#include "atrous/tensor/gemm/gemm_pack-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// The grid rows of phase row a that grid positions [v0, v0 + len) cross: row(iy, x, end, s) for
// source row iy (−1: a row of zeros) and grid columns [x, end), column x landing at band index s.
template <class RowFn>
HWY_INLINE void ForEachBandRow(const DirectConvPlan& p, const std::int64_t a, const std::int64_t v0,
                               const std::int64_t len, const RowFn& row) {
  const std::int64_t Wg = p.grid_w();
  std::int64_t y = v0 / Wg, x = v0 % Wg;
  for (std::int64_t s = 0; s < len; ++y, x = 0) {
    const std::int64_t run = std::min(len - s, Wg - x), vy = y * p.sH + a;
    row(vy < p.virtual_h() ? p.map_h[static_cast<std::size_t>(vy)] : -1, x, x + run, s);
    s += run;
  }
}

// Virtual column e·sW + b of a source row, through the padding map.
template <typename T>
HWY_INLINE T EdgeValue(const DirectConvPlan& p, const T* HWY_RESTRICT row, const std::int64_t e, const std::int64_t b) {
  const std::int64_t vx = e * p.sW + b;
  const std::int64_t ix = vx < p.virtual_w() ? p.map_w[static_cast<std::size_t>(vx)] : -1;
  return ix < 0 ? T(0) : row[ix];
}

// Phase-grid positions [v0, v0 + len) of phase (a, b) of one source channel, into dst.
template <typename T>
void FillBand(const DirectConvPlan& p, const std::int64_t phase, const T* HWY_RESTRICT plane, const std::int64_t v0,
              const std::int64_t len, T* HWY_RESTRICT dst) {
  const std::int64_t a = phase / p.sW, b = phase % p.sW;
  // Grid columns [clo, chi) are virtual columns e·sW + b inside [copy_lo, copy_hi): a strided copy.
  const std::int64_t clo = std::max<std::int64_t>(0, (p.copy_lo - b + p.sW - 1) / p.sW);
  const std::int64_t chi = std::max(clo, (p.copy_hi - b + p.sW - 1) / p.sW);
  const auto fill_row = [&](const std::int64_t iy, const std::int64_t x, const std::int64_t end, const std::int64_t s) {
    T* out = dst + s - x;  // out[e] is grid column e of this row
    if (iy < 0) return static_cast<void>(std::fill(out + x, out + end, T(0)));
    const T* row = plane + iy * p.src_w;
    const std::int64_t lo = std::clamp(clo, x, end), hi = std::clamp(chi, lo, end);
    for (std::int64_t e = x; e < lo; ++e) out[e] = EdgeValue(p, row, e, b);
    CopyStridedRun(row + lo * p.sW + b - p.copy_shift, p.sW, hi - lo, out + lo);
    for (std::int64_t e = hi; e < end; ++e) out[e] = EdgeValue(p, row, e, b);
  };
  ForEachBandRow(p, a, v0, len, fill_row);
}

// Phases (a, 0) and (a, 1) of a column stride of 2 together: one deinterleaving pass over each
// source row fills both, halving the per-row work that dominates short rows.
template <typename T>
void FillBandPair(const DirectConvPlan& p, const std::int64_t a, const T* HWY_RESTRICT plane, const std::int64_t v0,
                  const std::int64_t len, T* HWY_RESTRICT dst0, T* HWY_RESTRICT dst1) {
  // Grid columns [clo, chi) read virtual columns 2e and 2e + 1 both inside [copy_lo, copy_hi).
  const std::int64_t clo = (p.copy_lo + 1) / 2, chi = std::max(clo, p.copy_hi / 2);
  const auto fill_row = [&](const std::int64_t iy, const std::int64_t x, const std::int64_t end, const std::int64_t s) {
    T* out0 = dst0 + s - x;
    T* out1 = dst1 + s - x;
    if (iy < 0) {
      std::fill(out0 + x, out0 + end, T(0));
      return static_cast<void>(std::fill(out1 + x, out1 + end, T(0)));
    }
    const T* row = plane + iy * p.src_w;
    const std::int64_t lo = std::clamp(clo, x, end), hi = std::clamp(chi, lo, end);
    const auto edge = [&](const std::int64_t e) {
      out0[e] = EdgeValue(p, row, e, 0);
      out1[e] = EdgeValue(p, row, e, 1);
    };
    for (std::int64_t e = x; e < lo; ++e) edge(e);
    DeinterleaveRun(row + 2 * lo - p.copy_shift, hi - lo, out0 + lo, out1 + lo);
    for (std::int64_t e = hi; e < end; ++e) edge(e);
  };
  ForEachBandRow(p, a, v0, len, fill_row);
}

// Every used phase of source channels [ci0, ci1) of one (image, group), grid positions
// [v0, v0 + len); channel ci0 first in dst.
template <typename T>
void FillBands(const DirectConvPlan& p, const T* HWY_RESTRICT planes, const std::int64_t band, const std::int64_t v0,
               const std::int64_t len, const std::int64_t ci0, const std::int64_t ci1, T* HWY_RESTRICT dst) {
  HWY_DASSERT(0 <= ci0 && ci0 <= ci1 && ci1 <= p.Ci && len >= 0 && !p.phases.empty());
  const auto slots = static_cast<std::int64_t>(p.phases.size());
  const auto phase = [&](const std::int64_t slot) { return p.phases[static_cast<std::size_t>(slot)]; };
  // The source rows the bands read, prefetched a channel ahead: each channel's rows are a short
  // stream of their own that the hardware prefetchers pick up too late.
  std::int64_t r0 = p.src_h, r1 = -1;
  const std::int64_t vlast = std::min(p.virtual_h(), ((v0 + len - 1) / p.grid_w() + 1) * p.sH);
  for (std::int64_t vy = v0 / p.grid_w() * p.sH; vy < vlast; ++vy) {
    const std::int64_t r = p.map_h[static_cast<std::size_t>(vy)];
    if (r >= 0) r0 = std::min(r0, r), r1 = std::max(r1, r);
  }
  // From the first grid column's source column in the first row to the last one's in the last.
  const std::int64_t x0 = v0 % p.grid_w(), x1 = (v0 + len - 1) % p.grid_w();
  const std::int64_t c0 = std::clamp<std::int64_t>(x0 * p.sW - p.copy_shift, 0, p.src_w - 1);
  const std::int64_t c1 = std::clamp<std::int64_t>(x1 * p.sW + p.sW - 1 - p.copy_shift, 0, p.src_w - 1);
  const std::int64_t first = r0 * p.src_w + c0, span = r1 < r0 ? 0 : r1 * p.src_w + c1 + 1 - first;
  for (std::int64_t ci = ci0; ci < ci1; ++ci) {
    const T* plane = planes + ci * p.src_h * p.src_w;
    if (ci + 1 < ci1) {
      PrefetchRun(plane + p.src_h * p.src_w + first, span);
    }
    T* slot0 = dst + (ci - ci0) * slots * band;
    for (std::int64_t slot = 0; slot < slots; ++slot) {
      if (p.sW == 2 && phase(slot) % 2 == 0 && slot + 1 < slots && phase(slot + 1) == phase(slot) + 1) {
        FillBandPair(p, phase(slot) / 2, plane, v0, len, slot0 + slot * band, slot0 + (slot + 1) * band);
        ++slot;
      } else {
        FillBand(p, phase(slot), plane, v0, len, slot0 + slot * band);
      }
    }
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_CONV_BAND_INL_H_
