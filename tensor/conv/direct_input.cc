// SPDX-License-Identifier: Apache-2.0
// grad_input of a strided convolution in one pass over dX (see direct_conv_input in
// direct_conv.h), instead of one direct convolution per input phase that fills its own bands of
// dY and stores every sW-th column of dX. A tile of dX pixels takes every phase's pixels from one
// band of U, dY bordered with zeros wide enough for every phase's virtual plane; it computes each
// phase's pixels pixel-major (A gathered from the band, against that phase's Wᵀ) into one tile
// buffer and stores the tile's dX runs whole. Pixels no tap reaches read a zero row. Every pixel
// sums its terms in its phase's k order: the numbers of running the phases one by one.
#include "atrous/tensor/conv/direct_conv.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/direct_input.cc"
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

inline std::size_t Idx(const std::int64_t i) { return static_cast<std::size_t>(i); }

// dX pixels per tile, at most: whole rows where a row is short, so a phase's pixels make few part
// panels; about kConvPixelTile pixels of each of 4 phases.
constexpr std::int64_t kInputTile = 8 * kConvPixelTile;

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

// The non-kernel part of the one-pass grad_input: which phases read dY, the plane U they share,
// the tiles of dX, and how a tile's pixels sort into per-phase panels.
class StridedInputPlan {
 public:
  // A phase that reads dY: its dX pixel grid (row0 + sH·r, col0 + sW·c), where pixel (r, c) lies
  // in U, and where its taps read relative to it.
  struct Phase {
    const DirectConvPlan* plan;
    std::int64_t row0, col0, border_h, border_w;
    std::int64_t K, reach;            // reduction length; the farthest tap offset in U
    std::int64_t w_offset, k_offset;  // its Wᵀ panels and tap offsets among all phases'
    std::vector<std::int64_t> taps;   // tap t's offset in U
  };
  // The span of U a tile's pixels read: positions [first, first + len).
  struct Reach {
    std::int64_t first, len;
  };

  StridedInputPlan(const ConvPlan& cp, const std::vector<DirectConvPlan>& phases, const std::int64_t nr) : cp_(cp) {
    FindReadingPhases(phases);
    if (reading.empty()) return;
    MakeBorderedPlane(phases.front());
    for (Phase& f : reading) {
      const DirectConvPlan& ph = *f.plan;
      for (std::int64_t t = 0; t < ph.kH * ph.kW; ++t) {
        f.taps.push_back(t / ph.kW * ph.dH * u.virtual_w() + t % ph.kW * ph.dW);
      }
      f.reach = f.taps.back();
      f.w_offset = packed_values;
      f.k_offset = tap_offsets;
      tap_offsets += f.K;
      packed_values += ph.G * (ph.Co / nr) * f.K * nr;
    }
    MakeTiles();
  }

  // Runs of one phase's pixels in tile [p0, p0 + count): fn(f, q, n) for the n pixels q, q + sW, …
  // of one row, whose phase is f (−1: no tap reaches them).
  template <class Fn>
  void ForEachRun(const std::int64_t p0, const std::int64_t count, const Fn& fn) const {
    const std::int64_t W = cp_.W;
    for (std::int64_t q = p0; q < p0 + count;) {
      const std::int64_t i = q / W, j = q % W, run = std::min(p0 + count - q, W - j);
      for (std::int64_t c = 0; c < std::min(cp_.sW, run); ++c) {
        const std::int64_t f = phase_of_[Idx(i % cp_.sH * cp_.sW + (j + c) % cp_.sW)];
        fn(f, q + c, (run - c + cp_.sW - 1) / cp_.sW);
      }
      q += run;
    }
  }

  // A tile's pixels, phase by phase in whole MR panels (the last pixel repeated): rowq holds their
  // positions in U, first[f] the phase's first row, counts[f] its pixels; at[t] is tile pixel t's
  // row (or the zero row after the last phase's panels).
  Reach Classify(const std::int64_t p0, const std::int64_t count, std::int64_t* rowq, std::int64_t* at,
                 std::int64_t* first, std::int64_t* counts) const {
    const auto MR = static_cast<std::int64_t>(kGemmMR);
    const auto nphases = static_cast<std::int64_t>(reading.size());
    std::fill_n(counts, nphases, 0);
    ForEachRun(p0, count, [&](const std::int64_t f, std::int64_t, const std::int64_t n) {
      if (f >= 0) counts[f] += n;
    });
    std::int64_t rows = 0;
    for (std::int64_t f = 0; f < nphases; ++f) first[f] = rows, rows += (counts[f] + MR - 1) / MR * MR;
    const std::int64_t zero_row = rows;
    std::fill_n(counts, nphases, 0);
    ForEachRun(p0, count, [&](const std::int64_t f, const std::int64_t q, const std::int64_t n) {
      if (f < 0) {
        for (std::int64_t s = 0; s < n; ++s) at[q - p0 + s * cp_.sW] = zero_row;
        return;
      }
      const std::int64_t row = first[f] + counts[f], v = Position(reading[Idx(f)], q / cp_.W, q % cp_.W);
      for (std::int64_t s = 0; s < n; ++s) rowq[row + s] = v + s, at[q - p0 + s * cp_.sW] = row + s;
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
    return {std::min(v0, vend), std::max<std::int64_t>(0, vend - v0)};
  }

  // The widest span of U any tile reads: each task's band.
  std::int64_t LongestReach() const {
    const auto nphases = static_cast<std::int64_t>(reading.size());
    std::vector<std::int64_t> rowq(Idx(rows_max)), at(Idx(tile)), first(Idx(nphases)), counts(first);
    std::int64_t longest = 0;
    for (std::int64_t t = 0; t < tiles; ++t) {
      const std::int64_t p0 = t * tile;
      longest = std::max(
          longest,
          Classify(p0, std::min(tile, cp_.H * cp_.W - p0), rowq.data(), at.data(), first.data(), counts.data()).len);
    }
    return longest;
  }

  std::vector<Phase> reading;  // the phases some tap of which reads dY
  // U: row r, column c read dY (r + ylo, c + xlo), zero outside; a single phase slot, unstrided.
  DirectConvPlan u;
  std::int64_t packed_values = 0, tap_offsets = 0;  // all phases' Wᵀ values and tap offsets
  std::int64_t tile = 0, tiles = 0;                 // dX pixels per tile; tiles per plane
  std::int64_t rows_max = 0;                        // tile-buffer rows: part panels and the zero row

 private:
  void FindReadingPhases(const std::vector<DirectConvPlan>& phases) {
    phase_of_.assign(Idx(cp_.sH * cp_.sW), -1);
    for (const DirectConvPlan& ph : phases) {
      Phase f{&ph, ph.out_offset / cp_.W, ph.out_offset % cp_.W, 0, 0, ph.Ci * ph.kH * ph.kW, 0, 0, 0, {}};
      if (!MapBorder(ph.map_h, f.border_h) || !MapBorder(ph.map_w, f.border_w)) continue;
      const bool none = reading.empty();
      const std::int64_t top = -f.border_h, bottom = ph.virtual_h() - f.border_h;
      const std::int64_t left = -f.border_w, right = ph.virtual_w() - f.border_w;
      ylo_ = none ? top : std::min(ylo_, top), yhi_ = none ? bottom : std::max(yhi_, bottom);
      xlo_ = none ? left : std::min(xlo_, left), xhi_ = none ? right : std::max(xhi_, right);
      phase_of_[Idx(f.row0 % cp_.sH * cp_.sW + f.col0 % cp_.sW)] = static_cast<std::int64_t>(reading.size());
      reading.push_back(std::move(f));
    }
  }

  void MakeBorderedPlane(const DirectConvPlan& any) {
    const std::int64_t dy_h = any.src_h, dy_w = any.src_w;
    u = any;
    u.kH = u.kW = u.sH = u.sW = u.dH = u.dW = 1;
    u.phases = {0};
    u.map_h.assign(Idx(yhi_ - ylo_), -1);
    u.map_w.assign(Idx(xhi_ - xlo_), -1);
    for (std::int64_t y = std::max<std::int64_t>(0, ylo_); y < std::min(dy_h, yhi_); ++y) u.map_h[Idx(y - ylo_)] = y;
    for (std::int64_t x = std::max<std::int64_t>(0, xlo_); x < std::min(dy_w, xhi_); ++x) u.map_w[Idx(x - xlo_)] = x;
    u.copy_shift = -xlo_;
    u.copy_lo = std::clamp<std::int64_t>(-xlo_, 0, u.virtual_w());
    u.copy_hi = std::clamp<std::int64_t>(dy_w - xlo_, u.copy_lo, u.virtual_w());
  }

  // Tiles: whole dX rows (a multiple of sH) where a row is short, evened out; else runs of a row.
  void MakeTiles() {
    const std::int64_t H = cp_.H, W = cp_.W, P = H * W;
    if (cp_.sH * W <= kInputTile) {
      const std::int64_t most = kInputTile / W / cp_.sH * cp_.sH, even = (H + most - 1) / most;
      tile = ((H + even - 1) / even + cp_.sH - 1) / cp_.sH * cp_.sH * W;
    } else {
      const std::int64_t even = (P + kInputTile - 1) / kInputTile;
      tile = (P + even - 1) / even;
    }
    tiles = (P + tile - 1) / tile;
    rows_max = tile + static_cast<std::int64_t>(reading.size() * kGemmMR) + 1;
  }

  // Where dX pixel (i, j) of phase f lies in U.
  std::int64_t Position(const Phase& f, const std::int64_t i, const std::int64_t j) const {
    return ((i - f.row0) / cp_.sH - f.border_h - ylo_) * u.virtual_w() + (j - f.col0) / cp_.sW - f.border_w - xlo_;
  }

  const ConvPlan& cp_;
  std::vector<std::int64_t> phase_of_;                  // by (i mod sH, j mod sW): index in `reading`, or −1
  std::int64_t ylo_ = 0, yhi_ = 0, xlo_ = 0, xhi_ = 0;  // U's extent, in dY coordinates
};

// Each reading phase's Wᵀ panels, one after another, as in the pixel-major forward.
template <typename T>
void PackPhaseWeights(const StridedInputPlan& plan, const T* w, T* packed) {
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  for (const StridedInputPlan::Phase& f : plan.reading) PackWeightPanels(*f.plan, w, NR, packed + f.w_offset);
}

template <typename T>
void DirectConvInputT(const ConvPlan& cp, const std::vector<DirectConvPlan>& phases, const T* gy, const T* w, T* gx) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  // DirectConvInputAnyT's conditions: a strided convolution, and dX channels in whole panels.
  HWY_DASSERT(cp.sH * cp.sW > 1 && !phases.empty() && phases.front().Co % NR == 0);
  const DirectConvPlan& any = phases.front();
  const std::int64_t N = any.N, G = any.G, Ci = any.Ci, Co = any.Co, P = cp.H * cp.W;
  const std::int64_t c_panels = Co / NR, block_panels = std::min(c_panels, kDirectCols / NR);
  const StridedInputPlan plan(cp, phases, NR);
  if (plan.reading.empty() || Ci == 0) return static_cast<void>(std::fill_n(gx, N * G * Co * P, T(0)));
  const auto nphases = static_cast<std::int64_t>(plan.reading.size());
  const std::int64_t tile = plan.tile, tiles = plan.tiles, rows_max = plan.rows_max;
  const BandLayout layout(plan.u, plan.LongestReach());
  const PackBuffer<T> wpack(static_cast<std::size_t>(plan.packed_values));
  PackPhaseWeights(plan, w, wpack.get());

  const std::int64_t units = N * G * tiles, shares = DirectShares(units, c_panels);
  parallel_for(units * shares, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bandbuf = scratch<T, 3>(static_cast<std::size_t>(Ci * layout.band));
    T* cbuf = scratch<T, 4>(static_cast<std::size_t>(rows_max * block_panels * NR));
    std::int64_t* rowq = scratch<std::int64_t, 0>(static_cast<std::size_t>(rows_max + tile + 2 * nphases));
    std::int64_t* at = rowq + rows_max;
    std::int64_t* first = at + tile;
    std::int64_t* counts = first + nphases;
    std::int64_t* offs = scratch<std::int64_t, 1>(static_cast<std::size_t>(plan.tap_offsets));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t unit = id / shares, share = id % shares;
      const std::int64_t n = unit / (G * tiles), g = unit / tiles % G;
      const std::int64_t p0 = unit % tiles * tile, count = std::min(tile, P - p0);
      const StridedInputPlan::Reach reach = plan.Classify(p0, count, rowq, at, first, counts);
      const std::int64_t zero_row = first[nphases - 1] + (counts[nphases - 1] + MR - 1) / MR * MR;
      const auto view =
          layout.Bands(plan.u, gy + (n * G + g) * Ci * any.src_h * any.src_w, reach.first, reach.len, bandbuf);
      // Where each phase's reduction index k reads in this unit's view: channel k / taps, tap k % taps.
      for (const StridedInputPlan::Phase& ph : plan.reading) {
        const auto taps = static_cast<std::int64_t>(ph.taps.size());
        for (std::int64_t k = 0; k < ph.K; ++k) {
          offs[ph.k_offset + k] = view.offs[k / taps] - view.shift + ph.taps[Idx(k % taps)];
        }
      }
      T* og = gx + (n * G + g) * Co * P;
      ForEachShareBlock(c_panels, share, shares, block_panels, [&](const std::int64_t jb, const std::int64_t je) {
        const std::int64_t ldc = (je - jb) * NR;
        for (std::int64_t f = 0; f < nphases; ++f) {
          const StridedInputPlan::Phase& ph = plan.reading[Idx(f)];
          const T* wf = wpack.get() + ph.w_offset;
          for (std::int64_t k0 = 0; k0 < ph.K; k0 += kPixelMajorKC) {
            const auto kc = static_cast<std::size_t>(std::min(kPixelMajorKC, ph.K - k0));
            for (std::int64_t jp = jb; jp < je; ++jp) {
              const PackedB<T> wt{wf + ((g * c_panels + jp) * ph.K + k0) * NR};
              for (std::int64_t row = first[f]; row < first[f] + counts[f]; row += MR) {
                GatheredA<T> a{{}, offs + ph.k_offset + k0};
                for (std::int64_t r = 0; r < MR; ++r) a.rows[r] = view.base + (rowq[row + r] - reach.first);
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

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(DirectConvInputF32);
HWY_EXPORT(DirectConvInputF64);

bool direct_conv_input(const ConvPlan& p, const std::vector<DirectConvPlan>& phases, const float* gy, const float* w,
                       float* gx) {
  return HWY_DYNAMIC_DISPATCH(DirectConvInputF32)(p, phases, gy, w, gx);
}
bool direct_conv_input(const ConvPlan& p, const std::vector<DirectConvPlan>& phases, const double* gy, const double* w,
                       double* gx) {
  return HWY_DYNAMIC_DISPATCH(DirectConvInputF64)(p, phases, gy, w, gx);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
