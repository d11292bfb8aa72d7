// SPDX-License-Identifier: Apache-2.0
// The register-tiled GEMM micro-kernel every convolution pass (and matmul) runs on:
// C[MR × NR] (+)= A_panel · B_panel over kc steps, NR = 2 vectors. Packed panels are k-major:
// A_panel[k·MR + r], B_panel[k·NR + j], both 64-byte aligned and zero-padded to full tiles.
//
// Tile per target: on AVX-512, MR = 8 rows × 2 vectors = 16 accumulators + 2 B vectors + 1
// broadcast (8×32 floats; 8 broadcasts and 2 loads per 16 FMAs). 12 rows fit the 32 registers
// too, but channel counts are multiples of 8, so 12-row tiles waste a third of a panel at 64
// channels (bench/README.md, "Tuning constants"). AVX2 has 16 registers: MR = 6 → 12
// accumulators + 3 = 15, BLIS's and XNNPACK's 6×16 for Zen. FMA latency 4 × 2 pipes needs
// >= 8 independent chains; both tiles have more.
// Every C element sums its k terms in order k = 0, 1, …, kc − 1 (then block after block), so
// the result does not depend on which thread ran the tile.

#if defined(ATROUS_TENSOR_GEMM_MICROKERNEL_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_GEMM_MICROKERNEL_INL_H_
#undef ATROUS_TENSOR_GEMM_MICROKERNEL_INL_H_
#else
#define ATROUS_TENSOR_GEMM_MICROKERNEL_INL_H_
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
inline constexpr std::size_t kGemmMR = 8;
#elif HWY_TARGET == HWY_SCALAR
inline constexpr std::size_t kGemmMR = 4;
#else
inline constexpr std::size_t kGemmMR = 6;
#endif

// Vectors per tile row. Three (8×48 on AVX-512, 24 accumulators, 11 loads per 24 FMAs instead
// of 10 per 16) would waste half a panel on 32- and 64-channel layers and gains nothing
// (bench/README.md, "Tuning constants").
inline constexpr std::size_t kGemmNV = 2;

template <typename T>
HWY_INLINE std::size_t GemmNR() {
  return kGemmNV * hn::Lanes(hn::ScalableTag<T>());
}

// Where the micro-kernel reads its operands at reduction step k. A: MR values, from a packed
// panel (a[k·MR + r]), gathered in place from MR rows at column cols[k] (grad_weight's shifted
// input rows) or at column k (Winograd's tiles, their channels contiguous). B: NR values, from a packed aligned panel (b + k·NR) or read in place at
// base + offsets[k] (the direct convolution's taps). In-place operands need no packing at all.
template <typename T>
struct PackedA {
  const T* HWY_RESTRICT a;
  HWY_INLINE const T* Step(const std::size_t k) const { return a + k * kGemmMR; }
  HWY_INLINE T At(const T* step, const std::size_t r) const { return step[r]; }
};
template <typename T>
struct GatheredA {
  const T* rows[kGemmMR];
  const std::int64_t* HWY_RESTRICT cols;
  HWY_INLINE std::int64_t Step(const std::size_t k) const { return cols[k]; }
  HWY_INLINE T At(const std::int64_t col, const std::size_t r) const { return rows[r][col]; }
};
template <typename T>
struct RowsA {
  const T* rows[kGemmMR];
  HWY_INLINE std::size_t Step(const std::size_t k) const { return k; }
  HWY_INLINE T At(const std::size_t k, const std::size_t r) const { return rows[r][k]; }
};
template <typename T>
struct PackedB {
  static constexpr bool kAligned = true;
  const T* HWY_RESTRICT b;
  HWY_INLINE const T* Row(const std::size_t k) const { return b + k * GemmNR<T>(); }
};
template <typename T>
struct ShiftedB {
  static constexpr bool kAligned = false;
  const T* HWY_RESTRICT base;
  const std::int64_t* HWY_RESTRICT offsets;
  HWY_INLINE const T* Row(const std::size_t k) const { return base + offsets[k]; }
};

// One full MR × NR tile into C (row stride ldc). `accumulate` adds to C instead of overwriting;
// otherwise C(r, j) starts from init[r] or init_cols[j] (a bias folded into the first k block,
// saving a pass over the output) or from 0 when both are null.
template <typename T, class A, class B>
HWY_INLINE void MicroKernelOf(const std::size_t kc, const A& a, const B& b, T* HWY_RESTRICT c, const std::size_t ldc,
                              const bool accumulate, const T* HWY_RESTRICT init = nullptr,
                              const T* HWY_RESTRICT init_cols = nullptr) {
  const hn::ScalableTag<T> d;
  const std::size_t L = hn::Lanes(d);
  using V = hn::Vec<decltype(d)>;
  V acc[kGemmNV][kGemmMR];  // fully unrolled below: they live in registers
  HWY_UNROLL(kGemmMR)
  for (std::size_t r = 0; r < kGemmMR; ++r) {
    HWY_UNROLL(kGemmNV)
    for (std::size_t v = 0; v < kGemmNV; ++v) {
      acc[v][r] = accumulate             ? hn::LoadU(d, c + r * ldc + v * L)
                  : init != nullptr      ? hn::Set(d, init[r])
                  : init_cols != nullptr ? hn::LoadU(d, init_cols + v * L)
                                         : hn::Zero(d);
    }
  }
  for (std::size_t k = 0; k < kc; ++k) {
    const T* bk = b.Row(k);
    V bv[kGemmNV];
    HWY_UNROLL(kGemmNV)
    for (std::size_t v = 0; v < kGemmNV; ++v) bv[v] = B::kAligned ? hn::Load(d, bk + v * L) : hn::LoadU(d, bk + v * L);
    const auto ak = a.Step(k);
    HWY_UNROLL(kGemmMR)
    for (std::size_t r = 0; r < kGemmMR; ++r) {
      const V ar = hn::Set(d, a.At(ak, r));
      HWY_UNROLL(kGemmNV)
      for (std::size_t v = 0; v < kGemmNV; ++v) acc[v][r] = hn::MulAdd(ar, bv[v], acc[v][r]);
    }
  }
  HWY_UNROLL(kGemmMR)
  for (std::size_t r = 0; r < kGemmMR; ++r) {
    HWY_UNROLL(kGemmNV)
    for (std::size_t v = 0; v < kGemmNV; ++v) hn::StoreU(acc[v][r], d, c + r * ldc + v * L);
  }
}

template <typename T>
HWY_INLINE void MicroKernel(const std::size_t kc, const T* HWY_RESTRICT a, const T* HWY_RESTRICT b, T* HWY_RESTRICT c,
                            const std::size_t ldc, const bool accumulate, const T* HWY_RESTRICT init = nullptr) {
  MicroKernelOf(kc, PackedA<T>{a}, PackedB<T>{b}, c, ldc, accumulate, init);
}

// A tile that may be cut at the bottom (rows < MR) or right (cols < NR): computed in full into
// an aligned stack tile, then the valid part is written (or added) to C.
template <typename T>
HWY_INLINE void MicroKernelEdge(const std::size_t kc, const T* HWY_RESTRICT a, const T* HWY_RESTRICT b,
                                T* HWY_RESTRICT c, const std::size_t ldc, const bool accumulate, const std::size_t rows,
                                const std::size_t cols, const T* HWY_RESTRICT init) {
  const std::size_t nr = GemmNR<T>();
  HWY_ALIGN T tile[kGemmMR * kGemmNV * HWY_MAX_BYTES / sizeof(T)] = {};
  T init_rows[kGemmMR] = {};
  if (accumulate) {
    for (std::size_t r = 0; r < rows; ++r) std::memcpy(tile + r * nr, c + r * ldc, cols * sizeof(T));
  } else if (init != nullptr) {
    std::memcpy(init_rows, init, rows * sizeof(T));
  }
  MicroKernel<T>(kc, a, b, tile, nr, accumulate, init != nullptr ? init_rows : nullptr);
  for (std::size_t r = 0; r < rows; ++r) std::memcpy(c + r * ldc, tile + r * nr, cols * sizeof(T));
}

// Dispatches a tile of `rows` × `cols` (<= MR × NR) to the full or the edge kernel; `init`
// (rows values, or null) seeds a non-accumulating tile.
template <typename T>
HWY_INLINE void Tile(const std::size_t kc, const T* HWY_RESTRICT a, const T* HWY_RESTRICT b, T* HWY_RESTRICT c,
                     const std::size_t ldc, const bool accumulate, const std::size_t rows, const std::size_t cols,
                     const T* HWY_RESTRICT init = nullptr) {
  if (rows == kGemmMR && cols == GemmNR<T>()) {
    MicroKernel<T>(kc, a, b, c, ldc, accumulate, init);
  } else {
    MicroKernelEdge<T>(kc, a, b, c, ldc, accumulate, rows, cols, init);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_GEMM_MICROKERNEL_INL_H_
