// SPDX-License-Identifier: Apache-2.0
// grad_weight on the direct path (see direct_conv.h): A gathered in place from the bands of the
// virtual plane at each tile's real output pixels, against dYᵀ panels; fixed unit ranges with
// their own partial sums, added in range order, so bit-identical for any thread count.
#include "atrous/tensor/conv/direct_conv.h"

#include <algorithm>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/direct_weight.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/conv/direct_layout-inl.h"
#include "atrous/tensor/conv/plane_copy-inl.h"
#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/parallel.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// gw[g·Co + o, k] = Σ_r partials[r][g][k][o] over the `ranges` partial dWᵀ (each G·Kp·Cp values), in
// range order. Partials are summed along their rows (contiguous over channels) and written
// transposed, 16 rows at a time, so that each channel's write is a run of 16 k values, not 16
// lines K apart.
template <typename T>
void SumPartialsTransposed(const DirectConvPlan& p, const T* partials, const std::int64_t ranges, const std::int64_t Kp,
                           const std::int64_t Cp, T* gw) {
  constexpr std::int64_t kRows = 16;
  const std::int64_t K = p.Ci * p.kH * p.kW, part = p.G * Kp * Cp;
  const std::int64_t row_blocks = (K + kRows - 1) / kRows;
  parallel_for(p.G * row_blocks, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* sum = scratch<T, 6>(static_cast<std::size_t>(kRows * Cp));
    for (std::int64_t i = b; i < e; ++i) {
      const std::int64_t g = i / row_blocks, k0 = i % row_blocks * kRows, rows = std::min(kRows, K - k0);
      for (std::int64_t j = 0; j < rows; ++j) {
        const T* row = partials + (g * Kp + k0 + j) * Cp;
        T* out = sum + j * Cp;
        std::copy(row, row + p.Co, out);
        for (std::int64_t r = 1; r < ranges; ++r) {
          const T* add = row + r * part;
          for (std::int64_t o = 0; o < p.Co; ++o) out[o] += add[o];
        }
      }
      for (std::int64_t o = 0; o < p.Co; ++o) {
        T* dst = gw + (g * p.Co + o) * K + k0;
        for (std::int64_t j = 0; j < rows; ++j) dst[j] = sum[j * Cp + o];
      }
    }
  });
}

// grad_weight's dWᵀ accumulators per task: at most this many bytes, so they stay in L2 while the
// task walks its units (a whole 256 × 256 × 3 × 3 dWᵀ is 2.4 MB).
constexpr std::int64_t kWeightBlockBytes = 256 << 10;
// The dYᵀ panels packed once and shared by the k blocks of a large dWᵀ: at most this many bytes
// at a time (a chunk of units), read from L3.
constexpr std::int64_t kWeightChunkBytes = 2 << 20;
// grad_weight's tasks cost the same, so with few of them the last round leaves threads idle (9
// tasks, 3 ranges × 3 k blocks, keep one of 2 threads idle for a ninth of the call). At least
// this many bounds that loss by a sixteenth per thread; the partial sums it adds are bounded by
// conv_weight_partials (bench/README.md, "Tuning constants").
constexpr std::int64_t kWeightMinTasks = 16;

// dYᵀ panels of image n, group g at output pixels [first, first + valid): NR channels per pixel,
// zero past Co; each panel is an NR × valid block of dY, transposed.
template <typename T>
void PackGradPanels(const DirectConvPlan& p, const T* HWY_RESTRICT gy, const std::int64_t n, const std::int64_t g,
                    const std::int64_t first, const std::int64_t valid, const std::int64_t tile,
                    T* HWY_RESTRICT panels) {
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t P = p.OH * p.OW;
  for (std::int64_t c0 = 0; c0 < p.Co; c0 += NR) {
    T* dst = panels + c0 / NR * tile * NR;
    const std::int64_t rows = std::min(NR, p.Co - c0);
    StoreTransposed(gy + ((n * p.G + g) * p.Co + c0) * P + first, P, rows, valid, dst, NR);
    for (std::int64_t j = 0; j < valid && rows < NR; ++j) std::fill(dst + j * NR + rows, dst + (j + 1) * NR, T(0));
  }
}

// grad_weight, per group: dWᵀ[K × Co] = Σ over (image, tile of PixelTiles) units of band
// rows[K × pixels] · dYᵀ[pixels × Co]. A is gathered in place from the band of the virtual plane
// (MR tap rows at the tile's real pixels: positions no pixel reads are skipped, not multiplied by
// zero, so an Inf there cannot leak in); B is the unit's dYᵀ in NR-channel panels. Tasks are (range of units, group,
// block of k panels). A dWᵀ too large for L2 is cut into k blocks, each filling only its channels' bands; their tasks
// share dYᵀ panels packed once per unit. The unit ranges, only as many as the tasks need beyond the k blocks, have
// their own partial sums, added in range order. Every count here comes from the shape: bit-identical for any thread
// count.
template <typename T>
void DirectConvWeightT(const DirectConvPlan& p, const T* x, const T* gy, T* gw) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t khw = p.kH * p.kW, K = p.Ci * khw;
  const PixelTiles pt(p, 1);
  const std::int64_t tile_px = pt.tile, tiles = pt.tiles, units = p.N * tiles;
  const std::int64_t k_panels = (K + MR - 1) / MR, c_panels = (p.Co + NR - 1) / NR;
  const std::int64_t Kp = k_panels * MR, Cp = c_panels * NR, part = p.G * Kp * Cp;
  const std::int64_t block_bytes = Kp * Cp * static_cast<std::int64_t>(sizeof(T));
  const std::int64_t kblocks = std::min(k_panels, (block_bytes + kWeightBlockBytes - 1) / kWeightBlockBytes);
  const std::int64_t ranges = std::min(
      {conv_weight_partials(p.N * pt.P, part), units, (kWeightMinTasks + p.G * kblocks - 1) / (p.G * kblocks)});
  const PackBuffer<T> partials(static_cast<std::size_t>(ranges * part));
  // Shared dYᵀ panels (k blocks > 1), packed a slice of every unit range at a time (slice s of
  // range r: its units s·slice …), so that every task has work in every slice.
  const auto range_first = [&](const std::int64_t r) { return units * r / ranges; };
  const std::int64_t range_len = (units + ranges - 1) / ranges, unit_values = p.G * Cp * tile_px;
  const std::int64_t slice =
      kblocks == 1
          ? range_len
          : std::clamp<std::int64_t>(kWeightChunkBytes / (ranges * unit_values * static_cast<std::int64_t>(sizeof(T))),
                                     1, range_len);
  const PackBuffer<T> shared_panels(kblocks == 1 ? 0 : static_cast<std::size_t>(ranges * slice * unit_values));

  for (std::int64_t s0 = 0; s0 < range_len; s0 += slice) {
    if (kblocks > 1) {
      parallel_for(ranges * slice, 1, [&](const std::int64_t b, const std::int64_t e) {
        for (std::int64_t i = b; i < e; ++i) {
          const std::int64_t r = i / slice, u = range_first(r) + s0 + i % slice;
          if (u >= range_first(r + 1)) continue;
          for (std::int64_t g = 0; g < p.G; ++g) {
            PackGradPanels(p, gy, u / tiles, g, pt.first(u % tiles), pt.count(u % tiles), tile_px,
                           shared_panels.get() + (i * p.G + g) * Cp * tile_px);
          }
        }
      });
    }
    parallel_for(ranges * p.G * kblocks, 1, [&](const std::int64_t b, const std::int64_t e) {
      T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(p.Ci * pt.layout.band));
      T* own_panels = scratch<T, 5>(kblocks == 1 ? static_cast<std::size_t>(Cp * tile_px) : 0);
      std::int64_t* cols = scratch<std::int64_t, 0>(static_cast<std::size_t>(tile_px));
      for (std::int64_t id = b; id < e; ++id) {
        const std::int64_t r = id / (p.G * kblocks), g = id / kblocks % p.G, kb = id % kblocks;
        const std::int64_t u0 = range_first(r), u1 = range_first(r + 1);
        const std::int64_t ip0 = k_panels * kb / kblocks, ip1 = k_panels * (kb + 1) / kblocks;
        const std::int64_t ci0 = ip0 * MR / khw, ci1 = std::min(p.Ci, (ip1 * MR + khw - 1) / khw);
        T* acc = partials.get() + r * part + g * Kp * Cp;
        for (std::int64_t u = u0 + s0; u < std::min(u1, u0 + s0 + slice); ++u) {
          const std::int64_t n = u / tiles, t = u % tiles, p0 = pt.first(t), count = pt.count(t);
          const T* panels = own_panels;
          if (kblocks == 1) {
            PackGradPanels(p, gy, n, g, p0, count, tile_px, own_panels);
          } else {
            panels = shared_panels.get() + ((r * slice + u - u0 - s0) * p.G + g) * Cp * tile_px;
          }
          const std::int64_t v0 = pt.grid(p0);
          for (std::int64_t j = 0; j < count; ++j) cols[j] = pt.grid(p0 + j) - v0;
          const auto view = pt.layout.Bands(pt.v, x + (n * p.G + g) * p.Ci * p.src_h * p.src_w, v0,
                                            pt.cover(t) + pt.v.max_offset(), bandbuf, ci0, ci1);
          for (std::int64_t jp = 0; jp < c_panels; ++jp) {
            for (std::int64_t ip = ip0; ip < ip1; ++ip) {
              GatheredA<T> a{{}, cols};
              for (std::int64_t i = 0; i < MR; ++i) {  // rows past K repeat the last tap, unused
                a.rows[i] = view.base + (view.offs[std::min(ip * MR + i, K - 1)] - view.shift);
              }
              MicroKernelOf(static_cast<std::size_t>(count), a, PackedB<T>{panels + jp * tile_px * NR},
                            acc + ip * MR * Cp + jp * NR, static_cast<std::size_t>(Cp), u > u0);
            }
          }
        }
      }
    });
  }
  SumPartialsTransposed(p, partials.get(), ranges, Kp, Cp, gw);
}

void DirectConvWeightF32(const DirectConvPlan& p, const float* x, const float* gy, float* gw) {
  DirectConvWeightT(p, x, gy, gw);
}
void DirectConvWeightF64(const DirectConvPlan& p, const double* x, const double* gy, double* gw) {
  DirectConvWeightT(p, x, gy, gw);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(DirectConvWeightF32);
HWY_EXPORT(DirectConvWeightF64);

void direct_conv_weight(const DirectConvPlan& p, const float* x, const float* gy, float* gw) {
  HWY_DYNAMIC_DISPATCH(DirectConvWeightF32)(p, x, gy, gw);
}
void direct_conv_weight(const DirectConvPlan& p, const double* x, const double* gy, double* gw) {
  HWY_DYNAMIC_DISPATCH(DirectConvWeightF64)(p, x, gy, gw);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
