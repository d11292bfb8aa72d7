// SPDX-License-Identifier: Apache-2.0
// The direct forward (see direct_conv.h). Per (image, group, tile of pixels) a task copies its
// band of the virtual plane once per channel and phase, then either tiles the virtual grid
// (DirectConvGridT: B rows read in place at band + offset[k], wrap-around columns computed and
// skipped; 1-D layers and Cout not in whole panels) or real output pixels (DirectConvByPixelsT:
// A gathered from the bands against packed Wᵀ, stored transposed; every other 2-D layer).
// Tasks own disjoint outputs: bit-identical for any thread count, and for the same k order and
// bias seeding as the packed forward, the same numbers.
#include "atrous/tensor/conv/direct_conv.h"

#include <algorithm>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/direct_forward.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/conv/band-inl.h"
#include "atrous/tensor/conv/direct_layout-inl.h"
#include "atrous/tensor/conv/plane_copy-inl.h"
#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/parallel.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// Whether a forward reads its weights in place instead of packing them: when every weight panel
// serves at most kInPlaceTiles grid tiles, packing (a read and a write of every weight) costs
// more than the panels' contiguous loads save. The pixel-major forward always packs (its Wᵀ
// panels are a transpose), so such layers take the grid forward.
inline bool WeightsInPlace(const DirectConvPlan& p) {
  return p.N * BandLayout(p).tiles <= kInPlaceTiles && p.Ci > 0 && p.Co > 0;
}

template <typename T>
void DirectConvGridT(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t K = p.Ci * p.kH * p.kW, tile_px = kConvPixelTile;
  const std::int64_t a_panels = (p.Co + MR - 1) / MR;
  const std::int64_t block_panels = std::min(a_panels, kDirectRows / MR);
  const BandLayout layout(p);
  const std::int64_t grid_px = layout.grid_px, tiles = layout.tiles;

  if (K == 0) {  // no source channels: the output is the bias
    for (std::int64_t i = 0; i < p.N * p.G * p.Co; ++i) {
      const T value = bias != nullptr ? bias[i % (p.G * p.Co)] : T(0);
      for (std::int64_t y = 0; y < p.OH; ++y) {
        for (std::int64_t x = 0; x < p.OW; ++x)
          out[i * p.out_plane + p.out_offset + y * p.out_row + x * p.out_col] = value;
      }
    }
    return;
  }
  // Weights read in place where a call has too few tiles to repay packing them (batch-1 layers
  // on small maps, whose weights outweigh their pixels); else packed into MR-row panels once.
  const bool weights_in_place = WeightsInPlace(p);
  const PackBuffer<T> apack(weights_in_place ? 0 : static_cast<std::size_t>(p.G * a_panels * K * MR));
  if (!weights_in_place) PackWeightPanels(p, w, MR, apack.get());
  const WeightColumns cols(p);
  // Bias per panel, zero-padded to MR rows, so every tile runs the full micro-kernel.
  const std::vector<T> bias_panels = bias != nullptr ? PanelBias(p, bias, a_panels * MR) : std::vector<T>();

  // Where the grid has no wrap-around columns and the output plane has unit column stride, whole
  // panels of a tile are rows of the output itself: the micro-kernel accumulates there, and
  // only a tile's last part panel and any part panel of channels go through the tile buffer.
  const bool rows_are_output = p.out_col == 1 && (p.OH == 1 || (p.grid_w() == p.OW && p.out_row == p.OW));
  const std::int64_t units = p.N * p.G * tiles, shares = DirectShares(units, a_panels);
  parallel_for(units * shares, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(p.Ci * layout.slots * layout.band));
    T* cbuf = scratch<T, 4>(static_cast<std::size_t>(block_panels * MR * tile_px));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t unit = id / shares, share = id % shares;
      const std::int64_t n = unit / (p.G * tiles), g = unit / tiles % p.G, tile = unit % tiles;
      const std::int64_t q0 = tile * tile_px, count = std::min(tile_px, grid_px - q0);
      const std::int64_t npanels = (count + NR - 1) / NR;
      const std::int64_t filled = npanels * NR + p.max_offset();  // what the panels read
      const auto view = layout.Bands(p, src + (n * p.G + g) * p.Ci * p.src_h * p.src_w, q0, filled, bandbuf);
      const T* bands = view.base;
      const std::int64_t* offs = view.offs;
      const bool in_place = bands != bandbuf;
      const std::int64_t direct_cols = rows_are_output ? count / NR * NR : 0;
      T* og = out + (n * p.G + g) * p.Co * p.out_plane;
      ForEachShareBlock(a_panels, share, shares, block_panels, [&](const std::int64_t ib, const std::int64_t ie) {
        for (std::int64_t k0 = 0; k0 < K; k0 += kConvKC) {
          const auto kc = static_cast<std::size_t>(std::min(kConvKC, K - k0));
          for (std::int64_t jp = 0; jp < npanels; ++jp) {
            const ShiftedB<T> rows{bands + jp * NR, offs + k0};
            if (in_place) {
              for (std::size_t k = 0; k < kc; ++k) PrefetchRun(rows.Row(k) + NR, NR);
            }
            for (std::int64_t ip = ib; ip < ie; ++ip) {
              const bool direct = jp * NR < direct_cols && (ip + 1) * MR <= p.Co;
              T* c = direct ? og + ip * MR * p.out_plane + p.out_offset + q0 + jp * NR
                            : cbuf + (ip - ib) * MR * tile_px + jp * NR;
              const auto ldc = static_cast<std::size_t>(direct ? p.out_plane : tile_px);
              const T* init = bias != nullptr ? bias_panels.data() + (g * a_panels + ip) * MR : nullptr;
              if (weights_in_place) {
                // Rows past Co repeat the last channel: computed into the tile buffer, never stored.
                GatheredA<T> a{{}, cols.offsets.data() + k0};
                for (std::int64_t r = 0; r < MR; ++r) {
                  a.rows[r] = w + g * p.w_group + std::min(ip * MR + r, p.Co - 1) * p.w_out;
                }
                MicroKernelOf(kc, a, rows, c, ldc, k0 > 0, init);
              } else {
                MicroKernelOf(kc, PackedA<T>{apack.get() + ((g * a_panels + ip) * K + k0) * MR}, rows, c, ldc, k0 > 0,
                              init);
              }
            }
          }
        }
        for (std::int64_t o = ib * MR; o < std::min(ie * MR, p.Co); ++o) {
          const std::int64_t t0 = o < p.Co / MR * MR ? direct_cols : 0;
          if (t0 == count) continue;
          StoreRow(p, cbuf + (o - ib * MR) * tile_px + t0, q0 + t0, count - t0, og + o * p.out_plane,
                   o + 1 < std::min(ie * MR, p.Co) ? og + (o + 1) * p.out_plane : nullptr);
        }
      });
    }
  });
}

// Whether the pixel-major forward pays: its output is whole planes (a tile is one run of each;
// strided grad_input phases run in one pass over dX instead), no NR panel is padded, and the grid
// forward would compute wrap-around columns. Pixel-major tiles win even where those columns are
// few (VGG-64: 2 of 58; bench/README.md, "Tuning constants"), as they also skip the grid's store
// pass and unaligned B loads. A 1-D convolution has no wrap-around at all, and its grid tiles read
// long sequences in place.
template <typename T>
bool PixelMajorPays(const DirectConvPlan& p) {
  const bool plain = p.out_col == 1 && p.out_row == p.OW;  // the output is OH × OW planes
  return plain && p.Co % static_cast<std::int64_t>(GemmNR<T>()) == 0 && (p.OH - 1) * (p.grid_w() - p.OW) > 0 &&
         !WeightsInPlace(p);
}

// The pixel-major forward: Cᵀ[pixels × Co] = band rows gathered at the real output pixels
// [pixels × K] · Wᵀ[K × Co]. A tile is 256 real pixels, so no wrap-around column is computed; the
// price is a transposed store of the tile buffer and output channels in NR-wide panels. Same k
// order and bias seeding as DirectConvGridT, so the same numbers.
template <typename T>
void DirectConvByPixelsT(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  HWY_DASSERT(p.Ci > 0 && PixelMajorPays<T>(p));
  const std::int64_t K = p.Ci * p.kH * p.kW;
  const std::int64_t c_panels = (p.Co + NR - 1) / NR, block_panels = std::min(c_panels, kDirectCols / NR);
  const PixelTiles pt(p, MR);
  const std::int64_t tile_px = pt.tile, tiles = pt.tiles;
  const DirectConvPlan& v = pt.v;
  const BandLayout& layout = pt.layout;
  const auto grid = [&](const std::int64_t pixel) { return pt.grid(pixel); };

  // Wᵀ panels: panel (g, jp) holds w[g·Co + jp·NR + j, k] at [k·NR + j], zero past Co.
  const PackBuffer<T> wpack(static_cast<std::size_t>(p.G * c_panels * K * NR));
  PackWeightPanels(p, w, NR, wpack.get());

  // Every output starts from its bias (zero without one).
  const std::vector<T> bias_cols = PanelBias(p, bias, c_panels * NR);

  const std::int64_t units = p.N * p.G * tiles, shares = DirectShares(units, c_panels);
  parallel_for(units * shares, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(p.Ci * layout.slots * layout.band));
    T* cbuf = scratch<T, 4>(static_cast<std::size_t>(tile_px * block_panels * NR));
    std::int64_t* rowq = scratch<std::int64_t, 0>(static_cast<std::size_t>(tile_px));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t unit = id / shares, share = id % shares;
      const std::int64_t n = unit / (p.G * tiles), g = unit / tiles % p.G;
      const std::int64_t tile = unit % tiles, p0 = pt.first(tile), count = pt.count(tile), v0 = grid(p0);
      const std::int64_t filled = pt.cover(tile) + v.max_offset();
      const auto view = layout.Bands(v, src + (n * p.G + g) * p.Ci * p.src_h * p.src_w, v0, filled, bandbuf);
      const T* bands = view.base;
      const std::int64_t* offs = view.offs;
      const std::int64_t ipanels = (count + MR - 1) / MR;  // the last panel repeats the last pixel
      for (std::int64_t i = 0; i < ipanels * MR; ++i) rowq[i] = grid(p0 + std::min(i, count - 1)) - v0;
      T* og = out + (n * p.G + g) * p.Co * p.out_plane + p.out_offset;
      ForEachShareBlock(c_panels, share, shares, block_panels, [&](const std::int64_t jb, const std::int64_t je) {
        const std::int64_t ldc = (je - jb) * NR, o0 = jb * NR, o1 = std::min(je * NR, p.Co);
        for (std::int64_t k0 = 0; k0 < K; k0 += kPixelMajorKC) {
          const auto kc = static_cast<std::size_t>(std::min(kPixelMajorKC, K - k0));
          for (std::int64_t jp = jb; jp < je; ++jp) {
            const PackedB<T> wt{wpack.get() + ((g * c_panels + jp) * K + k0) * NR};
            for (std::int64_t ip = 0; ip < ipanels; ++ip) {
              GatheredA<T> a{{}, offs + k0};
              for (std::int64_t r = 0; r < MR; ++r) a.rows[r] = bands + rowq[ip * MR + r];
              MicroKernelOf(kc, a, wt, cbuf + ip * MR * ldc + (jp - jb) * NR, static_cast<std::size_t>(ldc), k0 > 0,
                            static_cast<const T*>(nullptr), bias_cols.data() + (g * c_panels + jp) * NR);
            }
          }
        }
        // The tile's pixels are one run of each output plane: one transposed store.
        StoreTransposed(cbuf, ldc, count, o1 - o0, og + o0 * p.out_plane + p0, p.out_plane);
      });
    }
  });
}

template <typename T>
void DirectConvAnyT(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  if (p.Ci > 0 && PixelMajorPays<T>(p)) return DirectConvByPixelsT(p, src, w, bias, out);
  DirectConvGridT(p, src, w, bias, out);
}
void DirectConvF32(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  DirectConvAnyT(p, src, w, bias, out);
}
void DirectConvF64(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out) {
  DirectConvAnyT(p, src, w, bias, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(DirectConvF32);
HWY_EXPORT(DirectConvF64);

void direct_conv(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  HWY_DYNAMIC_DISPATCH(DirectConvF32)(p, src, w, bias, out);
}
void direct_conv(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out) {
  HWY_DYNAMIC_DISPATCH(DirectConvF64)(p, src, w, bias, out);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
