// Direct convolution (see direct_conv.h). Per (image, group, tile of pixels) a task copies its
// band of the virtual plane once per channel and phase, then either tiles the virtual grid
// (DirectConvT: B rows read in place at band + offset[k], wrap-around columns computed and
// skipped; 1-D layers and Cout not in whole panels) or real output pixels (DirectConvByPixelsT:
// A gathered from the bands against packed Wᵀ, stored transposed; every other 2-D layer).
// grad_weight gathers A from the same bands. Tasks own disjoint outputs: bit-identical for any
// thread count, and for the same k order and bias seeding as the packed forward, the same numbers.
#include "tensor/conv/direct_conv.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "tensor/conv/pad_index.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tensor/conv/direct_conv.cc"
#include "hwy/cache_control.h"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "tensor/conv/band-inl.h"
#include "tensor/gemm/gemm_microkernel-inl.h"
#include "tensor/gemm/gemm_pack-inl.h"
#include "tensor/gemm/scratch.h"
#include "tensor/parallel.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// Output rows per tile buffer: a multiple of every target's MR (8, 6, 4); 96 × 256 floats = 96 KiB.
constexpr std::int64_t kDirectRows = 96;
// Output channels per pixel-major tile buffer: 256 pixels × 128 floats = 128 KiB.
constexpr std::int64_t kDirectCols = 128;
// The pixel-major k block: its Wᵀ panel (16 KiB) and the band lines its gathered rows touch stay
// in L1 together (256 measured 1.5–5 % slower single-threaded).
constexpr std::int64_t kPixelMajorKC = 128;
// Fewer tasks than this leave threads idle for a large part of the call. Sized for our 2-core
// machines: 16 made the dilated 256-channel forward split each tile's channels in two, filling
// its bands twice, and came out 3 % slower than 8 (8.00 against 7.76 ms).
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

// Tile-buffer columns [0, count) (grid pixels q0 …) → the output plane, skipping the
// wrap-around columns x >= OW. A strided plane (a grad_input phase) is read-modify-written: the
// same runs of `next`, the following channel's plane, are prefetched, as the channels' short runs
// 12 KB apart are streams the hardware prefetchers miss.
template <typename T>
void StoreRow(const DirectConvPlan& p, const T* HWY_RESTRICT c, const std::int64_t q0, const std::int64_t count,
              T* HWY_RESTRICT plane, const T* next) {
  const std::int64_t Wg = p.Wg();
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

// How a call lays out its tasks' bands: `band` values per channel and phase slot (a tile plus the
// largest tap shift), the tiles over the grid's Q pixels, and where tap k reads relative to the
// pixel — in the copied bands, and where the source can be read in place, in the source planes.
struct BandLayout {
  std::int64_t band, slots, Q, tiles;
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
        Q((p.OH - 1) * p.Wg() + p.OW),
        tiles((Q + kConvPixelTile - 1) / kConvPixelTile),
        copied(TapOffsets(p, band)) {
    if (p.virtual_is_source()) {
      in_hi = p.Hs * p.Ws;
    } else if (p.sH == 1 && p.sW == 1 && p.Hs == 1 && p.Hv() == 1 && p.map_h[0] == 0) {
      in_lo = p.lo, in_hi = p.hi, in_shift = p.shift;
    }
    if (in_hi > in_lo) in_place = TapOffsets(p, p.Hs * p.Ws);
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
      offsets[static_cast<std::size_t>(k)] = (ci * slots + slot) * stride + vy / p.sH * p.Wg() + vx / p.sW;
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

template <typename T>
void DirectConvT(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t K = p.Ci * p.kH * p.kW, TILE = kConvPixelTile;
  const std::int64_t a_panels = (p.Co + MR - 1) / MR;
  const std::int64_t block_panels = std::min(a_panels, kDirectRows / MR);
  const BandLayout layout(p);
  const std::int64_t Q = layout.Q, tiles = layout.tiles;

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
  const PackBuffer<T> apack(static_cast<std::size_t>(p.G * a_panels * K * MR));
  const WeightColumns cols(p);
  parallel_for(p.G * a_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / a_panels, o0 = id % a_panels * MR;
      PackPanelOf(w + g * p.w_group + o0 * p.w_out, p.w_out, cols, std::min(MR, p.Co - o0), MR, K,
                  apack.get() + id * K * MR);
    }
  });
  // Bias per panel, zero-padded to MR rows, so every tile runs the full micro-kernel.
  const std::vector<T> bias_panels = bias != nullptr ? PanelBias(p, bias, a_panels * MR) : std::vector<T>();

  // Where the grid has no wrap-around columns and the output plane has unit column stride, whole
  // panels of a tile are rows of the output itself: the micro-kernel accumulates there, and
  // only a tile's last part panel and any part panel of channels go through the tile buffer.
  const bool rows_are_output = p.out_col == 1 && (p.OH == 1 || (p.Wg() == p.OW && p.out_row == p.OW));
  const std::int64_t units = p.N * p.G * tiles, shares = DirectShares(units, a_panels);
  parallel_for(units * shares, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(p.Ci * layout.slots * layout.band));
    T* cbuf = scratch<T, 4>(static_cast<std::size_t>(block_panels * MR * TILE));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t unit = id / shares, share = id % shares;
      const std::int64_t n = unit / (p.G * tiles), g = unit / tiles % p.G, tile = unit % tiles;
      const std::int64_t q0 = tile * TILE, count = std::min(TILE, Q - q0);
      const std::int64_t npanels = (count + NR - 1) / NR;
      const std::int64_t filled = npanels * NR + p.max_offset();  // what the panels read
      // Plain variables, not a structured binding: the block lambda captures them (clang 14 cannot).
      const auto view = layout.Bands(p, src + (n * p.G + g) * p.Ci * p.Hs * p.Ws, q0, filled, bandbuf);
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
                            : cbuf + (ip - ib) * MR * TILE + jp * NR;
              MicroKernelOf(kc, PackedA<T>{apack.get() + ((g * a_panels + ip) * K + k0) * MR}, rows, c,
                            static_cast<std::size_t>(direct ? p.out_plane : TILE), k0 > 0,
                            bias != nullptr ? bias_panels.data() + (g * a_panels + ip) * MR : nullptr);
            }
          }
        }
        for (std::int64_t o = ib * MR; o < std::min(ie * MR, p.Co); ++o) {
          const std::int64_t t0 = o < p.Co / MR * MR ? direct_cols : 0;
          if (t0 == count) continue;
          StoreRow(p, cbuf + (o - ib * MR) * TILE + t0, q0 + t0, count - t0, og + o * p.out_plane,
                   o + 1 < std::min(ie * MR, p.Co) ? og + (o + 1) * p.out_plane : nullptr);
        }
      });
    }
  });
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
  std::int64_t grid(const std::int64_t pixel) const { return pixel / OW * sH * v.Wg() + pixel % OW * sW; }
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

// The pixel-major forward: Cᵀ[pixels × Co] = band rows gathered at the real output pixels
// [pixels × K] · Wᵀ[K × Co]. A tile is 256 real pixels, so no wrap-around column is computed; the
// price is a transposed store of the tile buffer and output channels in NR-wide panels. Same k
// order and bias seeding as DirectConvT, so the same numbers.
template <typename T>
void DirectConvByPixelsT(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t K = p.Ci * p.kH * p.kW;
  const std::int64_t c_panels = (p.Co + NR - 1) / NR, block_panels = std::min(c_panels, kDirectCols / NR);
  const PixelTiles pt(p, MR);
  const std::int64_t TILE = pt.tile, tiles = pt.tiles;
  const DirectConvPlan& v = pt.v;
  const BandLayout& layout = pt.layout;
  const auto grid = [&](const std::int64_t pixel) { return pt.grid(pixel); };

  // Wᵀ panels: panel (g, jp) holds w[g·Co + jp·NR + j, k] at [k·NR + j], zero past Co.
  const PackBuffer<T> wpack(static_cast<std::size_t>(p.G * c_panels * K * NR));
  const WeightColumns cols(p);
  parallel_for(p.G * c_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / c_panels, o0 = id % c_panels * NR;
      PackPanelOf(w + g * p.w_group + o0 * p.w_out, p.w_out, cols, std::min(NR, p.Co - o0), NR, K,
                  wpack.get() + id * K * NR);
    }
  });

  // Every output starts from its bias (zero without one).
  const std::vector<T> bias_cols = PanelBias(p, bias, c_panels * NR);

  const std::int64_t units = p.N * p.G * tiles, shares = DirectShares(units, c_panels);
  parallel_for(units * shares, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(p.Ci * layout.slots * layout.band));
    T* cbuf = scratch<T, 4>(static_cast<std::size_t>(TILE * block_panels * NR));
    std::int64_t* rowq = scratch<std::int64_t, 0>(static_cast<std::size_t>(TILE));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t unit = id / shares, share = id % shares;
      const std::int64_t n = unit / (p.G * tiles), g = unit / tiles % p.G;
      const std::int64_t tile = unit % tiles, p0 = pt.first(tile), count = pt.count(tile), v0 = grid(p0);
      const std::int64_t filled = pt.cover(tile) + v.max_offset();
      const auto view = layout.Bands(v, src + (n * p.G + g) * p.Ci * p.Hs * p.Ws, v0, filled, bandbuf);
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

// Whether the pixel-major forward pays: its output is whole planes (a tile is one run of each;
// strided grad_input phases run in one pass over dX instead), no NR panel is padded, and the grid
// forward would compute wrap-around columns. Measured on the 2-D benchmark layers, pixel-major tiles win even where
// those columns are few (VGG-64: 2 of 58; forward 5.39 -> 5.16 ms, the stride-2 forward 6.0 -> 5.2 ms single-threaded):
// they also skip the grid's store pass and unaligned B loads. A 1-D convolution has no wrap-around at all, and its grid
// tiles read long sequences in place.
template <typename T>
bool PixelMajorPays(const DirectConvPlan& p) {
  const bool plain = p.out_col == 1 && p.out_row == p.OW;  // the output is OH × OW planes
  return plain && p.Co % static_cast<std::int64_t>(GemmNR<T>()) == 0 && (p.OH - 1) * (p.Wg() - p.OW) > 0;
}

// grad_weight's dWᵀ accumulators per task: at most this many bytes, so they stay in L2 while the
// task walks its units (a whole 256 × 256 × 3 × 3 dWᵀ is 2.4 MB).
constexpr std::int64_t kWeightBlockBytes = 256 << 10;
// The dYᵀ panels packed once and shared by the k blocks of a large dWᵀ: at most this many bytes
// at a time (a chunk of units), read from L3.
constexpr std::int64_t kWeightChunkBytes = 2 << 20;

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
  const std::int64_t TILE = pt.tile, tiles = pt.tiles, units = p.N * tiles;
  const std::int64_t k_panels = (K + MR - 1) / MR, c_panels = (p.Co + NR - 1) / NR;
  const std::int64_t Kp = k_panels * MR, Cp = c_panels * NR, part = p.G * Kp * Cp;
  const std::int64_t block_bytes = Kp * Cp * static_cast<std::int64_t>(sizeof(T));
  const std::int64_t kblocks = std::min(k_panels, (block_bytes + kWeightBlockBytes - 1) / kWeightBlockBytes);
  const std::int64_t R = std::min(
      {conv_weight_partials(p.N * pt.P, part), units, (kDirectMinTasks + p.G * kblocks - 1) / (p.G * kblocks)});
  const PackBuffer<T> partials(static_cast<std::size_t>(R * part));
  // Shared dYᵀ panels (k blocks > 1), packed a slice of every unit range at a time (slice s of
  // range r: its units s·slice …), so that every task has work in every slice.
  const auto range_first = [&](const std::int64_t r) { return units * r / R; };
  const std::int64_t range_len = (units + R - 1) / R, unit_values = p.G * Cp * TILE;
  const std::int64_t slice =
      kblocks == 1 ? range_len
                   : std::clamp<std::int64_t>(
                         kWeightChunkBytes / (R * unit_values * static_cast<std::int64_t>(sizeof(T))), 1, range_len);
  const PackBuffer<T> shared_panels(kblocks == 1 ? 0 : static_cast<std::size_t>(R * slice * unit_values));

  for (std::int64_t s0 = 0; s0 < range_len; s0 += slice) {
    if (kblocks > 1) {
      parallel_for(R * slice, 1, [&](const std::int64_t b, const std::int64_t e) {
        for (std::int64_t i = b; i < e; ++i) {
          const std::int64_t r = i / slice, u = range_first(r) + s0 + i % slice;
          if (u >= range_first(r + 1)) continue;
          for (std::int64_t g = 0; g < p.G; ++g) {
            PackGradPanels(p, gy, u / tiles, g, pt.first(u % tiles), pt.count(u % tiles), TILE,
                           shared_panels.get() + (i * p.G + g) * Cp * TILE);
          }
        }
      });
    }
    parallel_for(R * p.G * kblocks, 1, [&](const std::int64_t b, const std::int64_t e) {
      T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(p.Ci * pt.layout.band));
      T* own_panels = scratch<T, 5>(kblocks == 1 ? static_cast<std::size_t>(Cp * TILE) : 0);
      std::int64_t* cols = scratch<std::int64_t, 0>(static_cast<std::size_t>(TILE));
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
            PackGradPanels(p, gy, n, g, p0, count, TILE, own_panels);
          } else {
            panels = shared_panels.get() + ((r * slice + u - u0 - s0) * p.G + g) * Cp * TILE;
          }
          const std::int64_t v0 = pt.grid(p0);
          for (std::int64_t j = 0; j < count; ++j) cols[j] = pt.grid(p0 + j) - v0;
          const auto view = pt.layout.Bands(pt.v, x + (n * p.G + g) * p.Ci * p.Hs * p.Ws, v0,
                                            pt.cover(t) + pt.v.max_offset(), bandbuf, ci0, ci1);
          for (std::int64_t jp = 0; jp < c_panels; ++jp) {
            for (std::int64_t ip = ip0; ip < ip1; ++ip) {
              GatheredA<T> a{{}, cols};
              for (std::int64_t i = 0; i < MR; ++i) {  // rows past K repeat the last tap, unused
                a.rows[i] = view.base + (view.offs[std::min(ip * MR + i, K - 1)] - view.shift);
              }
              MicroKernelOf(static_cast<std::size_t>(count), a, PackedB<T>{panels + jp * TILE * NR},
                            acc + ip * MR * Cp + jp * NR, static_cast<std::size_t>(Cp), u > u0);
            }
          }
        }
      }
    });
  }
  // Partials are summed along their rows (contiguous over channels) and written transposed, 16
  // rows at a time so that each channel's write is a run of 16 k values, not 16 lines K apart.
  constexpr std::int64_t kRows = 16;
  const std::int64_t row_blocks = (K + kRows - 1) / kRows;
  parallel_for(p.G * row_blocks, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* sum = scratch<T, 6>(static_cast<std::size_t>(kRows * Cp));
    for (std::int64_t i = b; i < e; ++i) {
      const std::int64_t g = i / row_blocks, k0 = i % row_blocks * kRows, rows = std::min(kRows, K - k0);
      for (std::int64_t j = 0; j < rows; ++j) {
        const T* row = partials.get() + (g * Kp + k0 + j) * Cp;
        T* out = sum + j * Cp;
        std::copy(row, row + p.Co, out);
        for (std::int64_t r = 1; r < R; ++r) {
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

inline std::size_t Idx(const std::int64_t i) { return static_cast<std::size_t>(i); }

// The first virtual coordinate a phase's map sends into dY, and how far it is shifted (virtual v
// reads dY v − border); false when the map reads nothing but zeros.
inline bool MapBorder(const std::vector<std::int64_t>& map, std::int64_t& border) {
  for (std::size_t v = 0; v < map.size(); ++v) {
    if (map[v] >= 0) {
      border = static_cast<std::int64_t>(v) - map[v];
      return true;
    }
  }
  return false;
}

// dX pixels per fused grad_input tile, at most: whole rows where a row is short, so a phase's
// pixels make few part panels; about kConvPixelTile pixels of each of 4 phases.
constexpr std::int64_t kInputTile = 8 * kConvPixelTile;

// grad_input of a strided convolution in one pass over dX, instead of one direct convolution
// per input phase that fills its own bands of dY and stores every sW-th column of dX. A tile of
// dX pixels takes every phase's pixels from one band of U, dY bordered with zeros wide enough for
// every phase's virtual plane; it computes each phase's pixels pixel-major (A gathered from the
// band, against that phase's Wᵀ) into one tile buffer and stores the tile's dX runs whole.
// Pixels no tap reaches read a zero row. Every pixel sums its terms in its phase's k order.
template <typename T>
void DirectConvInputT(const ConvPlan& cp, const std::vector<DirectConvPlan>& phases, const T* gy, const T* w, T* gx) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const DirectConvPlan& any = phases.front();
  const std::int64_t N = any.N, G = any.G, Ci = any.Ci, Co = any.Co, OH = any.Hs, OW = any.Ws;
  const std::int64_t H = cp.H, W = cp.W, P = H * W, classes = cp.sH * cp.sW;
  const std::int64_t c_panels = Co / NR, block_panels = std::min(c_panels, kDirectCols / NR);

  // The phases that read dY: their dX pixel grid (i0 + sH·r, j0 + sW·c), where pixel (r, c)
  // lies in U, and where their taps read relative to it.
  struct Phase {
    const DirectConvPlan* plan;
    std::int64_t i0, j0, bh, bw, K, reach, w_offset, k_offset;
    std::vector<std::int64_t> taps;
  };
  std::vector<Phase> reading;
  std::vector<std::int64_t> phase_of(static_cast<std::size_t>(classes), -1);  // by (i mod sH, j mod sW)
  std::int64_t ylo = 0, yhi = 0, xlo = 0, xhi = 0;
  for (const DirectConvPlan& ph : phases) {
    Phase f{&ph, ph.out_offset / W, ph.out_offset % W, 0, 0, ph.Ci * ph.kH * ph.kW, 0, 0, 0, {}};
    if (!MapBorder(ph.map_h, f.bh) || !MapBorder(ph.map_w, f.bw)) continue;
    const bool none = reading.empty();
    ylo = none ? -f.bh : std::min(ylo, -f.bh), yhi = none ? ph.Hv() - f.bh : std::max(yhi, ph.Hv() - f.bh);
    xlo = none ? -f.bw : std::min(xlo, -f.bw), xhi = none ? ph.Wv() - f.bw : std::max(xhi, ph.Wv() - f.bw);
    phase_of[Idx(f.i0 % cp.sH * cp.sW + f.j0 % cp.sW)] = static_cast<std::int64_t>(reading.size());
    reading.push_back(std::move(f));
  }
  if (reading.empty() || Ci == 0) return static_cast<void>(std::fill_n(gx, N * G * Co * P, T(0)));
  // U: row u, column x read dY (u + ylo, x + xlo), zero outside; a single phase slot, unstrided.
  DirectConvPlan u = any;
  u.kH = u.kW = u.sH = u.sW = u.dH = u.dW = 1;
  u.phases = {0};
  u.map_h.assign(static_cast<std::size_t>(yhi - ylo), -1);
  u.map_w.assign(static_cast<std::size_t>(xhi - xlo), -1);
  for (std::int64_t y = std::max<std::int64_t>(0, ylo); y < std::min(OH, yhi); ++y) u.map_h[Idx(y - ylo)] = y;
  for (std::int64_t x = std::max<std::int64_t>(0, xlo); x < std::min(OW, xhi); ++x) u.map_w[Idx(x - xlo)] = x;
  const std::int64_t WU = u.Wv();
  u.shift = -xlo;
  u.lo = std::clamp<std::int64_t>(-xlo, 0, WU);
  u.hi = std::clamp<std::int64_t>(OW - xlo, u.lo, WU);
  std::int64_t packed = 0, reads = 0;  // Wᵀ values and tap offsets of the phases before
  for (Phase& f : reading) {
    const DirectConvPlan& ph = *f.plan;
    for (std::int64_t t = 0; t < ph.kH * ph.kW; ++t) f.taps.push_back(t / ph.kW * ph.dH * WU + t % ph.kW * ph.dW);
    f.reach = f.taps.back();
    f.w_offset = packed;
    f.k_offset = reads;
    reads += f.K;
    packed += G * c_panels * f.K * NR;
  }
  const auto position = [&](const Phase& f, const std::int64_t i, const std::int64_t j) {
    return ((i - f.i0) / cp.sH - f.bh - ylo) * WU + (j - f.j0) / cp.sW - f.bw - xlo;
  };

  // Tiles: whole dX rows (a multiple of sH) where a row is short, evened out; else runs of a row.
  std::int64_t TILE = 0;
  if (cp.sH * W <= kInputTile) {
    const std::int64_t most = kInputTile / W / cp.sH * cp.sH, even = (H + most - 1) / most;
    TILE = ((H + even - 1) / even + cp.sH - 1) / cp.sH * cp.sH * W;
  } else {
    const std::int64_t even = (P + kInputTile - 1) / kInputTile;
    TILE = (P + even - 1) / even;
  }
  const std::int64_t tiles = (P + TILE - 1) / TILE;
  const auto nphases = static_cast<std::int64_t>(reading.size());
  const std::int64_t rows_max = TILE + nphases * MR + 1;  // part panels, and the zero row
  // Runs of one phase's pixels in tile [p0, p0 + count): fn(f, q, n) for the n pixels q, q + sW, …
  // of one row, whose phase is f (−1: no tap reaches them).
  const auto for_each_run = [&](const std::int64_t p0, const std::int64_t count, const auto& fn) {
    for (std::int64_t q = p0; q < p0 + count;) {
      const std::int64_t i = q / W, j = q % W, run = std::min(p0 + count - q, W - j);
      for (std::int64_t c = 0; c < std::min(cp.sW, run); ++c) {
        const std::int64_t f = phase_of[Idx(i % cp.sH * cp.sW + (j + c) % cp.sW)];
        fn(f, q + c, (run - c + cp.sW - 1) / cp.sW);
      }
      q += run;
    }
  };
  // A tile's pixels, phase by phase in whole MR panels (the last pixel repeated): rowq holds their
  // positions in U, first[f] the phase's first row; at[t] is tile pixel t's row (or the zero row).
  // Returns the span [v0, v0 + len) of U they read.
  const auto classify = [&](const std::int64_t p0, const std::int64_t count, std::int64_t* rowq, std::int64_t* at,
                            std::int64_t* first, std::int64_t* counts) {
    std::fill_n(counts, nphases, 0);
    for_each_run(p0, count, [&](const std::int64_t f, std::int64_t, const std::int64_t n) {
      if (f >= 0) counts[f] += n;
    });
    std::int64_t rows = 0;
    for (std::int64_t f = 0; f < nphases; ++f) first[f] = rows, rows += (counts[f] + MR - 1) / MR * MR;
    const std::int64_t zero_row = rows;
    std::fill_n(counts, nphases, 0);
    for_each_run(p0, count, [&](const std::int64_t f, const std::int64_t q, const std::int64_t n) {
      if (f < 0) {
        for (std::int64_t s = 0; s < n; ++s) at[q - p0 + s * cp.sW] = zero_row;
        return;
      }
      const std::int64_t row = first[f] + counts[f], v = position(reading[Idx(f)], q / W, q % W);
      for (std::int64_t s = 0; s < n; ++s) rowq[row + s] = v + s, at[q - p0 + s * cp.sW] = row + s;
      counts[f] += n;
    });
    std::int64_t v0 = std::numeric_limits<std::int64_t>::max(), vend = 0;
    for (std::int64_t f = 0; f < nphases; ++f) {
      if (counts[f] == 0) continue;
      const std::int64_t last = rowq[first[f] + counts[f] - 1];
      for (std::int64_t r = first[f] + counts[f]; r < first[f] + (counts[f] + MR - 1) / MR * MR; ++r) rowq[r] = last;
      v0 = std::min(v0, rowq[first[f]]);
      vend = std::max(vend, last + reading[Idx(f)].reach + 1);
    }
    return std::pair{std::min(v0, vend), std::max<std::int64_t>(0, vend - v0)};
  };
  std::int64_t span = 0;
  {
    std::vector<std::int64_t> rowq(static_cast<std::size_t>(rows_max)), at(static_cast<std::size_t>(TILE));
    std::vector<std::int64_t> first(static_cast<std::size_t>(nphases)), counts(first);
    for (std::int64_t t = 0; t < tiles; ++t) {
      const std::int64_t p0 = t * TILE;
      const std::int64_t count = std::min(TILE, P - p0);
      span = std::max(span, classify(p0, count, rowq.data(), at.data(), first.data(), counts.data()).second);
    }
  }
  const BandLayout layout(u, span);

  // Each phase's Wᵀ panels, as in the pixel-major forward.
  const PackBuffer<T> wpack(static_cast<std::size_t>(packed));
  parallel_for(nphases * G * c_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const Phase& f = reading[Idx(id / (G * c_panels))];
      const std::int64_t panel = id % (G * c_panels), g = panel / c_panels, o0 = panel % c_panels * NR;
      PackPanelOf(w + g * f.plan->w_group + o0 * f.plan->w_out, f.plan->w_out, WeightColumns(*f.plan), NR, NR, f.K,
                  wpack.get() + f.w_offset + panel * f.K * NR);
    }
  });

  const std::int64_t units = N * G * tiles, shares = DirectShares(units, c_panels);
  parallel_for(units * shares, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(Ci * layout.band));
    T* cbuf = scratch<T, 4>(static_cast<std::size_t>(rows_max * block_panels * NR));
    std::int64_t* rowq = scratch<std::int64_t, 0>(static_cast<std::size_t>(rows_max + TILE + 2 * nphases));
    std::int64_t* at = rowq + rows_max;
    std::int64_t* first = at + TILE;
    std::int64_t* counts = first + nphases;
    std::int64_t* offs = scratch<std::int64_t, 1>(static_cast<std::size_t>(reads));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t unit = id / shares, share = id % shares;
      const std::int64_t n = unit / (G * tiles), g = unit / tiles % G;
      const std::int64_t p0 = unit % tiles * TILE, count = std::min(TILE, P - p0);
      // Plain variables, not a structured binding: the block lambda captures them (clang 14 cannot).
      const std::pair<std::int64_t, std::int64_t> span_read = classify(p0, count, rowq, at, first, counts);
      const std::int64_t v0 = span_read.first, len = span_read.second;
      const std::int64_t zero_row = first[nphases - 1] + (counts[nphases - 1] + MR - 1) / MR * MR;
      const auto view = layout.Bands(u, gy + (n * G + g) * Ci * OH * OW, v0, len, bandbuf);
      // Where each phase's reduction index k reads in this unit's view: channel k / taps, tap k % taps.
      for (const Phase& ph : reading) {
        const auto taps = static_cast<std::int64_t>(ph.taps.size());
        for (std::int64_t k = 0; k < ph.K; ++k) {
          offs[ph.k_offset + k] = view.offs[k / taps] - view.shift + ph.taps[Idx(k % taps)];
        }
      }
      T* og = gx + (n * G + g) * Co * P;
      ForEachShareBlock(c_panels, share, shares, block_panels, [&](const std::int64_t jb, const std::int64_t je) {
        const std::int64_t ldc = (je - jb) * NR;
        for (std::int64_t f = 0; f < nphases; ++f) {
          const Phase& ph = reading[Idx(f)];
          const T* wf = wpack.get() + ph.w_offset;
          for (std::int64_t k0 = 0; k0 < ph.K; k0 += kPixelMajorKC) {
            const auto kc = static_cast<std::size_t>(std::min(kPixelMajorKC, ph.K - k0));
            for (std::int64_t jp = jb; jp < je; ++jp) {
              const PackedB<T> wt{wf + ((g * c_panels + jp) * ph.K + k0) * NR};
              for (std::int64_t row = first[f]; row < first[f] + counts[f]; row += MR) {
                GatheredA<T> a{{}, offs + ph.k_offset + k0};
                for (std::int64_t r = 0; r < MR; ++r) a.rows[r] = view.base + (rowq[row + r] - v0);
                MicroKernelOf(kc, a, wt, cbuf + row * ldc + (jp - jb) * NR, static_cast<std::size_t>(ldc), k0 > 0);
              }
            }
          }
        }
        std::fill_n(cbuf + zero_row * ldc, ldc, T(0));
        StoreTransposedOf([&](const std::int64_t t) { return cbuf + at[t] * ldc; }, count, ldc, og + jb * NR * P + p0,
                          P);
      });
    }
  });
}

template <typename T>
void DirectConvAnyT(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  if (p.Ci > 0 && PixelMajorPays<T>(p)) return DirectConvByPixelsT(p, src, w, bias, out);
  DirectConvT(p, src, w, bias, out);
}
void DirectConvF32(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  DirectConvAnyT(p, src, w, bias, out);
}
void DirectConvF64(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out) {
  DirectConvAnyT(p, src, w, bias, out);
}
template <typename T>
bool DirectConvInputAnyT(const ConvPlan& cp, const std::vector<DirectConvPlan>& phases, const T* gy, const T* w,
                         T* gx) {
  if (cp.sH * cp.sW == 1 || phases.empty() || phases.front().Co % static_cast<std::int64_t>(GemmNR<T>()) != 0) {
    return false;
  }
  DirectConvInputT(cp, phases, gy, w, gx);
  return true;
}
bool DirectConvInputF32(const ConvPlan& cp, const std::vector<DirectConvPlan>& phases, const float* gy, const float* w,
                        float* gx) {
  return DirectConvInputAnyT(cp, phases, gy, w, gx);
}
bool DirectConvInputF64(const ConvPlan& cp, const std::vector<DirectConvPlan>& phases, const double* gy,
                        const double* w, double* gx) {
  return DirectConvInputAnyT(cp, phases, gy, w, gx);
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

HWY_EXPORT(DirectConvF32);
HWY_EXPORT(DirectConvF64);
HWY_EXPORT(DirectConvInputF32);
HWY_EXPORT(DirectConvInputF64);
HWY_EXPORT(DirectConvWeightF32);
HWY_EXPORT(DirectConvWeightF64);

bool DirectConvPlan::virtual_is_source() const {
  const auto identity = [](const std::vector<std::int64_t>& map, const std::int64_t n) {
    if (static_cast<std::int64_t>(map.size()) != n) return false;
    for (std::int64_t i = 0; i < n; ++i) {
      if (map[static_cast<std::size_t>(i)] != i) return false;
    }
    return true;
  };
  return sH == 1 && sW == 1 && identity(map_h, Hs) && identity(map_w, Ws);
}

namespace {

DirectConvPlan with_phases(DirectConvPlan p) {
  for (std::int64_t ky = 0; ky < p.kH; ++ky) {
    for (std::int64_t kx = 0; kx < p.kW; ++kx) {
      const std::int64_t phase = ky * p.dH % p.sH * p.sW + kx * p.dW % p.sW;
      if (std::find(p.phases.begin(), p.phases.end(), phase) == p.phases.end()) p.phases.push_back(phase);
    }
  }
  std::sort(p.phases.begin(), p.phases.end());
  return p;
}

std::vector<std::int64_t> all_taps(const std::int64_t n) {
  std::vector<std::int64_t> taps(static_cast<std::size_t>(n));
  std::iota(taps.begin(), taps.end(), 0);
  return taps;
}

}  // namespace

DirectConvPlan direct_forward_plan(const ConvPlan& p) {
  return with_phases({.N = p.N,
                      .G = p.G,
                      .Ci = p.Cg,
                      .Co = p.Og,
                      .Hs = p.H,
                      .Ws = p.W,
                      .kH = p.kH,
                      .kW = p.kW,
                      .sH = p.sH,
                      .sW = p.sW,
                      .dH = p.dH,
                      .dW = p.dW,
                      .map_h = p.map_h,
                      .map_w = p.map_w,
                      .lo = p.interior_lo,
                      .hi = p.interior_hi,
                      .shift = p.pad_left,
                      .OH = p.OH,
                      .OW = p.OW,
                      .out_plane = p.OH * p.OW,
                      .out_row = p.OW,
                      .out_col = 1,
                      .out_offset = 0,
                      .phases = {},
                      .w_group = p.Og * p.Cg * p.kH * p.kW,
                      .w_out = p.Cg * p.kH * p.kW,
                      .w_in = p.kH * p.kW,
                      .w_taps = all_taps(p.kH * p.kW)});
}

namespace {

std::int64_t floor_div(const std::int64_t a, const std::int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// One axis of one grad_input phase: input coordinates i with (i + pad) ≡ rho (mod stride).
struct PhaseAxis {
  std::vector<std::int64_t> taps;     // kernel taps reaching the phase, flipped (last first)
  std::int64_t dilation = 1;          // between consecutive taps, in dY pixels
  std::int64_t first = 0, count = 0;  // phase index m of the first input, number of inputs
  std::vector<std::int64_t> map;      // virtual coordinate → dY coordinate, or −1
  std::int64_t border = 0;            // virtual v reads dY v − border
};

// Input coordinate i = rho + stride·m − pad receives dY[m − j(k)] · w[k] for every tap k with
// k·d ≡ rho, j(k) = (k·d − rho) / stride. Those taps are evenly spaced, so the phase is a
// stride-1 convolution of dY with them flipped: output r (m = first + r) reads virtual
// r + t·dilation = dY[r + first − j(last tap) + t·dilation].
PhaseAxis phase_axis(const std::int64_t rho, const std::int64_t stride, const std::int64_t kernel,
                     const std::int64_t dil, const std::int64_t pad, const std::int64_t in, const std::int64_t out) {
  PhaseAxis a;
  for (std::int64_t k = kernel - 1; k >= 0; --k) {
    if (k * dil % stride == rho) a.taps.push_back(k);
  }
  if (a.taps.empty()) return a;
  const auto j = [&](const std::int64_t k) { return (k * dil - rho) / stride; };
  if (a.taps.size() > 1) a.dilation = j(a.taps[0]) - j(a.taps[1]);
  a.first = floor_div(pad - rho + stride - 1, stride);
  a.count = std::max<std::int64_t>(0, floor_div(in - 1 + pad - rho, stride) - a.first + 1);
  a.border = j(a.taps[0]) - a.first;
  // dY zero-padded by `border` (negative: cropped) to the phase's virtual size.
  const std::int64_t size = a.count + (static_cast<std::int64_t>(a.taps.size()) - 1) * a.dilation;
  a.map = pad_map(PadMode::Zeros, out, a.border, size - out - a.border);
  return a;
}

}  // namespace

std::vector<DirectConvPlan> direct_backward_input_phases(const ConvPlan& p) {
  std::vector<DirectConvPlan> phases;
  for (std::int64_t rh = 0; rh < p.sH; ++rh) {
    const PhaseAxis h = phase_axis(rh, p.sH, p.kH, p.dH, p.pad_top, p.H, p.OH);
    if (h.taps.empty() || h.count == 0) continue;
    for (std::int64_t rw = 0; rw < p.sW; ++rw) {
      const PhaseAxis w = phase_axis(rw, p.sW, p.kW, p.dW, p.pad_left, p.W, p.OW);
      if (w.taps.empty() || w.count == 0) continue;
      const auto Wv = static_cast<std::int64_t>(w.map.size());
      std::vector<std::int64_t> taps;
      for (const std::int64_t ky : h.taps) {
        for (const std::int64_t kx : w.taps) taps.push_back(ky * p.kW + kx);
      }
      DirectConvPlan plan{.N = p.N,
                          .G = p.G,
                          .Ci = p.Og,
                          .Co = p.Cg,
                          .Hs = p.OH,
                          .Ws = p.OW,
                          .kH = static_cast<std::int64_t>(h.taps.size()),
                          .kW = static_cast<std::int64_t>(w.taps.size()),
                          .sH = 1,
                          .sW = 1,
                          .dH = h.dilation,
                          .dW = w.dilation,
                          .map_h = h.map,
                          .map_w = w.map,
                          .lo = std::clamp<std::int64_t>(w.border, 0, Wv),
                          .hi = std::clamp<std::int64_t>(w.border + p.OW, 0, Wv),
                          .shift = w.border,
                          .OH = h.count,
                          .OW = w.count,
                          .out_plane = p.H * p.W,
                          .out_row = p.sH * p.W,
                          .out_col = p.sW,
                          .out_offset = (rh + p.sH * h.first - p.pad_top) * p.W + rw + p.sW * w.first - p.pad_left,
                          .phases = {},
                          .w_group = p.Og * p.Cg * p.kH * p.kW,
                          .w_out = p.kH * p.kW,
                          .w_in = p.Cg * p.kH * p.kW,
                          .w_taps = std::move(taps)};
      phases.push_back(with_phases(std::move(plan)));
    }
  }
  return phases;
}

bool direct_conv_pays(const DirectConvPlan& p, const std::size_t element_size) {
  const auto copied = static_cast<double>(p.phases.size()) * static_cast<double>(kConvPixelTile + p.max_offset());
  // The packed path copies every im2col element twice (gathered into a row, then into panels).
  const bool cheaper = copied <= static_cast<double>(2 * p.kH * p.kW * kConvPixelTile);
  const bool bounded = static_cast<double>(p.Ci) * copied * static_cast<double>(element_size) <= double{4 << 20};
  return cheaper && bounded;
}

void direct_conv(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  HWY_DYNAMIC_DISPATCH(DirectConvF32)(p, src, w, bias, out);
}
void direct_conv(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out) {
  HWY_DYNAMIC_DISPATCH(DirectConvF64)(p, src, w, bias, out);
}

bool direct_conv_input(const ConvPlan& p, const std::vector<DirectConvPlan>& phases, const float* gy, const float* w,
                       float* gx) {
  return HWY_DYNAMIC_DISPATCH(DirectConvInputF32)(p, phases, gy, w, gx);
}
bool direct_conv_input(const ConvPlan& p, const std::vector<DirectConvPlan>& phases, const double* gy, const double* w,
                       double* gx) {
  return HWY_DYNAMIC_DISPATCH(DirectConvInputF64)(p, phases, gy, w, gx);
}

void direct_conv_weight(const DirectConvPlan& p, const float* x, const float* gy, float* gw) {
  HWY_DYNAMIC_DISPATCH(DirectConvWeightF32)(p, x, gy, gw);
}
void direct_conv_weight(const DirectConvPlan& p, const double* x, const double* gy, double* gw) {
  HWY_DYNAMIC_DISPATCH(DirectConvWeightF64)(p, x, gy, gw);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
