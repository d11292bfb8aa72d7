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

#include "hwy/highway.h"
#include "tensor/conv/conv_plan.h"
#include "tensor/gemm/gemm_pack-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// Row (ci, ky, kx) of the implicit im2col matrix for output pixels [p0, p0 + count):
// out[t] = X[iy, ix] with iy, ix the mapped padded coordinates, or 0. `plane` is X[n, ci].
// Stride-1 interiors are straight copies.
template <typename T>
void Im2colRow(const ConvPlan& p, const T* HWY_RESTRICT plane, const std::int64_t ky, const std::int64_t kx,
               const std::int64_t p0, const std::int64_t count, T* HWY_RESTRICT out) {
  std::int64_t oy = p0 / p.OW, ox = p0 % p.OW;
  for (std::int64_t t = 0; t < count; oy++, ox = 0) {
    const std::int64_t run = std::min(count - t, p.OW - ox);
    T* o = out + t;
    t += run;
    const std::int64_t iy = p.map_h[static_cast<std::size_t>(oy * p.sH + ky * p.dH)];
    if (iy < 0) {
      std::fill(o, o + run, T(0));
      continue;
    }
    const T* row = plane + iy * p.W;
    const std::int64_t q = ox * p.sW + kx * p.dW;
    const std::int64_t* map = p.map_w.data();
    std::int64_t e = 0;
    if (p.sW == 1) {
      for (; e < run && q + e < p.interior_lo; ++e) o[e] = map[q + e] < 0 ? T(0) : row[map[q + e]];
      const std::int64_t mid = std::min(run, p.interior_hi - q);
      if (mid > e) {
        std::memcpy(o + e, row + q + e - p.pad_left, static_cast<std::size_t>(mid - e) * sizeof(T));
        e = mid;
      }
      for (; e < run; ++e) o[e] = map[q + e] < 0 ? T(0) : row[map[q + e]];
    } else {
      for (; e < run; ++e) {
        const std::int64_t s = map[q + e * p.sW];
        o[e] = s < 0 ? T(0) : row[s];
      }
    }
  }
}

// The adjoint of Im2colRow: plane[iy, ix] += col[t] for every pixel whose tap reads a real
// pixel. Visits pixels in order, so sums are deterministic.
template <typename T>
void Col2imRowAdd(const ConvPlan& p, const T* HWY_RESTRICT col, const std::int64_t ky, const std::int64_t kx,
                  const std::int64_t p0, const std::int64_t count, T* HWY_RESTRICT plane) {
  std::int64_t oy = p0 / p.OW, ox = p0 % p.OW;
  for (std::int64_t t = 0; t < count; oy++, ox = 0) {
    const std::int64_t run = std::min(count - t, p.OW - ox);
    const T* c = col + t;
    t += run;
    const std::int64_t iy = p.map_h[static_cast<std::size_t>(oy * p.sH + ky * p.dH)];
    if (iy < 0) continue;
    T* row = plane + iy * p.W;
    const std::int64_t q = ox * p.sW + kx * p.dW;
    const std::int64_t* map = p.map_w.data();
    std::int64_t e = 0;
    if (p.sW == 1) {
      for (; e < run && q + e < p.interior_lo; ++e) {
        if (map[q + e] >= 0) row[map[q + e]] += c[e];
      }
      const std::int64_t mid = std::min(run, p.interior_hi - q);
      if (mid > e) {
        T* dst = row + q - p.pad_left;
        for (std::int64_t i = e; i < mid; ++i) dst[i] += c[i];
        e = mid;
      }
      for (; e < run; ++e) {
        if (map[q + e] >= 0) row[map[q + e]] += c[e];
      }
    } else {
      for (; e < run; ++e) {
        const std::int64_t s = map[q + e * p.sW];
        if (s >= 0) row[s] += c[e];
      }
    }
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_CONV_PACK_INL_H_
