// SPDX-License-Identifier: Apache-2.0
// Copies between image planes and packed buffers for the convolution kernels: short runs, the
// phases of a strided row (and their adjoint), and tile buffers stored transposed into channel
// planes. Explicit vectors throughout, because GCC turns plain copy loops into memmove calls that
// cost more than the short runs they copy. Tails follow tensor/simd/tail-inl.h.

#if defined(ATROUS_TENSOR_CONV_PLANE_COPY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_CONV_PLANE_COPY_INL_H_
#undef ATROUS_TENSOR_CONV_PLANE_COPY_INL_H_
#else
#define ATROUS_TENSOR_CONV_PLANE_COPY_INL_H_
#endif

#include <algorithm>
#include <cstdint>
#include <utility>

#include "atrous/tensor/simd/tail-inl.h"
#include "hwy/cache_control.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
// dst[0, n) = src[0, n): an image row, a panel.
template <typename T>
HWY_INLINE void CopyRun(const T* HWY_RESTRICT src, const std::int64_t n, T* HWY_RESTRICT dst) {
  namespace hn = hwy::HWY_NAMESPACE;
  const hn::ScalableTag<T> d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  for (; i + lanes <= n; i += lanes) hn::StoreU(hn::LoadU(d, src + i), d, dst + i);
  if (i < n)
    StoreTail(LoadTail(d, src + i, static_cast<std::size_t>(n - i)), d, dst + i, static_cast<std::size_t>(n - i));
}

// Prefetches the cache lines of values [0, n) from p: a short run the hardware prefetchers would
// pick up too late (another channel's rows, 10 KB and more away).
template <typename T>
HWY_INLINE void PrefetchRun(const T* p, const std::int64_t n) {
  constexpr std::int64_t kLine = 64 / sizeof(T);
  for (std::int64_t i = 0; i < n; i += kLine) hwy::Prefetch(p + i);
}

// Values [0, n) of p as two vectors, n <= 2·Lanes(d): the tail of an interleaved pair of rows.
template <class D, typename T = hwy::HWY_NAMESPACE::TFromD<D>>
HWY_INLINE void LoadTailPair(const D d, const T* HWY_RESTRICT p, const std::int64_t n, hwy::HWY_NAMESPACE::Vec<D>& lo,
                             hwy::HWY_NAMESPACE::Vec<D>& hi) {
  const auto lanes = static_cast<std::int64_t>(hwy::HWY_NAMESPACE::Lanes(d));
  HWY_DASSERT(0 <= n && n <= 2 * lanes);
  lo = LoadTail(d, p, static_cast<std::size_t>(std::min(n, lanes)));
  hi = LoadTail(d, p + lanes, static_cast<std::size_t>(std::max<std::int64_t>(0, n - lanes)));
}

// dst[i] = src[i·stride] for i < n: a strided convolution's phase of an image row. Stride 2
// deinterleaves whole vectors and never reads past src[2(n−1)]: full vectors stop one short, and
// the rest is one tail pair.
template <typename T>
HWY_INLINE void CopyStridedRun(const T* HWY_RESTRICT src, const std::int64_t stride, const std::int64_t n,
                               T* HWY_RESTRICT dst) {
  namespace hn = hwy::HWY_NAMESPACE;
  HWY_DASSERT(stride >= 1 && n >= 0);
  if (stride == 1) return CopyRun(src, n, dst);
#if HWY_TARGET != HWY_SCALAR  // one lane has no halves to concatenate
  if (stride == 2) {
    const hn::ScalableTag<T> d;
    const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
    std::int64_t i = 0;
    for (; i + lanes < n; i += lanes) {
      hn::Vec<decltype(d)> even, odd;
      hn::LoadInterleaved2(d, src + 2 * i, even, odd);
      hn::StoreU(even, d, dst + i);
    }
    if (i < n) {
      hn::Vec<decltype(d)> lo, hi;
      LoadTailPair(d, src + 2 * i, 2 * (n - i) - 1, lo, hi);
      StoreTail(hn::ConcatEven(d, hi, lo), d, dst + i, static_cast<std::size_t>(n - i));
    }
    return;
  }
#endif
  for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i * stride];
}

// dst0[i] = src[2i] and dst1[i] = src[2i + 1] for i < n: both column phases of a stride-2 row in
// one pass. Never reads past src[2n − 1]; the rest after whole vectors is one tail pair.
template <typename T>
HWY_INLINE void DeinterleaveRun(const T* HWY_RESTRICT src, const std::int64_t n, T* HWY_RESTRICT dst0,
                                T* HWY_RESTRICT dst1) {
  namespace hn = hwy::HWY_NAMESPACE;
#if HWY_TARGET == HWY_SCALAR  // one lane has no halves to concatenate
  for (std::int64_t i = 0; i < n; ++i) dst0[i] = src[2 * i], dst1[i] = src[2 * i + 1];
#else
  const hn::ScalableTag<T> d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    hn::Vec<decltype(d)> even, odd;
    hn::LoadInterleaved2(d, src + 2 * i, even, odd);
    hn::StoreU(even, d, dst0 + i);
    hn::StoreU(odd, d, dst1 + i);
  }
  if (i < n) {
    hn::Vec<decltype(d)> lo, hi;
    LoadTailPair(d, src + 2 * i, 2 * (n - i), lo, hi);
    StoreTail(hn::ConcatEven(d, hi, lo), d, dst0 + i, static_cast<std::size_t>(n - i));
    StoreTail(hn::ConcatOdd(d, hi, lo), d, dst1 + i, static_cast<std::size_t>(n - i));
  }
#endif
}

// dst[2i] = src[i] for i < n, keeping the odd positions between (another phase's): the adjoint
// of CopyStridedRun for stride 2, as grad_input of a stride-2 convolution writes a phase. It never
// touches dst past dst[2(n−1)]: full vectors stop one short, and the rest is one tail pair.
template <typename T>
HWY_INLINE void StoreStride2Run(const T* HWY_RESTRICT src, const std::int64_t n, T* HWY_RESTRICT dst) {
  namespace hn = hwy::HWY_NAMESPACE;
#if HWY_TARGET == HWY_SCALAR  // one lane has no halves to concatenate
  for (std::int64_t i = 0; i < n; ++i) dst[2 * i] = src[i];
#else
  const hn::ScalableTag<T> d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  for (; i + lanes < n; i += lanes) {
    hn::Vec<decltype(d)> even, odd;
    hn::LoadInterleaved2(d, dst + 2 * i, even, odd);
    hn::StoreInterleaved2(hn::LoadU(d, src + i), odd, d, dst + 2 * i);
  }
  if (i < n) {
    const std::int64_t need = 2 * (n - i) - 1;
    hn::Vec<decltype(d)> lo, hi;
    LoadTailPair(d, dst + 2 * i, need, lo, hi);
    HWY_ALIGN T pair[2 * hn::MaxLanes(d)];
    hn::StoreInterleaved2(LoadTail(d, src + i, static_cast<std::size_t>(n - i)), hn::ConcatOdd(d, hi, lo), d, pair);
    StoreTail(hn::Load(d, pair), d, dst + 2 * i, static_cast<std::size_t>(std::min(need, lanes)));
    StoreTail(hn::Load(d, pair + lanes), d, dst + 2 * i + lanes,
              static_cast<std::size_t>(std::max<std::int64_t>(0, need - lanes)));
  }
#endif
}

// dst[c·dst_stride + r] = row(r)[c] for r < rows, c < cols: a tile buffer's pixel rows (in any
// order; StoreTransposed's are src_stride apart) stored to channel planes. On AVX2/AVX-512, lanes × lanes blocks are
// transposed in registers by log2(lanes) rounds of even/odd unshuffles: a round moves the value at flat index i of the
// block to (i & 1)·lanes²/2 + i / 2, a rotation of i's bits, so log2(lanes) rounds swap its row and column bits. Rows
// past `rows` are neither read nor written.
template <typename T, class RowFn>
HWY_INLINE void StoreTransposedOf(const RowFn& row, const std::int64_t rows, const std::int64_t cols,
                                  T* HWY_RESTRICT dst, const std::int64_t dst_stride) {
  std::int64_t c0 = 0;
#if HWY_TARGET <= HWY_AVX2
  namespace hn = hwy::HWY_NAMESPACE;
  const hn::ScalableTag<T> d;
  constexpr std::int64_t kL = HWY_LANES(T);
  using V = hn::Vec<decltype(d)>;
  for (; c0 + kL <= cols; c0 += kL) {
    for (std::int64_t r0 = 0; r0 < rows; r0 += kL) {
      const std::int64_t n = std::min(kL, rows - r0);
      V v[kL], w[kL];
      for (std::int64_t r = 0; r < kL; ++r) v[r] = r < n ? hn::LoadU(d, row(r0 + r) + c0) : hn::Zero(d);
      for (std::int64_t round = 1; round < kL; round *= 2) {
        for (std::int64_t k = 0; k < kL / 2; ++k) {
          w[k] = hn::ConcatEven(d, v[2 * k + 1], v[2 * k]);
          w[kL / 2 + k] = hn::ConcatOdd(d, v[2 * k + 1], v[2 * k]);
        }
        std::copy(w, w + kL, v);
      }
      T* out = dst + c0 * dst_stride + r0;
      if (n == kL) {
        for (std::int64_t c = 0; c < kL; ++c) hn::StoreU(v[c], d, out + c * dst_stride);
      } else {
        for (std::int64_t c = 0; c < kL; ++c) StoreTail(v[c], d, out + c * dst_stride, static_cast<std::size_t>(n));
      }
    }
  }
#endif
  for (std::int64_t c = c0; c < cols; ++c) {
    for (std::int64_t r = 0; r < rows; ++r) dst[c * dst_stride + r] = row(r)[c];
  }
}
template <typename T>
HWY_INLINE void StoreTransposed(const T* HWY_RESTRICT src, const std::int64_t src_stride, const std::int64_t rows,
                                const std::int64_t cols, T* HWY_RESTRICT dst, const std::int64_t dst_stride) {
  StoreTransposedOf([&](const std::int64_t r) { return src + r * src_stride; }, rows, cols, dst, dst_stride);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_CONV_PLANE_COPY_INL_H_
