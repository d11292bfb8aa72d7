// SPDX-License-Identifier: Apache-2.0
// Packing for the convolution GEMMs: im2col folded into panel packing (no im2col buffer), with
// every padding mode read through the plan's index maps, and its adjoint (col2im) that folds
// gradients back onto their source pixels. Panels follow gemm_microkernel-inl.h's layout.

#if defined(ATROUS_TENSOR_CONV_PACK_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_CONV_PACK_INL_H_
#undef ATROUS_TENSOR_CONV_PACK_INL_H_
#else
#define ATROUS_TENSOR_CONV_PACK_INL_H_
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "atrous/tensor/conv/conv_plan.h"
#include "atrous/tensor/conv/plane_copy-inl.h"
#include "atrous/tensor/gemm/gemm_pack-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// Walks row (ky, kx) of the implicit im2col matrix over output pixels [p0, p0 + count), in
// pixel order, through the plan's padding maps: skip(t, run) for a run whose input row is
// padding; one(t, iy, ix) per pixel t otherwise (ix < 0: a padded column); and, for stride-1
// interiors, span(t, iy, ix, len) for len pixels reading consecutive columns from ix on.
// Im2colRow and its adjoint Col2imRowAdd are both this walk.
template <class Skip, class One, class Span>
HWY_INLINE void WalkTapRow(const ConvPlan& p, const std::int64_t ky, const std::int64_t kx, const std::int64_t p0,
                           const std::int64_t count, const Skip& skip, const One& one, const Span& span) {
  const std::int64_t* map = p.map_w.data();
  std::int64_t oy = p0 / p.OW, ox = p0 % p.OW;
  for (std::int64_t t = 0; t < count; oy++, ox = 0) {
    const std::int64_t run = std::min(count - t, p.OW - ox);
    const std::int64_t t0 = t;
    t += run;
    const std::int64_t iy = p.map_h[static_cast<std::size_t>(oy * p.sH + ky * p.dH)];
    if (iy < 0) {
      skip(t0, run);
      continue;
    }
    const std::int64_t q = ox * p.sW + kx * p.dW;
    std::int64_t e = 0;
    if (p.sW == 1) {
      for (; e < run && q + e < p.interior_lo; ++e) one(t0 + e, iy, map[q + e]);
      const std::int64_t mid = std::min(run, p.interior_hi - q);
      if (mid > e) {
        span(t0 + e, iy, q + e - p.pad_left, mid - e);
        e = mid;
      }
      for (; e < run; ++e) one(t0 + e, iy, map[q + e]);
    } else {
      for (; e < run; ++e) one(t0 + e, iy, map[q + e * p.sW]);
    }
  }
}

// Row (ci, ky, kx) of the implicit im2col matrix for output pixels [p0, p0 + count):
// out[t] = X[iy, ix] with iy, ix the mapped padded coordinates, or 0. `plane` is X[n, ci].
// Stride-1 interiors are straight copies.
template <typename T>
void Im2colRow(const ConvPlan& p, const T* HWY_RESTRICT plane, const std::int64_t ky, const std::int64_t kx,
               const std::int64_t p0, const std::int64_t count, T* HWY_RESTRICT out) {
  WalkTapRow(
      p, ky, kx, p0, count, [&](std::int64_t t, std::int64_t run) { std::fill(out + t, out + t + run, T(0)); },
      [&](std::int64_t t, std::int64_t iy, std::int64_t ix) { out[t] = ix < 0 ? T(0) : plane[iy * p.W + ix]; },
      [&](std::int64_t t, std::int64_t iy, std::int64_t ix, std::int64_t len) {
        CopyRun(plane + iy * p.W + ix, len, out + t);
      });
}

// The adjoint of Im2colRow: plane[iy, ix] += col[t] for every pixel whose tap reads a real
// pixel. Visits pixels in order, so sums are deterministic.
template <typename T>
void Col2imRowAdd(const ConvPlan& p, const T* HWY_RESTRICT col, const std::int64_t ky, const std::int64_t kx,
                  const std::int64_t p0, const std::int64_t count, T* HWY_RESTRICT plane) {
  WalkTapRow(
      p, ky, kx, p0, count, [](std::int64_t, std::int64_t) {},
      [&](std::int64_t t, std::int64_t iy, std::int64_t ix) {
        if (ix >= 0) plane[iy * p.W + ix] += col[t];
      },
      [&](std::int64_t t, std::int64_t iy, std::int64_t ix, std::int64_t len) {
        T* dst = plane + iy * p.W + ix;
        const T* src = col + t;
        for (std::int64_t i = 0; i < len; ++i) dst[i] += src[i];
      });
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_CONV_PACK_INL_H_
