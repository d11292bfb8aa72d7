// SPDX-License-Identifier: Apache-2.0
// Winograd F(m×m, 3×3), m = 2 or 4 (see winograd_conv.h). A task takes a run of tiles of one
// (image, group): it fills the bands of the virtual rows they read (band-inl.h, every padding
// mode), then per NR tiles runs the three steps, all with channels in the vector lanes: V =
// Bᵀ·d·B (winograd_input-inl.h: the band rows transposed, then plain loads per tile), the
// (m + 2)² GEMMs Mᵀ[ξ] = Vᵀ[ξ] · Uᵀ[ξ] on the micro-kernel (a tile's channels a row of A read in
// place, U packed as B panels of output channels), and Y = Aᵀ·M·A per tile in vectors of output
// channels, stored as pixel rows and transposed into the output planes. Channels in the lanes
// fill every lane whatever the map's width: a 7 × 7 map's tile rows hold 2–4 tiles.
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

// U = G·g·Gᵀ for every (group, output channel, input channel), as micro-kernel B panels: panel
// (g, ξ, jp) holds U[ξ] of output channels jp·NR … jp·NR + NR − 1 at [ci·NR + j], zero past Co,
// at u + (g·P + ξ)·u_point + jp·Ci·NR with P = (m + 2)² points. u_point is padded off a multiple
// of 4 KiB: the points written together would otherwise share one L1 set and evict each other on
// every store.
template <int M, typename T>
void TransformWeights(const DirectConvPlan& p, const T* w, const std::int64_t c_panels, const std::int64_t u_point,
                      T* u) {
  constexpr auto NR = static_cast<std::int64_t>(kGemmNV * HWY_LANES(T));  // GemmNR, as a constant
  constexpr std::int64_t A = M + 2, P = A * A;
  const double(*G)[3] = M == 2 ? winograd::kG2 : winograd::kG4;
  parallel_for(p.G * c_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / c_panels, jp = id % c_panels, cols = std::min(NR, p.Co - jp * NR);
      for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
        double k[9][NR] = {};  // the panel's output channels' taps, zero past Co
        for (std::int64_t j = 0; j < cols; ++j) {
          const T* taps = w + g * p.w_group + (jp * NR + j) * p.w_out + ci * p.w_in;
          for (std::size_t t = 0; t < 9; ++t) k[t][j] = static_cast<double>(taps[p.w_taps[t]]);
        }
        double t[A][3][NR];  // G·g: over ky
        for (std::int64_t i = 0; i < A; ++i) {
          for (std::int64_t kx = 0; kx < 3; ++kx) {
            for (std::int64_t j = 0; j < NR; ++j)
              t[i][kx][j] = G[i][0] * k[kx][j] + G[i][1] * k[3 + kx][j] + G[i][2] * k[6 + kx][j];
          }
        }
        for (std::int64_t i = 0; i < A; ++i) {  // ·Gᵀ: over kx
          for (std::int64_t x = 0; x < A; ++x) {
            T* dst = u + (g * P + A * i + x) * u_point + (jp * p.Ci + ci) * NR;
            for (std::int64_t j = 0; j < NR; ++j)
              dst[j] = static_cast<T>(G[x][0] * t[i][0][j] + G[x][1] * t[i][1][j] + G[x][2] * t[i][2][j]);
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
  std::int64_t c_panels, Cop;  // U's NR-column panels: output channels padded to them
  std::int64_t NR;             // tiles per block
  std::int64_t Cv;             // V's values per tile: input channels in whole vectors
  // Values between consecutive ξ of U, V and M, each off a multiple of 4 KiB: the transforms
  // read or write all (m + 2)² points of a tile together, which would otherwise share one L1 set.
  std::int64_t u_point, v_point, m_point;
};

// Mᵀ[ξ] = Vᵀ[ξ] · Uᵀ[ξ] of group g for the `points` ξ and the block's `used` tiles: tile t's
// output channels at m + ξ·m_point + t·Cop, the reduction over the input channels. A's rows are
// the tiles' channels in V, read in place, MR tiles at a time; rows past `used` repeat the last
// tile and are never read back. A panel of U serves all the block's tiles while it is in L1.
template <typename T>
void MultiplyPoints(const WinogradCall& c, const std::int64_t points, const T* u, const T* v, const std::int64_t used,
                    const std::int64_t g, T* m) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  for (std::int64_t xi = 0; xi < points; ++xi) {
    for (std::int64_t jp = 0; jp < c.c_panels; ++jp) {
      const PackedB<T> b{u + (g * points + xi) * c.u_point + jp * c.Ci * c.NR};
      for (std::int64_t t0 = 0; t0 < used; t0 += MR) {
        RowsA<T> a{};
        for (std::int64_t r = 0; r < MR; ++r) a.rows[r] = v + xi * c.v_point + std::min(t0 + r, used - 1) * c.Cv;
        MicroKernelOf(static_cast<std::size_t>(c.Ci), a, b, m + xi * c.m_point + t0 * c.Cop + jp * c.NR,
                      static_cast<std::size_t>(c.Cop), false);
      }
    }
  }
}

// The tiles [t0, t1) of tile rows TW wide as runs along one tile row: fn(ty, tx, count).
template <class RunFn>
HWY_INLINE void ForEachTileRun(const std::int64_t t0, const std::int64_t t1, const std::int64_t TW, const RunFn& fn) {
  for (std::int64_t t = t0; t < t1;) {
    const std::int64_t ty = t / TW, tx = t % TW, count = std::min(t1 - t, TW - tx);
    fn(ty, tx, count);
    t += count;
  }
}

// The output rows of one piece's tiles for `count` channels, from `rows` (pixel (y, x) of the
// piece at [(y − y0)·OW + x][L]) into their planes at `planes`: row segments that continue one
// another in both (whole rows of a plain plane) are stored as one, each transposed in registers
// (StoreTransposedOf).
template <typename T>
void StorePieceRows(const DirectConvPlan& p, const std::int64_t m, const std::int64_t lt0, const std::int64_t lt1,
                    const T* rows, const std::int64_t L, const std::int64_t count, T* planes) {
  const std::int64_t tw = winograd::Tile{m}.cols(p), y0 = m * (lt0 / tw);
  std::int64_t from = 0, to = 0, n = 0;  // the pending segment: rows' pixel, plane position, length
  const auto flush = [&] {
    if (n == 0) return;
    const T* first = rows + from * L;
    if (p.out_col == 1) {
      StoreTransposedOf([&](const std::int64_t k) { return first + k * L; }, n, count, planes + to, p.out_plane);
    } else {  // a dilated layer's output phase: every dW-th column
      for (std::int64_t o = 0; o < count; ++o) {
        for (std::int64_t k = 0; k < n; ++k) planes[o * p.out_plane + to + k * p.out_col] = first[k * L + o];
      }
    }
  };
  ForEachTileRun(lt0, lt1, tw, [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t run) {
    const std::int64_t x0 = m * tx, cols = std::min(m * run, p.OW - x0);
    for (std::int64_t y = m * ty; y < std::min(p.OH, m * ty + m); ++y) {
      const std::int64_t pixel = (y - y0) * p.OW + x0, at = y * p.out_row + x0 * p.out_col;
      if (p.out_col == 1 && pixel == from + n && at == to + n) {
        n += cols;
        continue;
      }
      flush();
      from = pixel, to = at, n = cols;
    }
  });
  flush();
}

// Y = Aᵀ·M·A + bias of the block's tiles, in vectors of L output channels: per piece, a tile's m×m
// outputs go to `rows` as pixels of L channels (cut at the output edges), then into the planes.
template <int M, typename T>
void TransformOutputs(const WinogradCall& c, const std::vector<Piece<T>>& pieces, const T* m, const T* bias,
                      const std::int64_t g, T* rows, T* out) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  constexpr std::int64_t A = M + 2;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const winograd::Tile tile{M};
  for (std::int64_t o0 = 0; o0 < c.Co; o0 += L) {
    const std::int64_t count = std::min(L, c.Co - o0);
    const V b = bias != nullptr ? LoadTail(d, bias + g * c.Co + o0, static_cast<std::size_t>(count)) : hn::Zero(d);
    for (const Piece<T>& piece : pieces) {
      const DirectConvPlan& p = *piece.p;
      const std::int64_t tw = tile.cols(p), y0 = M * (piece.lt0 / tw);
      for (std::int64_t lt = piece.lt0; lt < piece.lt1; ++lt) {
        const std::int64_t ty = lt / tw, tx = lt % tw;
        const T* at = m + (piece.at + lt - piece.lt0) * c.Cop + o0;
        V s[A][M];  // s[i] = Aᵀ·(row i of M)
        for (std::int64_t i = 0; i < A; ++i) {
          V x[A];
          for (std::int64_t j = 0; j < A; ++j) x[j] = hn::LoadU(d, at + (A * i + j) * c.m_point);
          OutputCombine<M>(x, s[i]);
        }
        for (std::int64_t j = 0; j < M && M * tx + j < p.OW; ++j) {
          V column[A], y[M];
          for (std::int64_t i = 0; i < A; ++i) column[i] = s[i][j];
          OutputCombine<M>(column, y);
          for (std::int64_t r = 0; r < M && M * ty + r < p.OH; ++r) {
            hn::StoreU(hn::Add(y[r], b), d, rows + ((M * ty + r - y0) * p.OW + M * tx + j) * L);
          }
        }
      }
      StorePieceRows(p, M, piece.lt0, piece.lt1, rows, L, count,
                     out + ((piece.n * p.G + g) * p.Co + o0) * p.out_plane + p.out_offset);
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
  WinogradCall c{};
  c.Ci = p0.Ci;
  c.Co = p0.Co;
  c.G = p0.G;
  c.NR = static_cast<std::int64_t>(GemmNR<T>());
  c.c_panels = (c.Co + c.NR - 1) / c.NR;
  c.Cop = c.c_panels * c.NR;
  c.Cv = (c.Ci + L - 1) / L * L;
  c.u_point = c.c_panels * c.Ci * c.NR + 16;
  c.v_point = c.NR * c.Cv + 16;
  c.m_point = (c.NR + MR) * c.Cop + 16;  // a block's tiles in whole MR-row panels
  const std::int64_t rows_values = winograd::block_pixels(plans, winograd::Tile{M}, c.NR) * L;
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
  TransformWeights<M>(p0, w, c.c_panels, c.u_point, u.get());
  const T bound = SafeInputBound<M>(p0, w_max);

  parallel_for(c.G * runs, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* v = scratch<T, 4>(static_cast<std::size_t>(P * c.v_point));
    T* m = scratch<T, 5>(static_cast<std::size_t>(P * c.m_point));
    T* rows = scratch<T, 6>(static_cast<std::size_t>(rows_values));
    std::vector<PieceBand<T>> piece_bands;  // per segment the run touches
    std::vector<Piece<T>> pieces;           // the block's tiles, per segment
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / runs, t0 = id % runs * run, t1 = std::min(tiles.total(), t0 + run);
      T* bands = scratch<T, 3>(static_cast<std::size_t>(c.Ci * tiles.band(t0, t1)));
      // The run's tiles in blocks of NR, each through all three steps while its V and M stay in
      // L2 (sharing U panels between blocks spills V and M to L3).
      ForEachRunBlock(tiles, src, g, t0, t1, c.NR, bands, piece_bands, pieces,
                      [&](const std::vector<Piece<T>>& block, std::int64_t, const std::int64_t used) {
                        TransformInputs<M>({c.Ci, c.Cv, c.v_point}, block, rows, v);
                        MultiplyPoints(c, P, u.get(), v, used, g, m);
                        TransformOutputs<M>(c, block, m, bias, g, rows, out);
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
