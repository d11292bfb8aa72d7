// SPDX-License-Identifier: Apache-2.0
// Winograd F(m×m, 3×3), m = 2 or 4 (see winograd_conv.h). A task takes a run of tiles of one
// (image, group): it fills the bands of the virtual rows they read (band-inl.h, every padding
// mode), then per NR tiles runs the three steps: V = Bᵀ·d·B (vectors over a tile row's tiles: a
// tile's (m + 2)-wide block is columns m·t … m·t + m + 1, deinterleaved loads per row), the
// (m + 2)² GEMMs M[ξ] = U[ξ] · V[ξ] on the micro-kernel, and Y = Aᵀ·M·A into the tiles' m×m
// output blocks. Both transforms take a tile row's run in vectors of 4, 8 or all lanes, the
// narrowest that holds it.
#include "atrous/tensor/conv/winograd_conv.h"

#include <algorithm>
#include <limits>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/winograd_conv.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/conv/winograd_input-inl.h"
#include "atrous/tensor/conv/winograd_tiles.h"
#include "atrous/tensor/conv/winograd_transforms-inl.h"
#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/ops/magnitude-inl.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/profile.h"
#include "atrous/tensor/simd/tail-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using winograd::kManyBlocks;
using winograd::kTileBlocks;
using winograd::TileList;

// U = G·g·Gᵀ for every (group, output channel, input channel), in micro-kernel A panels: panel
// (g, ξ, ip) holds U[ξ] of output channels ip·MR … ip·MR + MR − 1 at [ci·MR + r], zero past Co,
// at u + (g·P + ξ)·u_point + ip·Ci·MR with P = (m + 2)² points. u_point is padded off a multiple
// of 4 KiB: the points written together would otherwise share one L1 set and evict each other on
// every store.
template <int M, typename T>
void TransformWeights(const DirectConvPlan& p, const T* w, const std::int64_t a_panels, const std::int64_t u_point,
                      T* u) {
  constexpr auto MR = static_cast<std::int64_t>(kGemmMR);
  constexpr std::int64_t A = M + 2, P = A * A;
  const double(*G)[3] = M == 2 ? winograd::kG2 : winograd::kG4;
  parallel_for(p.G * a_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / a_panels, ip = id % a_panels, rows = std::min(MR, p.Co - ip * MR);
      for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
        double k[9][MR] = {};  // the MR output channels' taps, zero past Co
        for (std::int64_t r = 0; r < rows; ++r) {
          const T* wc = w + g * p.w_group + (ip * MR + r) * p.w_out + ci * p.w_in;
          for (std::size_t t = 0; t < 9; ++t) k[t][r] = static_cast<double>(wc[p.w_taps[t]]);
        }
        double t[A][3][MR];  // G·g: over ky
        for (std::int64_t i = 0; i < A; ++i) {
          for (std::int64_t kx = 0; kx < 3; ++kx) {
            for (std::int64_t r = 0; r < MR; ++r)
              t[i][kx][r] = G[i][0] * k[kx][r] + G[i][1] * k[3 + kx][r] + G[i][2] * k[6 + kx][r];
          }
        }
        for (std::int64_t i = 0; i < A; ++i) {  // ·Gᵀ: over kx
          for (std::int64_t j = 0; j < A; ++j) {
            T* dst = u + (g * P + A * i + j) * u_point + (ip * p.Ci + ci) * MR;
            for (std::int64_t r = 0; r < MR; ++r)
              dst[r] = static_cast<T>(G[j][0] * t[i][0][r] + G[j][1] * t[i][1][r] + G[j][2] * t[i][2][r]);
          }
        }
      }
    }
  });
}

// The largest |input| of a tile whose outputs Winograd computes: with |w| <= w_max, an output's
// transforms stay within kGrowth·Ci·w_max·|d| — kept a factor 4 below the largest finite value,
// so no transform overflows where the direct sum would not. Tiles past it, or holding Inf or NaN,
// take the direct sum.
template <int M, typename T>
T SafeInputBound(const DirectConvPlan& p, const T w_max) {
  constexpr double growth = M == 2 ? winograd::kGrowth2 : winograd::kGrowth4;
  // w_max at least 1: the bound then also keeps V and the sums of M finite.
  return std::numeric_limits<T>::max() / (T(4 * growth) * static_cast<T>(p.Ci) * std::max(w_max, T(1)));
}

// Output block of tile (ty, tx) of `p` as the direct sum, bias first, then over channels and
// taps in order: the tiles whose input Winograd cannot transform exactly.
template <typename T>
void DirectTile(const DirectConvPlan& p, const std::int64_t m, const T* band, const std::int64_t band_stride,
                const std::int64_t ty0, const std::int64_t ty, const std::int64_t tx, const T* w, const T* bias,
                const std::int64_t g, T* out_group) {
  const std::int64_t Wg = p.grid_w();
  for (std::int64_t o = 0; o < p.Co; ++o) {
    T* plane = out_group + o * p.out_plane + p.out_offset;
    for (std::int64_t r = 0; r < m && m * ty + r < p.OH; ++r) {
      for (std::int64_t c = 0; c < m && m * tx + c < p.OW; ++c) {
        T acc = bias != nullptr ? bias[g * p.Co + o] : T(0);
        for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
          const T* taps = w + g * p.w_group + o * p.w_out + ci * p.w_in;
          const T* at = band + ci * band_stride + (m * (ty - ty0) + r) * Wg + m * tx + c;
          for (std::int64_t ky = 0; ky < 3; ++ky) {
            for (std::int64_t kx = 0; kx < 3; ++kx)
              acc += taps[p.w_taps[static_cast<std::size_t>(3 * ky + kx)]] * at[ky * Wg + kx];
          }
        }
        plane[(m * ty + r) * p.out_row + (m * tx + c) * p.out_col] = acc;
      }
    }
  }
}

// The numbers of one call that every step uses.
struct WinogradCall {
  std::int64_t Ci, Co, G;
  std::int64_t a_panels, Cp;  // U's MR-row panels; output channels padded to them
  std::int64_t NR;            // tiles per block: the GEMMs' columns
  // Values between consecutive ξ of U, V and M, each off a multiple of 4 KiB: the transforms
  // read or write all (m + 2)² points of a tile together, which would otherwise share one L1 set.
  std::int64_t u_point, v_point, m_point;
};

// M[ξ] = U[ξ] · V[ξ] of group g for the `points` ξ: Cp × NR at m + ξ·m_point, the reduction over
// the input channels.
template <typename T>
void MultiplyPoints(const WinogradCall& c, const std::int64_t points, const T* u, const T* v, const std::int64_t g,
                    T* m) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  for (std::int64_t xi = 0; xi < points; ++xi) {
    for (std::int64_t ip = 0; ip < c.a_panels; ++ip) {
      MicroKernelOf(static_cast<std::size_t>(c.Ci), PackedA<T>{u + (g * points + xi) * c.u_point + ip * c.Ci * MR},
                    PackedB<T>{v + xi * c.v_point}, m + xi * c.m_point + ip * MR * c.NR, static_cast<std::size_t>(c.NR),
                    false);
    }
  }
}

// Y = Aᵀ·M·A + bias of `count` tiles along tile row ty from tile tx, their M at `m` (ξ at
// multiples of `point`), stored as their m×m output blocks in `plane` (cut at the output edges).
template <int M, class D, typename T = hn::TFromD<D>>
HWY_INLINE void TransformOutputRun(const D d, const DirectConvPlan& p, const T* m, const std::int64_t point,
                                   const hn::Vec<D> bias, const std::int64_t ty, const std::int64_t tx,
                                   const std::int64_t count, T* plane) {
  using V = hn::Vec<D>;
  constexpr std::int64_t A = M + 2;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  for (std::int64_t t = 0; t < count; t += L) {
    V s[A][M];  // s[i] = Aᵀ·(row i of M)
    for (std::int64_t i = 0; i < A; ++i) {
      V x[A];
      for (std::int64_t j = 0; j < A; ++j) x[j] = hn::LoadU(d, m + (A * i + j) * point + t);
      OutputCombine<M>(x, s[i]);
    }
    V y[M][M];  // y[r][j]: output row r, column j of each tile
    for (std::int64_t j = 0; j < M; ++j) {
      V column[A], out[M];
      for (std::int64_t i = 0; i < A; ++i) column[i] = s[i][j];
      OutputCombine<M>(column, out);
      for (std::int64_t r = 0; r < M; ++r) y[r][j] = hn::Add(out[r], bias);
    }
    const std::int64_t x0 = M * (tx + t), cols = std::min(M * std::min(L, count - t), p.OW - x0);
    for (std::int64_t r = 0; r < M && M * ty + r < p.OH; ++r) {
      T* dst = plane + (M * ty + r) * p.out_row + x0 * p.out_col;
      if (cols == M * L && p.out_col == 1) {
        StoreTileColumns<M>(d, y[r], dst);
        continue;
      }
      HWY_ALIGN T tmp[M * hn::MaxLanes(d)];
      StoreTileColumns<M>(d, y[r], tmp);
      if (p.out_col == 1) {  // a row's last columns: masked stores
        for (std::int64_t k = 0; k < cols; k += L)
          StoreTail(hn::Load(d, tmp + k), d, dst + k, static_cast<std::size_t>(std::min(L, cols - k)));
      } else {
        for (std::int64_t k = 0; k < cols; ++k) dst[k * p.out_col] = tmp[k];
      }
    }
  }
}

// Y = Aᵀ·M·A + bias, stored as the block's tiles' m×m output blocks, run by run along the tile rows.
template <int M, typename T>
void TransformOutput(const WinogradCall& c, const std::vector<Piece<T>>& pieces, const T* m, const T* bias,
                     const std::int64_t g, T* out) {
  const winograd::Tile tile{M};
  for (std::int64_t o = 0; o < c.Co; ++o) {
    const T b = bias != nullptr ? bias[g * c.Co + o] : T(0);
    for (const Piece<T>& piece : pieces) {
      const DirectConvPlan& p = *piece.p;
      T* plane = out + ((piece.n * p.G + g) * p.Co + o) * p.out_plane + p.out_offset;
      ForEachTileRun(
          piece.lt0, piece.lt1, tile.cols(p),
          [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t count, const std::int64_t run_at) {
            WithRunTag<T>(count, [&](const auto d) HWY_ATTR {
              TransformOutputRun<M>(d, p, m + o * c.NR + piece.at + run_at, c.m_point, hn::Set(d, b), ty, tx, count,
                                    plane);
            });
          });
    }
  }
}

// Returns false, having written nothing, where a weight is not finite or would overflow its
// transform (see winograd_conv.h).
template <int M, typename T>
bool WinogradConvT(const std::vector<DirectConvPlan>& plans, const T* src, const T* w, const T* bias, T* out) {
  const hn::ScalableTag<T> d;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  constexpr std::int64_t P = (M + 2) * (M + 2);
  HWY_DASSERT(!plans.empty());
  const DirectConvPlan& p0 = plans.front();  // the plans differ only in their planes' geometry
  // winograd_plans' conditions: 3×3 taps on an undilated phase grid, a plain output plane.
  HWY_DASSERT(p0.kH == 3 && p0.kW == 3 && p0.sH == p0.dH && p0.sW == p0.dW && p0.Ci > 0 && p0.Co > 0);
  WinogradCall c{p0.Ci, p0.Co, p0.G, (p0.Co + MR - 1) / MR, 0, static_cast<std::int64_t>(GemmNR<T>()), 0, 0, 0};
  c.Cp = c.a_panels * MR;
  c.v_point = (c.Ci * c.NR + L + 15) / 16 * 16;
  c.u_point = c.a_panels * c.Ci * MR + 16;
  c.m_point = c.Cp * c.NR + 16;
  const TileList tiles(plans, winograd::Tile{M});
  // A task: a run of tiles of one group. Several blocks share their bands' overlapping rows where
  // there are blocks enough to keep both cores busy; else one block each, for balance.
  const std::int64_t blocks = (tiles.total() + c.NR - 1) / c.NR;
  const std::int64_t run = (blocks >= kManyBlocks ? kTileBlocks : 1) * c.NR, runs = (tiles.total() + run - 1) / run;

  const PackBuffer<T> u(static_cast<std::size_t>(c.G * P * c.u_point));
  // The plans read every weight of the convolution (its 3×3 taps, forward or flipped).
  const T w_max = LargestMagnitude(d, w, c.G * c.Co * c.Ci * 9);
  // |U| is at most the largest row sum of |G| squared times w_max: 2.25 for F(2×2), 1 for F(4×4).
  // Weights that would overflow it (or are not finite) take the direct sum; rounding a float64 U
  // past T's range to T would be undefined.
  if (!(w_max <= std::numeric_limits<T>::max() / T(M == 2 ? 2.5 : 1))) return false;
  TransformWeights<M>(p0, w, c.a_panels, c.u_point, u.get());
  const T bound = SafeInputBound<M>(p0, w_max);

  parallel_for(c.G * runs, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* v = scratch<T, 4>(static_cast<std::size_t>(P * c.v_point));
    T* m = scratch<T, 5>(static_cast<std::size_t>(P * c.m_point + L));
    std::vector<PieceBand<T>> piece_bands;  // per segment the run touches
    std::vector<Piece<T>> pieces;           // the block's tiles, per segment
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / runs, t0 = id % runs * run, t1 = std::min(tiles.total(), t0 + run);
      T* bands = scratch<T, 3>(static_cast<std::size_t>(c.Ci * tiles.band(t0, t1)));
      // The run's tiles in blocks of NR, each through all three steps while its V and M stay in
      // L2 (sharing U panels between blocks spills V and M to L3).
      ForEachRunBlock(tiles, src, g, t0, t1, c.NR, bands, piece_bands, pieces,
                      [&](const std::vector<Piece<T>>& block, std::int64_t, const std::int64_t used) {
                        TransformInput<M>(c.Ci, c.NR, c.v_point, block, used, v);
                        MultiplyPoints(c, P, u.get(), v, g, m);
                        TransformOutput<M>(c, block, m, bias, g, out);
                        // Bands holding non-finite or huge inputs: their tiles' blocks are
                        // overwritten by the direct sum.
                        for (const Piece<T>& piece : block) {
                          if (piece.band->largest <= bound) continue;
                          const DirectConvPlan& p = *piece.p;
                          const std::int64_t tw = tiles.tile().cols(p);
                          for (std::int64_t lt = piece.lt0; lt < piece.lt1; ++lt) {
                            DirectTile(p, M, piece.band->at, piece.band->stride, piece.band->ty0, lt / tw, lt % tw, w,
                                       bias, g, out + (piece.n * p.G + g) * p.Co * p.out_plane);
                          }
                        }
                      });
    }
  });
  return true;
}

template <typename T>
bool WinogradConvOf(const std::vector<DirectConvPlan>& plans, std::int64_t m, const T* src, const T* w, const T* bias,
                    T* out) {
  if (m == 0) m = winograd::tile_for(plans, static_cast<std::int64_t>(hn::Lanes(hn::ScalableTag<T>()))).m;
  profile::note_path(m == 4 ? "Winograd F(4x4)" : "Winograd F(2x2)");
  return m == 4 ? WinogradConvT<4>(plans, src, w, bias, out) : WinogradConvT<2>(plans, src, w, bias, out);
}

bool WinogradConvF32(const std::vector<DirectConvPlan>& plans, const std::int64_t m, const float* src, const float* w,
                     const float* bias, float* out) {
  return WinogradConvOf(plans, m, src, w, bias, out);
}
bool WinogradConvF64(const std::vector<DirectConvPlan>& plans, const std::int64_t m, const double* src, const double* w,
                     const double* bias, double* out) {
  return WinogradConvOf(plans, m, src, w, bias, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(WinogradConvF32);
HWY_EXPORT(WinogradConvF64);

bool winograd_conv(const std::vector<DirectConvPlan>& plans, const float* src, const float* w, const float* bias,
                   float* out, const std::int64_t tile) {
  return HWY_DYNAMIC_DISPATCH(WinogradConvF32)(plans, tile, src, w, bias, out);
}
bool winograd_conv(const std::vector<DirectConvPlan>& plans, const double* src, const double* w, const double* bias,
                   double* out, const std::int64_t tile) {
  return HWY_DYNAMIC_DISPATCH(WinogradConvF64)(plans, tile, src, w, bias, out);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
