// SPDX-License-Identifier: Apache-2.0
// Panel packers for the GEMM micro-kernel: they define the panel layout every operand is
// copied into (k-major, MR values per k for A, NR for B, zero-padded to full tiles).

#if defined(ATROUS_TENSOR_GEMM_PACK_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_GEMM_PACK_INL_H_
#undef ATROUS_TENSOR_GEMM_PACK_INL_H_
#else
#define ATROUS_TENSOR_GEMM_PACK_INL_H_
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "hwy/cache_control.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// A k-major panel `width` wide of `rows` (<= width, zero-padded) rows and kc columns of the
// matrix M(i, k) = base[i·rs + col(k)]: panel[k·width + r].
// Rows far apart (a weight's output channels) are as many interleaved streams, which the hardware
// prefetchers miss: each row's values kAhead columns on are prefetched by hand.
template <typename T, class ColFn>
void PackPanelOf(const T* HWY_RESTRICT base, const std::int64_t rs, const ColFn& col, const std::int64_t rows,
                 const std::int64_t width, const std::int64_t kc, T* HWY_RESTRICT panel) {
  HWY_DASSERT(0 <= rows && rows <= width && kc >= 0);
  constexpr std::int64_t kAhead = 64 / sizeof(T);
  for (std::int64_t k = 0; k < kc; ++k) {
    if (k % kAhead == 0 && k + kAhead < kc) {
      const T* next = base + col(k + kAhead);
      for (std::int64_t r = 0; r < rows; ++r) hwy::Prefetch(next + r * rs);
    }
    T* dst = panel + k * width;
    const T* src = base + col(k);
    std::int64_t r = 0;
    for (; r < rows; ++r) dst[r] = src[r * rs];
    for (; r < width; ++r) dst[r] = T(0);
  }
}

// PackPanelOf for the strided matrix M(i, k) = base[i·rs + k·cs].
template <typename T>
void PackPanel(const T* HWY_RESTRICT base, const std::int64_t rs, const std::int64_t cs, const std::int64_t rows,
               const std::int64_t width, const std::int64_t kc, T* HWY_RESTRICT panel) {
  const auto col = [cs](const std::int64_t k) { return k * cs; };
  PackPanelOf(base, rs, col, rows, width, kc, panel);
}

// The micro-kernel's A panel: MR rows of A(i, k) = base[i·rs + k·cs], panel[k·MR + r].
template <typename T>
void PackA(const T* HWY_RESTRICT base, const std::int64_t rs, const std::int64_t cs, const std::int64_t rows,
           const std::int64_t kc, T* HWY_RESTRICT panel) {
  PackPanel(base, rs, cs, rows, static_cast<std::int64_t>(kGemmMR), kc, panel);
}

// B panels for kc rows and `count` columns, from a row generator row(kk, out) that writes the
// `count` values of row kk: panel j holds columns [j·NR, j·NR + NR), k-major, zero-padded.
template <typename T, class RowFn>
void PackBRows(const std::int64_t kc, const std::int64_t count, const RowFn& row, T* HWY_RESTRICT rowbuf,
               T* HWY_RESTRICT panels) {
  const hwy::HWY_NAMESPACE::ScalableTag<T> d;
  const auto lanes = static_cast<std::int64_t>(hwy::HWY_NAMESPACE::Lanes(d));
  const auto nr = static_cast<std::int64_t>(GemmNR<T>());  // a multiple of the vector length
  const std::int64_t npanels = (count + nr - 1) / nr;
  std::fill(rowbuf + count, rowbuf + npanels * nr, T(0));
  for (std::int64_t kk = 0; kk < kc; ++kk) {
    row(kk, rowbuf);
    // Vector copies: a memcpy call per NR values costs more than the copy itself.
    for (std::int64_t j = 0; j < npanels; ++j) {
      T* dst = panels + (j * kc + kk) * nr;
      const T* src = rowbuf + j * nr;
      for (std::int64_t v = 0; v < nr; v += lanes) {
        hwy::HWY_NAMESPACE::StoreU(hwy::HWY_NAMESPACE::LoadU(d, src + v), d, dst + v);
      }
    }
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_GEMM_PACK_INL_H_
