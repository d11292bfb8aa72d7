// SPDX-License-Identifier: Apache-2.0
// grad_weight by Winograd F(m×m, 3×3), m = 2 or 4 (see winograd_conv.h). The forward is bilinear
// in weight and input, Y = Aᵀ·[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]·A per tile, so dW = Gᵀ·dU·G with
// dU = Σ over tiles of (A·dY·Aᵀ) ⊙ (Bᵀ·d·B): (m + 2)² GEMMs dU[ξ] += V[ξ] · dMᵀ[ξ] reduced over
// the tiles, 2.25× or 4× fewer multiply-adds than the direct sum. A task takes a fixed range of
// NR-tile blocks of one group: per block, V as the forward computes it (winograd_input-inl.h, input
// channels in the lanes), dM = A·dY·Aᵀ with output channels in the lanes (dY
// transposed first), written straight into micro-kernel B panels (tiles × output channels), and
// the GEMMs into the range's own dU, V's channel rows read in place as A. The ranges' dU are
// added in range order and transformed in float64, rounded once: the ranges come from the shape,
// so the result is bit-identical for any thread count.
#include "atrous/tensor/conv/winograd_conv.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/winograd_weight.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/conv/plane_copy-inl.h"
#include "atrous/tensor/conv/winograd_input-inl.h"
#include "atrous/tensor/conv/winograd_tiles.h"
#include "atrous/tensor/conv/winograd_transforms-inl.h"
#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/ops/magnitude-inl.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/profile.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// largest = max(largest, magnitude), NaN from the first magnitude that is not finite on
// (std::max keeps a NaN first argument).
template <typename T>
HWY_INLINE void KeepLargest(const T magnitude, T& largest) {
  largest =
      magnitude <= std::numeric_limits<T>::max() ? std::max(largest, magnitude) : std::numeric_limits<T>::quiet_NaN();
}

// The numbers of one call that every step uses.
struct WeightCall {
  std::int64_t Ci, Co, G;
  std::int64_t a_panels, Cip;  // dU's rows: input channels in MR-row panels
  std::int64_t c_panels, Cop;  // dU's columns: output channels in NR-column panels
  std::int64_t NR;             // tiles per block
  std::int64_t Cv;             // V's values per tile: input channels in whole vectors
  // Values between consecutive ξ of V and of the B panels, each off a multiple of 4 KiB: a tile's
  // transform writes all (m + 2)² points together, which would otherwise share one L1 set.
  std::int64_t v_point, b_point;
};

// dY of one piece's output rows [y0, y1) for output channels [o0, o0 + count) (count <= L =
// Lanes(d)) of group g, transposed to rows[(y − y0)·OW + x][L] (channels past count zero): one
// in-register transpose per L × L block where the rows are whole lines of a plain plane.
template <class D, typename T = hn::TFromD<D>>
void TransposeGrads(const D d, const DirectConvPlan& p, const T* planes, const std::int64_t count,
                    const std::int64_t y0, const std::int64_t y1, T* rows) {
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const std::int64_t pixels = (y1 - y0) * p.OW;
  if (count < L) std::fill(rows, rows + pixels * L, T(0));
  if (p.out_col == 1 && p.out_row == p.OW) {
    StoreTransposedOf([&](const std::int64_t o) { return planes + o * p.out_plane + y0 * p.out_row; }, count, pixels,
                      rows, L);
    return;
  }
  for (std::int64_t y = y0; y < y1; ++y) {  // a dilated layer's output phase: every dW-th column
    for (std::int64_t x = 0; x < p.OW; ++x) {
      T* dst = rows + ((y - y0) * p.OW + x) * L;
      for (std::int64_t o = 0; o < count; ++o) dst[o] = planes[o * p.out_plane + y * p.out_row + x * p.out_col];
    }
  }
}

// dM = A·dY·Aᵀ of a block's `used` tiles, in vectors of L output channels, straight into the B
// panels: panel (ξ, jp) holds output channels jp·NR … at [tile·NR + o], zero past `used` tiles
// (and past Co, written once per task). Per piece and L channels, dY's rows are transposed first
// (TransposeGrads), so a tile's m×m values are m² loads of L channels each: no deinterleaving,
// no transposed dM. Positions past the output's edges count as zeros.
template <int M, typename T>
void TransformGrads(const WeightCall& c, const std::vector<Piece<T>>& pieces, const std::int64_t used, const T* gy,
                    const std::int64_t g, T* rows, T* panels, T& largest) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  constexpr std::int64_t A = M + 2;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const winograd::Tile tile{M};
  for (std::int64_t o0 = 0; o0 < c.Co; o0 += L) {
    T* at = panels + o0 / c.NR * c.NR * c.NR + o0 % c.NR;
    for (const Piece<T>& piece : pieces) {
      const DirectConvPlan& p = *piece.p;
      const std::int64_t tw = tile.cols(p), ty0 = piece.lt0 / tw;
      const std::int64_t y0 = M * ty0, y1 = std::min(p.OH, M * ((piece.lt1 - 1) / tw) + M);
      TransposeGrads(d, p, gy + ((piece.n * p.G + g) * p.Co + o0) * p.out_plane + p.out_offset, std::min(L, c.Co - o0),
                     y0, y1, rows);
      KeepLargest(LargestMagnitude(d, rows, (y1 - y0) * p.OW * L), largest);
      for (std::int64_t lt = piece.lt0; lt < piece.lt1; ++lt) {
        const std::int64_t ty = lt / tw, tx = lt % tw;
        V h[M][A];  // h[r] = A·(row r of the tile)
        for (std::int64_t r = 0; r < M; ++r) {
          const std::int64_t y = M * ty + r;
          V x[M];
          for (std::int64_t j = 0; j < M; ++j) {
            const std::int64_t col = M * tx + j;
            x[j] = y < p.OH && col < p.OW ? hn::LoadU(d, rows + ((y - y0) * p.OW + col) * L) : hn::Zero(d);
          }
          GradCombine<M>(x, h[r]);
        }
        CombineColumns(
            d, h, [](const V* x, V* out) HWY_ATTR { GradCombine<M>(x, out); }, at + (piece.at + lt - piece.lt0) * c.NR,
            c.b_point);
      }
    }
  }
  if (used == c.NR) return;
  for (std::int64_t xi = 0; xi < tile.points(); ++xi) {
    for (std::int64_t jp = 0; jp < c.c_panels; ++jp) {
      T* panel = panels + xi * c.b_point + jp * c.NR * c.NR;
      std::fill(panel + used * c.NR, panel + c.NR * c.NR, T(0));
    }
  }
}

// dU[ξ] (+)= V[ξ] · dMᵀ[ξ] over the block's NR tiles, for every ξ: A gathered from V in place
// (`columns`: tile k's channels at k·Cv), B from dM's panels, dU[ξ] at du + ξ·Cip·Cop.
template <typename T>
void MultiplyGradPoints(const WeightCall& c, const std::int64_t points, const T* v, const T* panels,
                        const std::int64_t* columns, const bool accumulate, T* du) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  for (std::int64_t xi = 0; xi < points; ++xi) {
    for (std::int64_t ip = 0; ip < c.a_panels; ++ip) {
      GatheredA<T> a{{}, columns};
      for (std::int64_t r = 0; r < MR; ++r) {  // rows past Ci repeat the last channel, unused
        a.rows[r] = v + xi * c.v_point + std::min(ip * MR + r, c.Ci - 1);
      }
      for (std::int64_t jp = 0; jp < c.c_panels; ++jp) {
        MicroKernelOf(static_cast<std::size_t>(c.NR), a, PackedB<T>{panels + xi * c.b_point + jp * c.NR * c.NR},
                      du + (xi * c.Cip + ip * MR) * c.Cop + jp * c.NR, static_cast<std::size_t>(c.Cop), accumulate);
      }
    }
  }
}

// gw = Gᵀ·(Σ_r dU_r)·G, the ranges' dU added in range order, transformed in float64.
template <int M, typename T>
void FinishWeights(const DirectConvPlan& p0, const WeightCall& c, const T* du, const std::int64_t ranges, T* gw) {
  constexpr std::int64_t A = M + 2, P = A * A;
  const double(*G)[3] = M == 2 ? winograd::kG2 : winograd::kG4;
  const std::int64_t part = c.G * P * c.Cip * c.Cop;
  parallel_for(c.G * c.Ci, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* sum = scratch<T, 6>(static_cast<std::size_t>(P * c.Co));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / c.Ci, ci = id % c.Ci;
      for (std::int64_t xi = 0; xi < P; ++xi) {
        const T* row = du + ((g * P + xi) * c.Cip + ci) * c.Cop;
        T* out = sum + xi * c.Co;
        std::copy(row, row + c.Co, out);
        for (std::int64_t r = 1; r < ranges; ++r) {
          const T* add = row + r * part;
          for (std::int64_t o = 0; o < c.Co; ++o) out[o] += add[o];
        }
      }
      for (std::int64_t o = 0; o < c.Co; ++o) {
        double h[A][3];  // ·G: over the column points
        for (std::int64_t i = 0; i < A; ++i) {
          for (std::int64_t kx = 0; kx < 3; ++kx) {
            double s = 0;
            for (std::int64_t j = 0; j < A; ++j) s += G[j][kx] * static_cast<double>(sum[(A * i + j) * c.Co + o]);
            h[i][kx] = s;
          }
        }
        T* taps = gw + g * p0.w_group + o * p0.w_out + ci * p0.w_in;
        for (std::int64_t ky = 0; ky < 3; ++ky) {  // Gᵀ·: over the row points
          for (std::int64_t kx = 0; kx < 3; ++kx) {
            double s = 0;
            for (std::int64_t i = 0; i < A; ++i) s += G[i][ky] * h[i][kx];
            taps[p0.w_taps[static_cast<std::size_t>(3 * ky + kx)]] = static_cast<T>(s);
          }
        }
      }
    }
  });
}

// Returns false, having written nothing, where an input or dY value is not finite or so large
// that the sums could overflow (see winograd_conv.h).
template <int M, typename T>
bool WinogradWeightT(const std::vector<DirectConvPlan>& plans, const T* src, const T* gy, T* gw) {
  const hn::ScalableTag<T> d;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  constexpr std::int64_t P = (M + 2) * (M + 2);
  HWY_DASSERT(!plans.empty());
  const DirectConvPlan& p0 = plans.front();
  HWY_DASSERT(p0.kH == 3 && p0.kW == 3 && p0.sH == p0.dH && p0.sW == p0.dW && p0.Ci > 0 && p0.Co > 0);
  WeightCall c{};
  c.Ci = p0.Ci;
  c.Co = p0.Co;
  c.G = p0.G;
  c.NR = static_cast<std::int64_t>(GemmNR<T>());
  c.a_panels = (c.Ci + MR - 1) / MR;
  c.Cip = c.a_panels * MR;
  c.c_panels = (c.Co + c.NR - 1) / c.NR;
  c.Cop = c.c_panels * c.NR;
  c.Cv = (c.Ci + L - 1) / L * L;
  c.v_point = c.NR * c.Cv + 16;
  c.b_point = c.c_panels * c.NR * c.NR + 16;
  const std::int64_t rows_values = winograd::block_pixels(plans, winograd::Tile{M}, c.NR) * L;
  const winograd::TileList tiles(plans, winograd::Tile{M});
  const std::int64_t blocks = (tiles.total() + c.NR - 1) / c.NR;
  const std::int64_t part = c.G * P * c.Cip * c.Cop;
  const std::int64_t ranges = winograd::weight_ranges(blocks, part * static_cast<std::int64_t>(sizeof(T)));
  const std::int64_t run = winograd::kTileBlocks * c.NR;
  const PackBuffer<T> du(static_cast<std::size_t>(ranges * part));
  std::vector<T> largest_input(static_cast<std::size_t>(ranges * c.G), T(0));
  std::vector<T> largest_grad(static_cast<std::size_t>(ranges * c.G), T(0));

  parallel_for(ranges * c.G, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* v = scratch<T, 4>(static_cast<std::size_t>(P * c.v_point));
    T* rows = scratch<T, 5>(static_cast<std::size_t>(rows_values));
    T* panels = scratch<T, 7>(static_cast<std::size_t>(P * c.b_point));
    std::int64_t* columns = scratch<std::int64_t, 0>(static_cast<std::size_t>(c.NR));
    for (std::int64_t k = 0; k < c.NR; ++k) columns[k] = k * c.Cv;
    // The panels' columns past Co are never written by the transposes.
    if (c.Co < c.Cop) std::fill(panels, panels + P * c.b_point, T(0));
    std::vector<PieceBand<T>> piece_bands;
    std::vector<Piece<T>> pieces;
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t r = id / c.G, g = id % c.G;
      const std::int64_t t_begin = std::min(tiles.total(), blocks * r / ranges * c.NR);
      const std::int64_t t_end = std::min(tiles.total(), blocks * (r + 1) / ranges * c.NR);
      T* acc = du.get() + r * part + g * P * c.Cip * c.Cop;
      if (t_begin == t_end) std::fill(acc, acc + P * c.Cip * c.Cop, T(0));
      T& input_max = largest_input[static_cast<std::size_t>(id)];
      T& grad_max = largest_grad[static_cast<std::size_t>(id)];
      for (std::int64_t t0 = t_begin; t0 < t_end; t0 += run) {
        const std::int64_t t1 = std::min(t_end, t0 + run);
        T* bands = scratch<T, 3>(static_cast<std::size_t>(c.Ci * tiles.band(t0, t1)));
        ForEachRunBlock(tiles, src, g, t0, t1, c.NR, bands, piece_bands, pieces,
                        [&](const std::vector<Piece<T>>& block, const std::int64_t b0, const std::int64_t used) {
                          for (const Piece<T>& piece : block) KeepLargest(piece.band->largest, input_max);
                          TransformInputs<M>({c.Ci, c.Cv, c.v_point}, block, rows, v);
                          // Tiles past `used` meet the panels' zero columns: zeroed, as scratch
                          // may hold anything and 0·NaN is NaN.
                          for (std::int64_t xi = 0; used < c.NR && xi < P; ++xi) {
                            std::fill(v + xi * c.v_point + used * c.Cv, v + xi * c.v_point + c.NR * c.Cv, T(0));
                          }
                          TransformGrads<M>(c, block, used, gy, g, rows, panels, grad_max);
                          MultiplyGradPoints(c, P, v, panels, columns, b0 > t_begin, acc);
                        });
      }
    }
  });
  // Every sum is within kGradGrowth·|d|·|dY| per tile: kept a factor 4 below the largest finite
  // value, the transforms and their sums are exact up to rounding, as the direct sum is.
  double input_max = 0, grad_max = 0;
  for (std::size_t i = 0; i < largest_input.size(); ++i) {
    input_max = std::max(input_max, static_cast<double>(largest_input[i]));
    grad_max = std::max(grad_max, static_cast<double>(largest_grad[i]));
    if (!(largest_input[i] <= std::numeric_limits<T>::max() && largest_grad[i] <= std::numeric_limits<T>::max())) {
      return false;
    }
  }
  const double growth = M == 2 ? winograd::kGradGrowth2 : winograd::kGradGrowth4;
  if (!(input_max * grad_max * growth * static_cast<double>(tiles.total()) <=
        static_cast<double>(std::numeric_limits<T>::max()) / 4)) {
    return false;
  }
  FinishWeights<M>(p0, c, du.get(), ranges, gw);
  return true;
}

template <typename T>
bool WinogradWeightOf(const std::vector<DirectConvPlan>& plans, std::int64_t m, const T* src, const T* gy, T* gw) {
  if (m == 0)
    m = winograd::weight_tile_for(plans, static_cast<std::int64_t>(hn::Lanes(hn::ScalableTag<T>())), sizeof(T)).m;
  if (m == 0) return false;
  profile::note_path(m == 4 ? "Winograd F(4x4)" : "Winograd F(2x2)");
  return m == 4 ? WinogradWeightT<4>(plans, src, gy, gw) : WinogradWeightT<2>(plans, src, gy, gw);
}

bool WinogradWeightF32(const std::vector<DirectConvPlan>& plans, const std::int64_t m, const float* src,
                       const float* gy, float* gw) {
  return WinogradWeightOf(plans, m, src, gy, gw);
}
bool WinogradWeightF64(const std::vector<DirectConvPlan>& plans, const std::int64_t m, const double* src,
                       const double* gy, double* gw) {
  return WinogradWeightOf(plans, m, src, gy, gw);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(WinogradWeightF32);
HWY_EXPORT(WinogradWeightF64);

bool winograd_conv_weight(const std::vector<DirectConvPlan>& plans, const float* src, const float* gy, float* gw,
                          const std::int64_t tile) {
  return HWY_DYNAMIC_DISPATCH(WinogradWeightF32)(plans, tile, src, gy, gw);
}
bool winograd_conv_weight(const std::vector<DirectConvPlan>& plans, const double* src, const double* gy, double* gw,
                          const std::int64_t tile) {
  return HWY_DYNAMIC_DISPATCH(WinogradWeightF64)(plans, tile, src, gy, gw);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
