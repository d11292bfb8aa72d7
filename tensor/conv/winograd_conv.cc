// SPDX-License-Identifier: Apache-2.0
// Winograd F(2×2, 3×3) (see winograd_conv.h). A task takes a run of tiles of one (image, group):
// it fills the bands of the virtual rows they read (band-inl.h, every padding mode), then per NR
// tiles runs the three steps: V = Bᵀ·d·B (vectors over a tile row's tiles: a tile's 4×4 block is
// columns 2t … 2t + 3, two deinterleaved loads per row), the 16 GEMMs M[ξ] = U[ξ] · V[ξ] on the
// micro-kernel, and Y = Aᵀ·M·A into the tiles' 2×2 output blocks. Both transforms take a tile
// row's run in vectors of 4, 8 or all lanes, the narrowest that holds it.
#include "atrous/tensor/conv/winograd_conv.h"

#include <algorithm>
#include <limits>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/winograd_conv.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/conv/band-inl.h"
#include "atrous/tensor/conv/winograd_tiles.h"
#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/ops/magnitude-inl.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/simd/tail-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using winograd::kManyBlocks;
using winograd::kPoints;
using winograd::kTileBlocks;
using winograd::piece_band;
using winograd::piece_len;
using winograd::tile_cols;
using winograd::TileList;

// U = G·g·Gᵀ for every (group, output channel, input channel), in micro-kernel A panels: panel
// (g, ξ, ip) holds U[ξ] of output channels ip·MR … ip·MR + MR − 1 at [ci·MR + r], zero past Co,
// at u + (g·16 + ξ)·u_point + ip·Ci·MR. u_point is padded off a multiple of 4 KiB: the 16 ξ
// written together would otherwise share one L1 set and evict each other on every store.
template <typename T>
void TransformWeights(const DirectConvPlan& p, const T* w, const std::int64_t a_panels, const std::int64_t u_point,
                      T* u) {
  constexpr auto MR = static_cast<std::int64_t>(kGemmMR);
  parallel_for(p.G * a_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / a_panels, ip = id % a_panels, rows = std::min(MR, p.Co - ip * MR);
      for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
        T k[9][MR] = {};  // the MR output channels' taps, zero past Co
        for (std::int64_t r = 0; r < rows; ++r) {
          const T* wc = w + g * p.w_group + (ip * MR + r) * p.w_out + ci * p.w_in;
          for (std::size_t t = 0; t < 9; ++t) k[t][r] = wc[p.w_taps[t]];
        }
        T t[4][3][MR];  // G·g: over ky
        for (std::int64_t kx = 0; kx < 3; ++kx) {
          for (std::int64_t r = 0; r < MR; ++r) {
            const T g0 = k[kx][r], g1 = k[3 + kx][r], g2 = k[6 + kx][r];
            t[0][kx][r] = g0;
            t[1][kx][r] = T(0.5) * (g0 + g1 + g2);
            t[2][kx][r] = T(0.5) * (g0 - g1 + g2);
            t[3][kx][r] = g2;
          }
        }
        for (std::int64_t i = 0; i < 4; ++i) {  // ·Gᵀ: over kx
          T out[4][MR];
          for (std::int64_t r = 0; r < MR; ++r) {
            out[0][r] = t[i][0][r];
            out[1][r] = T(0.5) * (t[i][0][r] + t[i][1][r] + t[i][2][r]);
            out[2][r] = T(0.5) * (t[i][0][r] - t[i][1][r] + t[i][2][r]);
            out[3][r] = t[i][2][r];
          }
          for (std::int64_t j = 0; j < 4; ++j) {
            std::copy_n(out[j], MR, u + (g * kPoints + 4 * i + j) * u_point + (ip * p.Ci + ci) * MR);
          }
        }
      }
    }
  });
}

// The largest |input| of a tile whose outputs Winograd computes: with |w| <= w_max, V = Bᵀ·d·B
// is at most 4·|d|, U at most 2.25·w_max, M a sum of Ci·… products, and Y = Aᵀ·M·A at most
// 81·Ci·w_max·|d| — kept a factor 4 below the largest finite value, so no transform overflows
// where the direct sum would not. Tiles past it, or holding Inf or NaN, take the direct sum.
template <typename T>
T SafeInputBound(const DirectConvPlan& p, const T w_max) {
  // w_max at least 1: the bound then also keeps V (4·|d|) and the sums of M finite.
  return std::numeric_limits<T>::max() / (T(324) * static_cast<T>(p.Ci) * std::max(w_max, T(1)));
}

// Output block of tile (ty, tx) of `p` as the direct sum, bias first, then over channels and
// taps in order: the tiles whose input Winograd cannot transform exactly.
template <typename T>
void DirectTile(const DirectConvPlan& p, const T* band, const std::int64_t band_stride, const std::int64_t ty0,
                const std::int64_t ty, const std::int64_t tx, const T* w, const T* bias, const std::int64_t g,
                T* out_group) {
  const std::int64_t Wg = p.grid_w();
  for (std::int64_t o = 0; o < p.Co; ++o) {
    T* plane = out_group + o * p.out_plane + p.out_offset;
    for (std::int64_t r = 0; r < 2 && 2 * ty + r < p.OH; ++r) {
      for (std::int64_t c = 0; c < 2 && 2 * tx + c < p.OW; ++c) {
        T acc = bias != nullptr ? bias[g * p.Co + o] : T(0);
        for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
          const T* taps = w + g * p.w_group + o * p.w_out + ci * p.w_in;
          const T* at = band + ci * band_stride + (2 * (ty - ty0) + r) * Wg + 2 * tx + c;
          for (std::int64_t ky = 0; ky < 3; ++ky) {
            for (std::int64_t kx = 0; kx < 3; ++kx)
              acc += taps[p.w_taps[static_cast<std::size_t>(3 * ky + kx)]] * at[ky * Wg + kx];
          }
        }
        plane[(2 * ty + r) * p.out_row + (2 * tx + c) * p.out_col] = acc;
      }
    }
  }
}

// The tiles [t, t1) of tile rows TW wide as runs along one tile row: fn(ty, tx, count, offset)
// with offset the run's first tile relative to `base`.
template <class RunFn>
HWY_INLINE void ForEachTileRun(const std::int64_t base, const std::int64_t t1, const std::int64_t TW, const RunFn& fn) {
  for (std::int64_t t = base; t < t1;) {
    const std::int64_t ty = t / TW, tx = t % TW, count = std::min(t1 - t, TW - tx);
    fn(ty, tx, count, t - base);
    t += count;
  }
}

// The numbers of one call that every step uses.
struct WinogradCall {
  std::int64_t Ci, Co, G;
  std::int64_t a_panels, Cp;      // U's MR-row panels; output channels padded to them
  std::int64_t NR;                // tiles per block: the GEMMs' columns
  std::int64_t u_point, v_point;  // values between consecutive ξ of U and of V
};

// The bands of one plan's piece of a task's run of tiles: channel 0 at tile row ty0 of its plan.
template <typename T>
struct PieceBand {
  const T* at;
  std::int64_t stride, ty0;
  bool exact;  // every value within the bound: its tiles may take Winograd
};
// A block's tiles [lt0, lt1) of one (image, plan), at column `at` of V and M on.
template <typename T>
struct Piece {
  const DirectConvPlan* p;
  const PieceBand<T>* band;
  std::int64_t n, lt0, lt1, at;
};

// The bands of every piece of tiles [t0, t1) of group g into `bands`, one PieceBand per segment
// the run touches (from `first_segment` on), each checked against the bound once, while in
// cache, rather than in each of the four tiles a value feeds.
template <typename T>
void FillRunBands(const TileList& tiles, const T* src, const std::int64_t g, const std::int64_t t0,
                  const std::int64_t t1, const T bound, T* bands, std::vector<PieceBand<T>>& piece_bands,
                  std::size_t& first_segment) {
  const hn::ScalableTag<T> d;
  piece_bands.clear();
  tiles.ForEachPiece(t0, t1,
                     [&](const std::size_t segment, const DirectConvPlan& p, const std::int64_t n,
                         const std::int64_t lt0, const std::int64_t lt1, std::int64_t) {
                       if (piece_bands.empty()) first_segment = segment;
                       const std::int64_t stride = piece_band(p, lt0, lt1), ty0 = lt0 / tile_cols(p);
                       const std::int64_t len = piece_len(p, lt0, lt1);
                       FillBands(p, src + (n * p.G + g) * p.Ci * p.src_h * p.src_w, stride, 2 * ty0 * p.grid_w(), len,
                                 0, p.Ci, bands);
                       for (std::int64_t ci = 0; ci < p.Ci; ++ci)
                         std::fill(bands + ci * stride + len, bands + (ci + 1) * stride, T(0));
                       piece_bands.push_back({bands, stride, ty0, LargestMagnitude(d, bands, p.Ci * stride) <= bound});
                       bands += p.Ci * stride;
                     });
}

// Runs fn(d) with a tag of 4, 8 or all lanes, the narrowest whose vectors hold a run of `count`
// tiles: a tile row of a 14 × 14 or 7 × 7 map has 7 or 4 tiles, and full vectors would transform
// mostly lanes of no tile.
template <typename T, class Fn>
HWY_INLINE void WithRunTag(const std::int64_t count, const Fn& fn) {
  if (count <= 4) return fn(hn::CappedTag<T, 4>());
  if (count <= 8) return fn(hn::CappedTag<T, 8>());
  fn(hn::ScalableTag<T>());
}

// V = Bᵀ·d·B of `count` tiles along a tile row, from its first tile's 4 input rows `rows` (Wg
// apart) to `dst`, in vectors of Lanes(d) tiles (a vector's overreach lands in columns or rows
// written after it).
template <class D, typename T = hn::TFromD<D>>
HWY_INLINE void TransformInputRun(const D d, const T* rows, const std::int64_t Wg, const std::int64_t count,
                                  const std::int64_t v_point, T* dst) {
  using V = hn::Vec<D>;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  for (std::int64_t t = 0; t < count; t += L) {
    V h[4][4];
    for (std::int64_t i = 0; i < 4; ++i) {
      V e0, o0, e1, o1;  // columns 2t, 2t + 1, 2t + 2, 2t + 3 of tile t
      hn::LoadInterleaved2(d, rows + i * Wg + 2 * t, e0, o0);
      hn::LoadInterleaved2(d, rows + i * Wg + 2 * t + 2, e1, o1);
      h[i][0] = hn::Sub(e0, e1);
      h[i][1] = hn::Add(o0, e1);
      h[i][2] = hn::Sub(e1, o0);
      h[i][3] = hn::Sub(o0, o1);
    }
    for (std::int64_t j = 0; j < 4; ++j) {
      hn::StoreU(hn::Sub(h[0][j], h[2][j]), d, dst + t + (0 + j) * v_point);
      hn::StoreU(hn::Add(h[1][j], h[2][j]), d, dst + t + (4 + j) * v_point);
      hn::StoreU(hn::Sub(h[2][j], h[1][j]), d, dst + t + (8 + j) * v_point);
      hn::StoreU(hn::Sub(h[1][j], h[3][j]), d, dst + t + (12 + j) * v_point);
    }
  }
}

// V = Bᵀ·d·B for a block's tiles, channel by channel, run by run along the tile rows: V[ξ] at
// v + ξ·v_point, channel ci's tiles at ci·NR.
template <typename T>
void TransformInput(const WinogradCall& c, const std::vector<Piece<T>>& pieces, T* v) {
  for (std::int64_t ci = 0; ci < c.Ci; ++ci) {
    for (const Piece<T>& piece : pieces) {
      const DirectConvPlan& p = *piece.p;
      const PieceBand<T>& band = *piece.band;
      const std::int64_t Wg = p.grid_w(), at = piece.at;
      ForEachTileRun(
          piece.lt0, piece.lt1, tile_cols(p),
          [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t count, const std::int64_t run_at) {
            const T* rows = band.at + ci * band.stride + 2 * (ty - band.ty0) * Wg + 2 * tx;
            WithRunTag<T>(count, [&](const auto d) HWY_ATTR {
              TransformInputRun(d, rows, Wg, count, c.v_point, v + ci * c.NR + at + run_at);
            });
          });
    }
  }
}

// M[ξ] = U[ξ] · V[ξ] of group g: Cp × NR at m + ξ·Cp·NR, the reduction over the input channels.
template <typename T>
void MultiplyPoints(const WinogradCall& c, const T* u, const T* v, const std::int64_t g, T* m) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  for (std::int64_t xi = 0; xi < kPoints; ++xi) {
    for (std::int64_t ip = 0; ip < c.a_panels; ++ip) {
      MicroKernelOf(static_cast<std::size_t>(c.Ci), PackedA<T>{u + (g * kPoints + xi) * c.u_point + ip * c.Ci * MR},
                    PackedB<T>{v + xi * c.v_point}, m + (xi * c.Cp + ip * MR) * c.NR, static_cast<std::size_t>(c.NR),
                    false);
    }
  }
}

// Y = Aᵀ·M·A + bias of `count` tiles along tile row ty from tile tx, their M at `m` (ξ at
// multiples of `point`), stored as their 2×2 output blocks in `plane` (cut at odd output edges).
template <class D, typename T = hn::TFromD<D>>
HWY_INLINE void TransformOutputRun(const D d, const DirectConvPlan& p, const T* m, const std::int64_t point,
                                   const hn::Vec<D> bias, const std::int64_t ty, const std::int64_t tx,
                                   const std::int64_t count, T* plane) {
  using V = hn::Vec<D>;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  for (std::int64_t t = 0; t < count; t += L) {
    V s[4][2];
    for (std::int64_t i = 0; i < 4; ++i) {
      const T* mi = m + 4 * i * point + t;
      const V m0 = hn::LoadU(d, mi), m1 = hn::LoadU(d, mi + point);
      const V m2 = hn::LoadU(d, mi + 2 * point), m3 = hn::LoadU(d, mi + 3 * point);
      s[i][0] = hn::Add(hn::Add(m0, m1), m2);
      s[i][1] = hn::Sub(hn::Sub(m1, m2), m3);
    }
    const std::int64_t x0 = 2 * (tx + t), cols = std::min(2 * std::min(L, count - t), p.OW - x0);
    for (std::int64_t r = 0; r < 2 && 2 * ty + r < p.OH; ++r) {
      V y[2];
      for (std::int64_t j = 0; j < 2; ++j) {
        y[j] = r == 0 ? hn::Add(hn::Add(hn::Add(s[0][j], s[1][j]), s[2][j]), bias)
                      : hn::Add(hn::Sub(hn::Sub(s[1][j], s[2][j]), s[3][j]), bias);
      }
      T* dst = plane + (2 * ty + r) * p.out_row + x0 * p.out_col;
      if (cols == 2 * L && p.out_col == 1) {
        hn::StoreInterleaved2(y[0], y[1], d, dst);
        continue;
      }
      HWY_ALIGN T tmp[2 * hn::MaxLanes(d)];
      hn::StoreInterleaved2(y[0], y[1], d, tmp);
      if (p.out_col == 1) {  // a row's last columns: two masked stores
        StoreTail(hn::Load(d, tmp), d, dst, static_cast<std::size_t>(std::min(cols, L)));
        if (cols > L) StoreTail(hn::Load(d, tmp + L), d, dst + L, static_cast<std::size_t>(cols - L));
      } else {
        for (std::int64_t k = 0; k < cols; ++k) dst[k * p.out_col] = tmp[k];
      }
    }
  }
}

// Y = Aᵀ·M·A + bias, stored as the block's tiles' 2×2 output blocks, run by run along the tile rows.
template <typename T>
void TransformOutput(const WinogradCall& c, const std::vector<Piece<T>>& pieces, const T* m, const T* bias,
                     const std::int64_t g, T* out) {
  const std::int64_t point = c.Cp * c.NR;
  for (std::int64_t o = 0; o < c.Co; ++o) {
    const T b = bias != nullptr ? bias[g * c.Co + o] : T(0);
    for (const Piece<T>& piece : pieces) {
      const DirectConvPlan& p = *piece.p;
      T* plane = out + ((piece.n * p.G + g) * p.Co + o) * p.out_plane + p.out_offset;
      ForEachTileRun(
          piece.lt0, piece.lt1, tile_cols(p),
          [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t count, const std::int64_t run_at) {
            WithRunTag<T>(count, [&](const auto d) HWY_ATTR {
              TransformOutputRun(d, p, m + o * c.NR + piece.at + run_at, point, hn::Set(d, b), ty, tx, count, plane);
            });
          });
    }
  }
}

// Returns false, having written nothing, where a weight is not finite (see winograd_conv.h).
template <typename T>
bool WinogradConvT(const std::vector<DirectConvPlan>& plans, const T* src, const T* w, const T* bias, T* out) {
  const hn::ScalableTag<T> d;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  HWY_DASSERT(!plans.empty());
  const DirectConvPlan& p0 = plans.front();  // the plans differ only in their planes' geometry
  // winograd_plans' conditions: 3×3 taps on an undilated phase grid, a plain output plane.
  HWY_DASSERT(p0.kH == 3 && p0.kW == 3 && p0.sH == p0.dH && p0.sW == p0.dW && p0.Ci > 0 && p0.Co > 0);
  WinogradCall c{p0.Ci, p0.Co, p0.G, (p0.Co + MR - 1) / MR, 0, static_cast<std::int64_t>(GemmNR<T>()), 0, 0};
  c.Cp = c.a_panels * MR;
  c.v_point = (c.Ci * c.NR + L + 15) / 16 * 16;
  c.u_point = c.a_panels * c.Ci * MR + 16;
  const TileList tiles(plans);
  // A task: a run of tiles of one group. Several blocks share their bands' overlapping rows where
  // there are blocks enough to keep both cores busy; else one block each, for balance.
  const std::int64_t blocks = (tiles.total() + c.NR - 1) / c.NR;
  const std::int64_t run = (blocks >= kManyBlocks ? kTileBlocks : 1) * c.NR, runs = (tiles.total() + run - 1) / run;

  const PackBuffer<T> u(static_cast<std::size_t>(c.G * kPoints * c.u_point));
  // The plans read every weight of the convolution (its 3×3 taps, forward or flipped).
  const T w_max = LargestMagnitude(d, w, c.G * c.Co * c.Ci * 9);
  if (!(w_max <= std::numeric_limits<T>::max())) return false;
  TransformWeights(p0, w, c.a_panels, c.u_point, u.get());
  const T bound = SafeInputBound(p0, w_max);

  parallel_for(c.G * runs, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* v = scratch<T, 4>(static_cast<std::size_t>(kPoints * c.v_point));
    T* m = scratch<T, 5>(static_cast<std::size_t>(kPoints * c.Cp * c.NR + L));
    std::vector<PieceBand<T>> piece_bands;  // per segment the run touches
    std::vector<Piece<T>> pieces;           // the block's tiles, per segment
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / runs, t0 = id % runs * run, t1 = std::min(tiles.total(), t0 + run);
      T* bands = scratch<T, 3>(static_cast<std::size_t>(c.Ci * tiles.band(t0, t1)));
      std::size_t first_segment = 0;
      FillRunBands(tiles, src, g, t0, t1, bound, bands, piece_bands, first_segment);
      // The run's tiles in blocks of NR, each through all three steps while its V and M stay in
      // L2 (sharing U panels between blocks spills V and M to L3).
      for (std::int64_t b0 = t0; b0 < t1; b0 += c.NR) {
        pieces.clear();
        tiles.ForEachPiece(b0, std::min(t1, b0 + c.NR),
                           [&](const std::size_t segment, const DirectConvPlan& p, const std::int64_t n,
                               const std::int64_t lt0, const std::int64_t lt1, const std::int64_t at) {
                             pieces.push_back({&p, &piece_bands[segment - first_segment], n, lt0, lt1, at});
                           });
        TransformInput(c, pieces, v);
        MultiplyPoints(c, u.get(), v, g, m);
        TransformOutput(c, pieces, m, bias, g, out);
        // Bands holding non-finite or huge inputs: their tiles' blocks are overwritten by the direct sum.
        for (const Piece<T>& piece : pieces) {
          if (piece.band->exact) continue;
          const DirectConvPlan& p = *piece.p;
          for (std::int64_t lt = piece.lt0; lt < piece.lt1; ++lt) {
            DirectTile(p, piece.band->at, piece.band->stride, piece.band->ty0, lt / tile_cols(p), lt % tile_cols(p), w,
                       bias, g, out + (piece.n * p.G + g) * p.Co * p.out_plane);
          }
        }
      }
    }
  });
  return true;
}

bool WinogradConvF32(const std::vector<DirectConvPlan>& plans, const float* src, const float* w, const float* bias,
                     float* out) {
  return WinogradConvT(plans, src, w, bias, out);
}
bool WinogradConvF64(const std::vector<DirectConvPlan>& plans, const double* src, const double* w, const double* bias,
                     double* out) {
  return WinogradConvT(plans, src, w, bias, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(WinogradConvF32);
HWY_EXPORT(WinogradConvF64);

bool winograd_conv(const std::vector<DirectConvPlan>& plans, const float* src, const float* w, const float* bias,
                   float* out) {
  return HWY_DYNAMIC_DISPATCH(WinogradConvF32)(plans, src, w, bias, out);
}
bool winograd_conv(const std::vector<DirectConvPlan>& plans, const double* src, const double* w, const double* bias,
                   double* out) {
  return HWY_DYNAMIC_DISPATCH(WinogradConvF64)(plans, src, w, bias, out);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
