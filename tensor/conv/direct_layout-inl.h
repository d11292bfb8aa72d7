// SPDX-License-Identifier: Apache-2.0
// How a direct convolution lays out its work (see direct_conv.h for the virtual plane and its
// phases): the bands a task copies and where each tap reads in them (BandLayout), a tile's grid
// rows stored back to the output (StoreRow), tiles of real output pixels (PixelTiles), weight
// panels (PackWeightPanels), and how tasks share out output channels when tiles are few
// (DirectShares). Shared by the forward, grad_weight, strided grad_input and depthwise kernels.

#if defined(ATROUS_TENSOR_CONV_DIRECT_LAYOUT_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_CONV_DIRECT_LAYOUT_INL_H_
#undef ATROUS_TENSOR_CONV_DIRECT_LAYOUT_INL_H_
#else
#define ATROUS_TENSOR_CONV_DIRECT_LAYOUT_INL_H_
#endif

#include <algorithm>
#include <cstdint>
#include <vector>

#include "atrous/tensor/conv/band-inl.h"
#include "atrous/tensor/conv/direct_conv.h"
#include "atrous/tensor/conv/plane_copy-inl.h"
#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "atrous/tensor/gemm/gemm_pack-inl.h"
#include "atrous/tensor/parallel.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// Output rows per tile buffer: a multiple of every target's MR (8, 6, 4); 96 × 256 floats = 96 KiB.
constexpr std::int64_t kDirectRows = 96;
// Output channels per pixel-major tile buffer: 256 pixels × 128 floats = 128 KiB.
constexpr std::int64_t kDirectCols = 128;
// The pixel-major k block: its Wᵀ panel (16 KiB) and the band lines its gathered rows touch stay
// in L1 together (bench/README.md, "Tuning constants").
constexpr std::int64_t kPixelMajorKC = 128;
// Grid tiles per weight panel up to which a forward reads its weights in place (WeightsInPlace).
constexpr std::int64_t kInPlaceTiles = 2;
// Fewer tasks than this leave threads idle for a large part of the call. More would split a
// tile's channels into shares that each fill the same bands (bench/README.md, "Tuning constants").
constexpr std::int64_t kDirectMinTasks = 8;

// Forward tasks are (image, group, tile, share of the output channels' panels). A task fills its
// bands once for all its channels, so the channels are shared out only when there are too few
// tiles to keep every thread busy to the end (large channel counts on small maps, one image).
inline std::int64_t DirectShares(const std::int64_t units, const std::int64_t panels) {
  return units >= kDirectMinTasks ? 1 : std::min(panels, (kDirectMinTasks + units - 1) / units);
}

// The share's panels of [0, panels) — share `share` of `shares` — in blocks of at most `block`
// panels, balanced (16 panels make 8 + 8, not 12 + 4): fn(first, last) per block.
template <class BlockFn>
HWY_INLINE void ForEachShareBlock(const std::int64_t panels, const std::int64_t share, const std::int64_t shares,
                                  const std::int64_t block, const BlockFn& fn) {
  const std::int64_t first = panels * share / shares, last = panels * (share + 1) / shares;
  const std::int64_t blocks = (last - first + block - 1) / block;
  for (std::int64_t b = 0; b < blocks; ++b) {
    fn(first + (last - first) * b / blocks, first + (last - first) * (b + 1) / blocks);
  }
}

// How a call lays out its tasks' bands: `band` values per channel and phase slot (a tile plus the
// largest tap shift), the tiles over the grid's grid_px pixels (the first OH − 1 rows whole, OW of the last), and where
// tap k reads relative to the pixel — in the copied bands, and where the source can be read in place, in the source
// planes.
struct BandLayout {
  std::int64_t band, slots, grid_px, tiles;
  std::vector<std::int64_t> copied, in_place;  // tap offsets; in_place empty unless usable
  // Grid positions [in_lo, in_hi) are source position v − in_shift of each plane, so a band inside
  // them is the source itself: the whole plane when the virtual plane is the source (stride 1, no
  // padding), the unpadded stretch of a single-row plane whose row is the source row (a 1-D
  // convolution's padded sequence; not a grad_input phase whose one row lies past dY's edge).
  std::int64_t in_lo = 0, in_hi = 0, in_shift = 0;

  // `span`: the grid positions a task's pixels cover (a tile of the grid by default).
  explicit BandLayout(const DirectConvPlan& p, const std::int64_t span = kConvPixelTile)
      : band(span + p.max_offset()),
        slots(static_cast<std::int64_t>(p.phases.size())),
        grid_px((p.OH - 1) * p.grid_w() + p.OW),
        tiles((grid_px + kConvPixelTile - 1) / kConvPixelTile),
        copied(TapOffsets(p, band)) {
    if (p.virtual_is_source()) {
      in_hi = p.src_h * p.src_w;
    } else if (p.sH == 1 && p.sW == 1 && p.src_h == 1 && p.virtual_h() == 1 && p.map_h[0] == 0) {
      in_lo = p.copy_lo, in_hi = p.copy_hi, in_shift = p.copy_shift;
    }
    if (in_hi > in_lo) in_place = TapOffsets(p, p.src_h * p.src_w);
  }

  // Where tap k = (ci, ky, kx) reads, relative to the pixel, with `stride` values per channel
  // slot: the slot of its phase, shifted by whole phase rows and columns.
  static std::vector<std::int64_t> TapOffsets(const DirectConvPlan& p, const std::int64_t stride) {
    const std::int64_t khw = p.kH * p.kW, slots = static_cast<std::int64_t>(p.phases.size());
    std::vector<std::int64_t> offsets(static_cast<std::size_t>(p.Ci * khw));
    for (std::int64_t k = 0; k < p.Ci * khw; ++k) {
      const std::int64_t ci = k / khw, vy = (k % khw) / p.kW * p.dH, vx = k % p.kW * p.dW;
      const std::int64_t phase = vy % p.sH * p.sW + vx % p.sW;
      const auto slot = std::find(p.phases.begin(), p.phases.end(), phase) - p.phases.begin();
      offsets[static_cast<std::size_t>(k)] = (ci * slots + slot) * stride + vy / p.sH * p.grid_w() + vx / p.sW;
    }
    return offsets;
  }

  // A task's bands of source channels [c0, c1) (all by default) for grid positions
  // [v0, v0 + len): the source planes themselves when the reads stay inside [in_lo, in_hi), else
  // `buf`, filled here. Tap k of those channels reads at view.base + (view.offs[k] − view.shift).
  template <typename T>
  struct View {
    const T* base;
    const std::int64_t* offs;
    std::int64_t shift;
  };
  template <typename T>
  View<T> Bands(const DirectConvPlan& p, const T* planes, const std::int64_t v0, const std::int64_t len, T* buf,
                const std::int64_t c0 = 0, const std::int64_t c1 = -1) const {
    if (!in_place.empty() && v0 >= in_lo && v0 + len <= in_hi) return {planes + v0 - in_shift, in_place.data(), 0};
    FillBands(p, planes, band, v0, len, c0, c1 < 0 ? p.Ci : c1, buf);
    return {buf, copied.data(), c0 * slots * band};
  }
};

// Where reduction index k = (ci, tap) of an output channel's weights lies, relative to its first.
struct WeightColumns {
  std::vector<std::int64_t> offsets;
  explicit WeightColumns(const DirectConvPlan& p) : offsets(static_cast<std::size_t>(p.Ci * p.kH * p.kW)) {
    const auto taps = static_cast<std::int64_t>(p.w_taps.size());
    for (std::size_t k = 0; k < offsets.size(); ++k) {
      const auto ki = static_cast<std::int64_t>(k);
      offsets[k] = ki / taps * p.w_in + p.w_taps[static_cast<std::size_t>(ki % taps)];
    }
  }
  std::int64_t operator()(const std::int64_t k) const { return offsets[static_cast<std::size_t>(k)]; }
};

// Each group's Co bias values (zeros when bias is null), zero-padded to `padded` (whole panels).
template <typename T>
std::vector<T> PanelBias(const DirectConvPlan& p, const T* bias, const std::int64_t padded) {
  std::vector<T> out(static_cast<std::size_t>(p.G * padded), T(0));
  for (std::int64_t g = 0; g < p.G && bias != nullptr; ++g) {
    std::copy(bias + g * p.Co, bias + (g + 1) * p.Co, out.begin() + g * padded);
  }
  return out;
}

// Panels `width` wide of each group's Co output channels of p's weights (read through its w_*
// layout), zero past Co: panel (g, j) holds w[g·Co + j·width + r, k] at
// panels[((g·count + j)·K + k)·width + r], count = ⌈Co / width⌉, K = Ci·kH·kW. The grid forward
// packs MR-row A panels, the pixel-major kernels NR-column Wᵀ panels; the layout is the same.
template <typename T>
void PackWeightPanels(const DirectConvPlan& p, const T* w, const std::int64_t width, T* panels) {
  HWY_DASSERT(width > 0 && p.Co > 0 && static_cast<std::int64_t>(p.w_taps.size()) == p.kH * p.kW);
  const std::int64_t K = p.Ci * p.kH * p.kW, count = (p.Co + width - 1) / width;
  const WeightColumns cols(p);
  parallel_for(p.G * count, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / count, o0 = id % count * width;
      PackPanelOf(w + g * p.w_group + o0 * p.w_out, p.w_out, cols, std::min(width, p.Co - o0), width, K,
                  panels + id * K * width);
    }
  });
}

// Tile-buffer columns [0, count) (grid pixels q0 …) → the output plane, skipping the
// wrap-around columns x >= OW. A strided plane (a grad_input phase) is read-modify-written: the
// same runs of `next`, the following channel's plane, are prefetched, as the channels' short runs
// 12 KB apart are streams the hardware prefetchers miss.
template <typename T>
void StoreRow(const DirectConvPlan& p, const T* HWY_RESTRICT c, const std::int64_t q0, const std::int64_t count,
              T* HWY_RESTRICT plane, const T* next) {
  const std::int64_t Wg = p.grid_w();
  std::int64_t y = q0 / Wg, x = q0 % Wg;
  for (std::int64_t t = 0; t < count; ++y, x = 0) {
    const std::int64_t run = std::min(count - t, Wg - x);
    const std::int64_t valid = std::min(run, std::max<std::int64_t>(0, p.OW - x));
    const std::int64_t at = p.out_offset + y * p.out_row + x * p.out_col;
    T* dst = plane + at;
    if (p.out_col == 1) {
      CopyRun(c + t, valid, dst);
    } else {
      if (next != nullptr) {
        PrefetchRun(next + at, valid * p.out_col);
      }
      if (p.out_col == 2) {
        StoreStride2Run(c + t, valid, dst);
      } else {
        for (std::int64_t i = 0; i < valid; ++i) dst[i * p.out_col] = c[t + i];
      }
    }
    t += run;
  }
}

// Tiles of a plan's real output pixels, for the kernels that gather A at them (the pixel-major
// forward, grad_weight): at most kConvPixelTile pixels rounded up to whole `multiple`s, evened
// out (a 28 × 28 plane is 3 × 200 + 184 pixels, not 3 × 256 and a tail of 16 that fills bands and
// runs micro-kernels for little). The bands hold the virtual plane itself, not its stride phases:
// pixel (y, x) reads from position (sH·y, sW·x) on. A strided layer's pixels then span sW times
// as many columns (a cache line for 8 floats at stride 2), but its fill is a plain copy of each
// row instead of a deinterleave into sH·sW phases, and none at all where the unpadded plane is
// the source.
struct PixelTiles {
  DirectConvPlan v;  // the plan with unit stride: one band slot, the virtual plane
  std::int64_t OW, sH, sW, P, tile, tiles;
  BandLayout layout;

  PixelTiles(const DirectConvPlan& p, const std::int64_t multiple)
      : v(Unstrided(p)),
        OW(p.OW),
        sH(p.sH),
        sW(p.sW),
        P(p.OH * p.OW),
        tile(EvenTile(P, multiple)),
        tiles((P + tile - 1) / tile),
        layout(v, Span()) {}

  // Where output pixel `pixel` sits on the virtual plane.
  std::int64_t grid(const std::int64_t pixel) const { return pixel / OW * sH * v.grid_w() + pixel % OW * sW; }
  // Tile t is pixels [first(t), first(t) + count(t)).
  std::int64_t first(const std::int64_t t) const { return t * tile; }
  std::int64_t count(const std::int64_t t) const { return std::min(tile, P - t * tile); }
  // The virtual positions from tile t's first pixel on that its pixels cover.
  std::int64_t cover(const std::int64_t t) const { return grid(first(t) + count(t) - 1) - grid(first(t)) + 1; }

 private:
  static DirectConvPlan Unstrided(DirectConvPlan p) {
    p.sH = p.sW = 1;
    p.phases = {0};
    return p;
  }
  static std::int64_t EvenTile(const std::int64_t P, const std::int64_t multiple) {
    const std::int64_t even = std::max<std::int64_t>(1, (P + kConvPixelTile - 1) / kConvPixelTile);
    return std::max<std::int64_t>(1, ((P + even - 1) / even + multiple - 1) / multiple * multiple);
  }
  std::int64_t Span() const {
    std::int64_t span = 0;
    for (std::int64_t t = 0; t < tiles; ++t) span = std::max(span, cover(t));
    return span;
  }
};

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_CONV_DIRECT_LAYOUT_INL_H_
