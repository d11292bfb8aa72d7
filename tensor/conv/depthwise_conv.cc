// SPDX-License-Identifier: Apache-2.0
// The depthwise and narrow-group kernels (see depthwise_conv.h). Forward and grad_input phases:
// tasks are (image, group, tile of kLaneTile grid positions); a task copies its bands once per
// source channel and phase, then each output channel's grid positions are vectors summed over the
// taps, wrap-around columns computed and not stored. True depthwise plans (one channel each way)
// run in row mode instead: tasks are (image, group, tile of whole output rows), and 4 rows are
// computed together, each band line loaded once for all of them. grad_weight: tasks are (group,
// range of (image, tile) units); each weight is a per-lane sum over the real output pixels of its
// range, reduced across lanes at the end of the range, and the ranges' partials are added in
// range order. Ranges and tiles depend on the shape only: bit-identical for any thread count.
#include "atrous/tensor/conv/depthwise_conv.h"

#include <algorithm>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/depthwise_conv.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/conv/band-inl.h"
#include "atrous/tensor/conv/direct_layout-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/simd/tail-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

// Vectors of consecutive grid positions a forward step keeps in flight per output channel: one
// accumulator's taps are a chain of dependent FMAs, four chains hide their latency.
constexpr std::size_t kLaneVectors = 4;
// Output channels a forward step shares each band load among: 4 × 4 accumulators fill half of
// AVX-512's 32 registers; AVX2's 16 take 2 × 4.
constexpr std::size_t kOutBlock = HWY_TARGET <= HWY_AVX3 ? 4 : 2;
// Weights a grad_weight step accumulates at once, each against the same dY vector.
constexpr std::size_t kTapBlock = 8;
// Band positions past a tile that its last vector block may read: one block of the widest target.
constexpr std::int64_t kLaneSlack = 64;

// Each group's weights as [o][k], k = (source channel, tap), read through p's w_* layout.
template <typename T>
std::vector<T> NarrowWeights(const DirectConvPlan& p, const T* w) {
  const std::int64_t K = p.Ci * p.kH * p.kW;
  const WeightColumns cols(p);
  std::vector<T> out(static_cast<std::size_t>(p.G * p.Co * K));
  for (std::int64_t g = 0; g < p.G; ++g) {
    for (std::int64_t o = 0; o < p.Co; ++o) {
      for (std::int64_t k = 0; k < K; ++k) {
        out[static_cast<std::size_t>((g * p.Co + o) * K + k)] = w[g * p.w_group + o * p.w_out + cols(k)];
      }
    }
  }
  return out;
}

// c[o·ldc + j] = bias[o] + Σ_k wk[o·K + k] · bands[offs[k] + j] for OB output channels and grid
// positions j in [0, count), count a whole number of kLaneVectors vectors.
template <std::size_t OB, typename T>
HWY_INLINE void LaneBlock(const T* HWY_RESTRICT bands, const std::int64_t* HWY_RESTRICT offs, const std::int64_t K,
                          const T* HWY_RESTRICT wk, const T* HWY_RESTRICT bias, const std::int64_t count,
                          T* HWY_RESTRICT c, const std::int64_t ldc) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  for (std::int64_t j = 0; j < count; j += static_cast<std::int64_t>(kLaneVectors) * N) {
    V acc[OB][kLaneVectors];
    for (std::size_t o = 0; o < OB; ++o) {
      const V seed = hn::Set(d, bias != nullptr ? bias[o] : T(0));
      for (std::size_t v = 0; v < kLaneVectors; ++v) acc[o][v] = seed;
    }
    for (std::int64_t k = 0; k < K; ++k) {
      const T* s = bands + offs[k] + j;
      V x[kLaneVectors];
      for (std::size_t v = 0; v < kLaneVectors; ++v) x[v] = hn::LoadU(d, s + static_cast<std::int64_t>(v) * N);
      for (std::size_t o = 0; o < OB; ++o) {
        const V wv = hn::Set(d, wk[static_cast<std::int64_t>(o) * K + k]);
        for (std::size_t v = 0; v < kLaneVectors; ++v) acc[o][v] = hn::MulAdd(wv, x[v], acc[o][v]);
      }
    }
    for (std::size_t o = 0; o < OB; ++o) {
      for (std::size_t v = 0; v < kLaneVectors; ++v) {
        hn::Store(acc[o][v], d, c + static_cast<std::int64_t>(o) * ldc + j + static_cast<std::int64_t>(v) * N);
      }
    }
  }
}

template <typename T>
void LaneBlockOf(const std::int64_t channels, const T* bands, const std::int64_t* offs, const std::int64_t K,
                 const T* wk, const T* bias, const std::int64_t count, T* c, const std::int64_t ldc) {
  HWY_DASSERT(channels >= 1 && channels <= static_cast<std::int64_t>(kOutBlock));
  switch (channels) {
    case 1: return LaneBlock<1>(bands, offs, K, wk, bias, count, c, ldc);
    case 2: return LaneBlock<2>(bands, offs, K, wk, bias, count, c, ldc);
#if HWY_TARGET <= HWY_AVX3
    case 3: return LaneBlock<3>(bands, offs, K, wk, bias, count, c, ldc);
    case 4: return LaneBlock<4>(bands, offs, K, wk, bias, count, c, ldc);
#endif
    default: HWY_ASSERT(false);
  }
}

// Rows of output a row-mode step computes together: a band line loaded once serves the taps of
// every row that reads it (kH of them at most), 4 × 4 accumulators on AVX-512, 4 × 2 on AVX2.
constexpr std::size_t kRowBlock = 4;
constexpr std::size_t kRowVectors = HWY_TARGET <= HWY_AVX3 ? 4 : 2;

// A true depthwise plan's taps (one source and one output channel per group) by band column: the
// taps of kernel column kx whose rows fall in phase row a read one column of one phase slot,
// `base` plus u whole grid rows for the tap k_of_u[u] (−1: no tap at that row).
struct RowGroups {
  std::vector<std::int64_t> base, first, rows;  // per group: band offset, its first k_of_u entry, U
  std::vector<std::int64_t> k_of_u;

  RowGroups(const DirectConvPlan& p, const std::int64_t* offs) {
    for (std::int64_t kx = 0; kx < p.kW; ++kx) {
      for (std::int64_t a = 0; a < p.sH; ++a) {
        std::int64_t U = 0, k0 = -1;
        for (std::int64_t ky = 0; ky < p.kH; ++ky) {
          if (ky * p.dH % p.sH != a) continue;
          U = ky * p.dH / p.sH + 1;
          if (k0 < 0) k0 = ky * p.kW + kx;
        }
        if (k0 < 0) continue;
        const std::int64_t u0 = k0 / p.kW * p.dH / p.sH;
        base.push_back(offs[k0] - u0 * p.grid_w());
        first.push_back(static_cast<std::int64_t>(k_of_u.size()));
        rows.push_back(U);
        for (std::int64_t u = 0; u < U; ++u) k_of_u.push_back(-1);
        for (std::int64_t ky = 0; ky < p.kH; ++ky) {
          if (ky * p.dH % p.sH == a) k_of_u[static_cast<std::size_t>(first.back() + ky * p.dH / p.sH)] = ky * p.kW + kx;
        }
      }
    }
  }
  std::int64_t size() const { return static_cast<std::int64_t>(base.size()); }
};

// c[r·ldr + j] = bias + Σ_k w[k] · bands[offs[k] + r·Wg + j] for RB output rows and columns j in
// [0, valid), computed over whole blocks of kRowVectors vectors; the taps in (group, row) order.
template <std::size_t RB, typename T>
HWY_INLINE void RowBlock(const T* HWY_RESTRICT bands, const RowGroups& groups, const std::int64_t Wg,
                         const T* HWY_RESTRICT w, const T bias, const std::int64_t valid, T* HWY_RESTRICT c,
                         const std::int64_t ldr) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  constexpr std::size_t XV = kRowVectors;
  const auto rb = static_cast<std::int64_t>(RB);
  for (std::int64_t j = 0; j < valid; j += static_cast<std::int64_t>(XV) * N) {
    V acc[RB][XV];
    for (std::size_t r = 0; r < RB; ++r) {
      for (std::size_t v = 0; v < XV; ++v) acc[r][v] = hn::Set(d, bias);
    }
    for (std::int64_t g = 0; g < groups.size(); ++g) {
      const auto gi = static_cast<std::size_t>(g);
      const T* col = bands + groups.base[gi] + j;
      const std::int64_t* k_of_u = groups.k_of_u.data() + groups.first[gi];
      const std::int64_t U = groups.rows[gi];
      for (std::int64_t m = 0; m < U + rb - 1; ++m) {
        V x[XV];
        for (std::size_t v = 0; v < XV; ++v) x[v] = hn::LoadU(d, col + m * Wg + static_cast<std::int64_t>(v) * N);
        for (std::size_t r = 0; r < RB; ++r) {
          const std::int64_t u = m - static_cast<std::int64_t>(r);
          if (u < 0 || u >= U || k_of_u[u] < 0) continue;
          const V wv = hn::Set(d, w[k_of_u[u]]);
          for (std::size_t v = 0; v < XV; ++v) acc[r][v] = hn::MulAdd(wv, x[v], acc[r][v]);
        }
      }
    }
    for (std::size_t r = 0; r < RB; ++r) {
      for (std::size_t v = 0; v < XV; ++v) {
        const std::int64_t x = j + static_cast<std::int64_t>(v) * N;
        T* out = c + static_cast<std::int64_t>(r) * ldr + x;
        if (x + N <= valid) {
          hn::StoreU(acc[r][v], d, out);
        } else if (x < valid) {
          StoreTail(acc[r][v], d, out, static_cast<std::size_t>(valid - x));
        }
      }
    }
  }
}

template <typename T>
void RowBlockOf(const std::int64_t rows, const T* bands, const RowGroups& groups, const std::int64_t Wg, const T* w,
                const T bias, const std::int64_t valid, T* c, const std::int64_t ldr) {
  static_assert(kRowBlock == 4, "one case per row count");
  switch (rows) {
    case 1: return RowBlock<1>(bands, groups, Wg, w, bias, valid, c, ldr);
    case 2: return RowBlock<2>(bands, groups, Wg, w, bias, valid, c, ldr);
    case 3: return RowBlock<3>(bands, groups, Wg, w, bias, valid, c, ldr);
    case 4: return RowBlock<4>(bands, groups, Wg, w, bias, valid, c, ldr);
    default: HWY_ASSERT(false);
  }
}

// Whether a plan runs in row mode: one channel each way per group, and kernel rows to share.
bool RowMode(const DirectConvPlan& p) { return p.Ci == 1 && p.Co == 1 && p.kH > 1 && p.OH > 1; }

// The row-mode forward: tasks are (image, group, tile of whole output rows).
template <typename T>
void DepthwiseRowsT(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  const hn::ScalableTag<T> d;
  const auto step = static_cast<std::int64_t>(kRowVectors * hn::Lanes(d));
  const std::int64_t Wg = p.grid_w(), K = p.kH * p.kW;
  const auto rb = static_cast<std::int64_t>(kRowBlock);
  const std::int64_t tile_rows = std::max(rb, kLaneTile / Wg / rb * rb), tiles = (p.OH + tile_rows - 1) / tile_rows;
  const std::int64_t cols = (p.OW + step - 1) / step * step, ldr = cols;
  const BandLayout layout(p, tile_rows * Wg + kLaneSlack);
  const std::vector<T> wk = NarrowWeights(p, w);
  const RowGroups groups(p, layout.copied.data());
  parallel_for(p.N * p.G * tiles, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(layout.slots * layout.band));
    T* cbuf = scratch<T, 4>(static_cast<std::size_t>(tile_rows * ldr));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t n = id / (p.G * tiles), g = id / tiles % p.G, tile = id % tiles;
      const std::int64_t y0 = tile * tile_rows, rows = std::min(tile_rows, p.OH - y0);
      const std::int64_t len = (rows - 1) * Wg + cols + p.max_offset();
      const T* plane = src + (n * p.G + g) * p.src_h * p.src_w;
      // Row mode reads its bands at the copied layout's offsets: always copy.
      FillBands(p, plane, layout.band, y0 * Wg, len, 0, 1, bandbuf);
      const T b0 = bias != nullptr ? bias[g] : T(0);
      // A plain output plane takes the rows straight; a strided one (a grad_input phase) through cbuf.
      T* og = out + (n * p.G + g) * p.out_plane;
      const bool straight = p.out_col == 1;
      T* c = straight ? og + p.out_offset + y0 * p.out_row : cbuf;
      const std::int64_t ldc = straight ? p.out_row : ldr;
      for (std::int64_t r0 = 0; r0 < rows; r0 += rb) {
        RowBlockOf(std::min(rb, rows - r0), bandbuf + r0 * Wg, groups, Wg, wk.data() + g * K, b0, p.OW, c + r0 * ldc,
                   ldc);
      }
      for (std::int64_t r = 0; r < rows && !straight; ++r) {
        StoreRow(p, cbuf + r * ldr, (y0 + r) * Wg, p.OW, og, static_cast<const T*>(nullptr));
      }
    }
  });
}

// The taps' offsets in a task's bands, relative to the band of its first grid position.
template <typename T>
void TapOffsetsOf(const BandLayout::View<T>& view, const std::int64_t K, std::int64_t* offs) {
  for (std::int64_t k = 0; k < K; ++k) offs[k] = view.offs[k] - view.shift;
}

template <typename T>
void DepthwiseConvT(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  if (RowMode(p)) return DepthwiseRowsT(p, src, w, bias, out);
  const hn::ScalableTag<T> d;
  const auto step = static_cast<std::int64_t>(kLaneVectors * hn::Lanes(d));
  const std::int64_t K = p.Ci * p.kH * p.kW;
  const BandLayout layout(p, kLaneTile);
  const std::int64_t grid_px = layout.grid_px, tiles = (grid_px + kLaneTile - 1) / kLaneTile;
  const std::vector<T> wk = NarrowWeights(p, w);
  const auto out_block = static_cast<std::int64_t>(kOutBlock);
  parallel_for(p.N * p.G * tiles, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(std::max<std::int64_t>(p.Ci, 1) * layout.slots * layout.band));
    T* cbuf = scratch<T, 4>(static_cast<std::size_t>(out_block * kLaneTile));
    std::int64_t* offs = scratch<std::int64_t, 0>(static_cast<std::size_t>(std::max<std::int64_t>(K, 1)));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t n = id / (p.G * tiles), g = id / tiles % p.G, tile = id % tiles;
      const std::int64_t q0 = tile * kLaneTile, count = std::min(kLaneTile, grid_px - q0);
      const std::int64_t rounded = (count + step - 1) / step * step;  // whole vector blocks, wrap-around included
      const auto view =
          layout.Bands(p, src + (n * p.G + g) * p.Ci * p.src_h * p.src_w, q0, rounded + p.max_offset(), bandbuf);
      TapOffsetsOf(view, K, offs);
      T* og = out + (n * p.G + g) * p.Co * p.out_plane;
      for (std::int64_t o0 = 0; o0 < p.Co; o0 += out_block) {
        const std::int64_t channels = std::min(out_block, p.Co - o0);
        LaneBlockOf(channels, view.base, offs, K, wk.data() + (g * p.Co + o0) * K,
                    bias != nullptr ? bias + g * p.Co + o0 : nullptr, rounded, cbuf, kLaneTile);
        for (std::int64_t o = o0; o < o0 + channels; ++o) {
          StoreRow(p, cbuf + (o - o0) * kLaneTile, q0, count, og + o * p.out_plane,
                   o + 1 < p.Co ? og + (o + 1) * p.out_plane : nullptr);
        }
      }
    }
  });
}

// acc[kk] (KB vectors) += Σ over the real output pixels among grid positions [q0, q0 + count)
// of dY · bands[offs[kk] + position − q0], lane by lane; lanes past a row's end add zero.
template <std::size_t KB, typename T>
HWY_INLINE void WeightTaps(const DirectConvPlan& p, const T* HWY_RESTRICT bands, const std::int64_t* HWY_RESTRICT offs,
                           const T* HWY_RESTRICT gplane, const std::int64_t q0, const std::int64_t count,
                           T* HWY_RESTRICT acc) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  V a[KB];
  for (std::size_t kk = 0; kk < KB; ++kk) a[kk] = hn::Load(d, acc + static_cast<std::int64_t>(kk) * N);
  const std::int64_t Wg = p.grid_w();
  std::int64_t y = q0 / Wg, x0 = q0 % Wg;
  for (std::int64_t t = 0; t < count; ++y, x0 = 0) {
    const std::int64_t run = std::min(count - t, Wg - x0), end = std::min(x0 + run, p.OW);
    const T* grow = gplane + y * p.OW;
    const T* brow = bands + t - x0;  // grid column x of row y is band position t + x − x0
    std::int64_t x = x0;
    for (; x + N <= end; x += N) {
      const V g = hn::LoadU(d, grow + x);
      for (std::size_t kk = 0; kk < KB; ++kk) a[kk] = hn::MulAdd(g, hn::LoadU(d, brow + offs[kk] + x), a[kk]);
    }
    if (x < end) {
      const auto rest = static_cast<std::size_t>(end - x);
      const V g = LoadTail(d, grow + x, rest);
      for (std::size_t kk = 0; kk < KB; ++kk) a[kk] = hn::MulAdd(g, LoadTail(d, brow + offs[kk] + x, rest), a[kk]);
    }
    t += run;
  }
  for (std::size_t kk = 0; kk < KB; ++kk) hn::Store(a[kk], d, acc + static_cast<std::int64_t>(kk) * N);
}

template <typename T>
void WeightTapsOf(const std::int64_t taps, const DirectConvPlan& p, const T* bands, const std::int64_t* offs,
                  const T* gplane, const std::int64_t q0, const std::int64_t count, T* acc) {
  switch (taps) {
    case 1: return WeightTaps<1>(p, bands, offs, gplane, q0, count, acc);
    case 2: return WeightTaps<2>(p, bands, offs, gplane, q0, count, acc);
    case 3: return WeightTaps<3>(p, bands, offs, gplane, q0, count, acc);
    case 4: return WeightTaps<4>(p, bands, offs, gplane, q0, count, acc);
    case 5: return WeightTaps<5>(p, bands, offs, gplane, q0, count, acc);
    case 6: return WeightTaps<6>(p, bands, offs, gplane, q0, count, acc);
    case 7: return WeightTaps<7>(p, bands, offs, gplane, q0, count, acc);
    case 8: return WeightTaps<8>(p, bands, offs, gplane, q0, count, acc);
    default: HWY_ASSERT(false);
  }
}

template <typename T>
void DepthwiseWeightT(const DirectConvPlan& p, const T* x, const T* gy, T* gw) {
  const hn::ScalableTag<T> d;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  const std::int64_t K = p.Ci * p.kH * p.kW, size = p.G * p.Co * K;
  if (size == 0) return;
  const BandLayout layout(p, kLaneTile);
  const std::int64_t grid_px = layout.grid_px, tiles = (grid_px + kLaneTile - 1) / kLaneTile;
  const std::int64_t units = p.N * tiles;
  const std::int64_t ranges = std::min(units, conv_weight_partials(p.N * p.OH * p.OW, size));
  const PackBuffer<T> partials(static_cast<std::size_t>(ranges * size));
  parallel_for(p.G * ranges, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(p.Ci * layout.slots * layout.band));
    T* acc = scratch<T, 5>(static_cast<std::size_t>(p.Co * K * N));
    std::int64_t* offs = scratch<std::int64_t, 0>(static_cast<std::size_t>(K));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / ranges, r = id % ranges;
      std::fill_n(acc, p.Co * K * N, T(0));
      for (std::int64_t unit = units * r / ranges; unit < units * (r + 1) / ranges; ++unit) {
        const std::int64_t n = unit / tiles, q0 = unit % tiles * kLaneTile, count = std::min(kLaneTile, grid_px - q0);
        const auto view =
            layout.Bands(p, x + (n * p.G + g) * p.Ci * p.src_h * p.src_w, q0, count + p.max_offset(), bandbuf);
        TapOffsetsOf(view, K, offs);
        for (std::int64_t o = 0; o < p.Co; ++o) {
          const T* gplane = gy + ((n * p.G + g) * p.Co + o) * p.OH * p.OW;
          for (std::int64_t k0 = 0; k0 < K; k0 += static_cast<std::int64_t>(kTapBlock)) {
            WeightTapsOf(std::min(static_cast<std::int64_t>(kTapBlock), K - k0), p, view.base, offs + k0, gplane, q0,
                         count, acc + (o * K + k0) * N);
          }
        }
      }
      T* part = partials.get() + r * size + g * p.Co * K;
      for (std::int64_t i = 0; i < p.Co * K; ++i) part[i] = hn::GetLane(hn::SumOfLanes(d, hn::Load(d, acc + i * N)));
    }
  });
  parallel_for(size, 4096, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) {
      T sum = partials.get()[i];
      for (std::int64_t r = 1; r < ranges; ++r) sum += partials.get()[r * size + i];
      gw[i] = sum;
    }
  });
}

void DepthwiseConvF32(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  DepthwiseConvT(p, src, w, bias, out);
}
void DepthwiseConvF64(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out) {
  DepthwiseConvT(p, src, w, bias, out);
}
void DepthwiseWeightF32(const DirectConvPlan& p, const float* x, const float* gy, float* gw) {
  DepthwiseWeightT(p, x, gy, gw);
}
void DepthwiseWeightF64(const DirectConvPlan& p, const double* x, const double* gy, double* gw) {
  DepthwiseWeightT(p, x, gy, gw);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(DepthwiseConvF32);
HWY_EXPORT(DepthwiseConvF64);
HWY_EXPORT(DepthwiseWeightF32);
HWY_EXPORT(DepthwiseWeightF64);

void depthwise_conv(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  HWY_DYNAMIC_DISPATCH(DepthwiseConvF32)(p, src, w, bias, out);
}
void depthwise_conv(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out) {
  HWY_DYNAMIC_DISPATCH(DepthwiseConvF64)(p, src, w, bias, out);
}
void depthwise_conv_weight(const DirectConvPlan& p, const float* x, const float* gy, float* gw) {
  HWY_DYNAMIC_DISPATCH(DepthwiseWeightF32)(p, x, gy, gw);
}
void depthwise_conv_weight(const DirectConvPlan& p, const double* x, const double* gy, double* gw) {
  HWY_DYNAMIC_DISPATCH(DepthwiseWeightF64)(p, x, gy, gw);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
