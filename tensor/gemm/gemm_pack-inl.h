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

#include "hwy/cache_control.h"
#include "hwy/highway.h"
#include "tensor/gemm/gemm_microkernel-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// dst[0, n) = src[0, n) for the short runs packing copies (an image row, a panel): explicit
// vectors, because GCC turns a plain copy loop into a memmove call that costs more than 28 floats.
// On AVX2/AVX-512 the tail is one masked vector, not a scalar loop (which GCC turns into memmove
// too: 5 % of a 56-wide VGG forward went to those calls).
template <typename T>
HWY_INLINE void CopyRun(const T* HWY_RESTRICT src, const std::int64_t n, T* HWY_RESTRICT dst) {
  namespace hn = hwy::HWY_NAMESPACE;
  const hn::ScalableTag<T> d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  for (; i + lanes <= n; i += lanes) hn::StoreU(hn::LoadU(d, src + i), d, dst + i);
#if HWY_TARGET <= HWY_AVX2
  if (i < n) {
    const auto m = hn::FirstN(d, static_cast<std::size_t>(n - i));
    return hn::BlendedStore(hn::MaskedLoad(m, d, src + i), m, d, dst + i);
  }
#endif
  for (; i < n; ++i) dst[i] = src[i];
}

// Prefetches the cache lines of values [0, n) from p: a short run the hardware prefetchers would
// pick up too late (another channel's rows, 10 KB and more away).
template <typename T>
HWY_INLINE void PrefetchRun(const T* p, const std::int64_t n) {
  constexpr std::int64_t kLine = 64 / sizeof(T);
  for (std::int64_t i = 0; i < n; i += kLine) hwy::Prefetch(p + i);
}

// The masks of a pair of vectors covering the first `need` values (need <= 2·lanes).
template <class D>
HWY_INLINE auto PairMasks(const D d, const std::int64_t need) {
  const auto lanes = static_cast<std::int64_t>(hwy::HWY_NAMESPACE::Lanes(d));
  return std::pair{hwy::HWY_NAMESPACE::FirstN(d, static_cast<std::size_t>(std::min(need, lanes))),
                   hwy::HWY_NAMESPACE::FirstN(d, static_cast<std::size_t>(std::max<std::int64_t>(0, need - lanes)))};
}

// dst[i] = src[i·stride] for i < n: a strided convolution's phase of an image row. Stride 2
// deinterleaves whole vectors, and never reads past src[2(n−1)]: full vectors stop one short,
// and on AVX2/AVX-512 the rest is one masked (fault-free) pair of loads.
template <typename T>
HWY_INLINE void CopyStridedRun(const T* HWY_RESTRICT src, const std::int64_t stride, const std::int64_t n,
                               T* HWY_RESTRICT dst) {
  namespace hn = hwy::HWY_NAMESPACE;
  if (stride == 1) return CopyRun(src, n, dst);
  std::int64_t i = 0;
  if (stride == 2) {
    const hn::ScalableTag<T> d;
    const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
    for (; i + lanes < n; i += lanes) {
      hn::Vec<decltype(d)> even, odd;
      hn::LoadInterleaved2(d, src + 2 * i, even, odd);
      hn::StoreU(even, d, dst + i);
    }
#if HWY_TARGET <= HWY_AVX2
    if (i < n) {
      const std::int64_t need = 2 * (n - i) - 1;
      const auto [mlo, mhi] = PairMasks(d, need);
      const auto lo = hn::MaskedLoad(mlo, d, src + 2 * i), hi = hn::MaskedLoad(mhi, d, src + 2 * i + lanes);
      hn::BlendedStore(hn::ConcatEven(d, hi, lo), hn::FirstN(d, static_cast<std::size_t>(n - i)), d, dst + i);
      return;
    }
#endif
  }
  for (; i < n; ++i) dst[i] = src[i * stride];
}

// dst0[i] = src[2i] and dst1[i] = src[2i + 1] for i < n: both column phases of a stride-2 row in
// one pass. Never reads past src[2n − 1]; on AVX2/AVX-512 the rest after whole vectors is one
// masked pair of loads.
template <typename T>
HWY_INLINE void DeinterleaveRun(const T* HWY_RESTRICT src, const std::int64_t n, T* HWY_RESTRICT dst0,
                                T* HWY_RESTRICT dst1) {
  namespace hn = hwy::HWY_NAMESPACE;
  const hn::ScalableTag<T> d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    hn::Vec<decltype(d)> even, odd;
    hn::LoadInterleaved2(d, src + 2 * i, even, odd);
    hn::StoreU(even, d, dst0 + i);
    hn::StoreU(odd, d, dst1 + i);
  }
#if HWY_TARGET <= HWY_AVX2
  if (i < n) {
    const std::int64_t need = 2 * (n - i);
    const auto [mlo, mhi] = PairMasks(d, need);
    const auto lo = hn::MaskedLoad(mlo, d, src + 2 * i), hi = hn::MaskedLoad(mhi, d, src + 2 * i + lanes);
    const auto m = hn::FirstN(d, static_cast<std::size_t>(n - i));
    hn::BlendedStore(hn::ConcatEven(d, hi, lo), m, d, dst0 + i);
    hn::BlendedStore(hn::ConcatOdd(d, hi, lo), m, d, dst1 + i);
    return;
  }
#endif
  for (; i < n; ++i) {
    dst0[i] = src[2 * i];
    dst1[i] = src[2 * i + 1];
  }
}

// dst[2i] = src[i] for i < n, keeping the odd positions between (another phase's): the adjoint
// of CopyStridedRun for stride 2, as grad_input of a stride-2 convolution writes a phase. It never
// touches dst past dst[2(n−1)]: full vectors stop one short, and on AVX2/AVX-512 the rest is one
// masked pair of loads and stores.
template <typename T>
HWY_INLINE void StoreStride2Run(const T* HWY_RESTRICT src, const std::int64_t n, T* HWY_RESTRICT dst) {
  namespace hn = hwy::HWY_NAMESPACE;
  const hn::ScalableTag<T> d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  for (; i + lanes < n; i += lanes) {
    hn::Vec<decltype(d)> even, odd;
    hn::LoadInterleaved2(d, dst + 2 * i, even, odd);
    hn::StoreInterleaved2(hn::LoadU(d, src + i), odd, d, dst + 2 * i);
  }
#if HWY_TARGET <= HWY_AVX2
  if (i < n) {
    const std::int64_t need = 2 * (n - i) - 1;
    const auto [mlo, mhi] = PairMasks(d, need);
    const auto odd = hn::ConcatOdd(d, hn::MaskedLoad(mhi, d, dst + 2 * i + lanes), hn::MaskedLoad(mlo, d, dst + 2 * i));
    HWY_ALIGN T pair[2 * HWY_MAX_BYTES / sizeof(T)];
    hn::StoreInterleaved2(hn::MaskedLoad(hn::FirstN(d, static_cast<std::size_t>(n - i)), d, src + i), odd, d, pair);
    hn::BlendedStore(hn::Load(d, pair), mlo, d, dst + 2 * i);
    hn::BlendedStore(hn::Load(d, pair + lanes), mhi, d, dst + 2 * i + lanes);
    return;
  }
#endif
  for (; i < n; ++i) dst[2 * i] = src[i];
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
        const auto m = hn::FirstN(d, static_cast<std::size_t>(n));
        for (std::int64_t c = 0; c < kL; ++c) hn::BlendedStore(v[c], m, d, out + c * dst_stride);
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

// A k-major panel `width` wide of `rows` (<= width, zero-padded) rows and kc columns of the
// matrix M(i, k) = base[i·rs + col(k)]: panel[k·width + r].
// Rows far apart (a weight's output channels) are as many interleaved streams, which the hardware
// prefetchers miss: each row's values kAhead columns on are prefetched by hand.
template <typename T, class ColFn>
void PackPanelOf(const T* HWY_RESTRICT base, const std::int64_t rs, const ColFn& col, const std::int64_t rows,
                 const std::int64_t width, const std::int64_t kc, T* HWY_RESTRICT panel) {
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
