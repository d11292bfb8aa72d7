// SPDX-License-Identifier: Apache-2.0
// The input side of a Winograd F(m×m, 3×3) task: the bands of virtual rows a run of tiles reads
// (band-inl.h, every padding mode) and the run cut into blocks of NR tiles, shared by the forward
// (winograd_conv.cc) and grad_weight (winograd_weight.cc); and the forward's V = Bᵀ·d·B of a
// block's tiles (vectors over a tile row's tiles: a tile's (m + 2)-wide block is columns
// m·t … m·t + m + 1, deinterleaved loads per row), in vectors of 4, 8 or all lanes, the narrowest
// that holds a run. grad_weight transforms with channels in the lanes instead.

#if defined(ATROUS_TENSOR_CONV_WINOGRAD_INPUT_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_CONV_WINOGRAD_INPUT_INL_H_
#undef ATROUS_TENSOR_CONV_WINOGRAD_INPUT_INL_H_
#else
#define ATROUS_TENSOR_CONV_WINOGRAD_INPUT_INL_H_
#endif

#include <algorithm>
#include <cstdint>
#include <vector>

#include "atrous/tensor/conv/band-inl.h"
#include "atrous/tensor/conv/winograd_tiles.h"
#include "atrous/tensor/conv/winograd_transforms-inl.h"
#include "atrous/tensor/ops/magnitude-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The tiles [base, t1) of tile rows TW wide as runs along one tile row: fn(ty, tx, count, offset)
// with offset the run's first tile relative to `base`.
template <class RunFn>
HWY_INLINE void ForEachTileRun(const std::int64_t base, const std::int64_t t1, const std::int64_t TW, const RunFn& fn) {
  for (std::int64_t t = base; t < t1;) {
    const std::int64_t ty = t / TW, tx = t % TW, count = std::min(t1 - t, TW - tx);
    fn(ty, tx, count, t - base);
    t += count;
  }
}

// The bands of one plan's piece of a task's run of tiles: channel 0 at tile row ty0 of its plan,
// with the largest magnitude they hold (NaN if one is NaN), found once while in cache rather than
// in each of the tiles a value feeds.
template <typename T>
struct PieceBand {
  const T* at;
  std::int64_t stride, ty0;
  T largest;
};
// A block's tiles [lt0, lt1) of one (image, plan), at column `at` of the block on.
template <typename T>
struct Piece {
  const DirectConvPlan* p;
  const PieceBand<T>* band;
  std::int64_t n, lt0, lt1, at;
};

// The bands of every piece of tiles [t0, t1) of group g into `bands`, one PieceBand per segment
// the run touches (from `first_segment` on).
template <typename T>
void FillRunBands(const winograd::TileList& tiles, const T* src, const std::int64_t g, const std::int64_t t0,
                  const std::int64_t t1, T* bands, std::vector<PieceBand<T>>& piece_bands, std::size_t& first_segment) {
  const hn::ScalableTag<T> d;
  const winograd::Tile tile = tiles.tile();
  piece_bands.clear();
  tiles.ForEachPiece(t0, t1,
                     [&](const std::size_t segment, const DirectConvPlan& p, const std::int64_t n,
                         const std::int64_t lt0, const std::int64_t lt1, std::int64_t) {
                       if (piece_bands.empty()) first_segment = segment;
                       const std::int64_t stride = tile.piece_band(p, lt0, lt1), ty0 = lt0 / tile.cols(p);
                       const std::int64_t len = tile.piece_len(p, lt0, lt1);
                       FillBands(p, src + (n * p.G + g) * p.Ci * p.src_h * p.src_w, stride, tile.m * ty0 * p.grid_w(),
                                 len, 0, p.Ci, bands);
                       for (std::int64_t ci = 0; ci < p.Ci; ++ci)
                         std::fill(bands + ci * stride + len, bands + (ci + 1) * stride, T(0));
                       piece_bands.push_back({bands, stride, ty0, LargestMagnitude(d, bands, p.Ci * stride)});
                       bands += p.Ci * stride;
                     });
}

// A task's run [t0, t1) of group g's tiles: fills the bands it reads, then calls
// fn(pieces, b0, used) for each block of `block` tiles from b0 (`used` of them; the last block
// may hold fewer), its tiles per segment in `pieces`.
template <typename T, class BlockFn>
void ForEachRunBlock(const winograd::TileList& tiles, const T* src, const std::int64_t g, const std::int64_t t0,
                     const std::int64_t t1, const std::int64_t block, T* bands, std::vector<PieceBand<T>>& piece_bands,
                     std::vector<Piece<T>>& pieces, const BlockFn& fn) {
  std::size_t first_segment = 0;
  FillRunBands(tiles, src, g, t0, t1, bands, piece_bands, first_segment);
  for (std::int64_t b0 = t0; b0 < t1; b0 += block) {
    const std::int64_t b1 = std::min(t1, b0 + block);
    pieces.clear();
    tiles.ForEachPiece(b0, b1,
                       [&](const std::size_t segment, const DirectConvPlan& p, const std::int64_t n,
                           const std::int64_t lt0, const std::int64_t lt1, const std::int64_t at) {
                         pieces.push_back({&p, &piece_bands[segment - first_segment], n, lt0, lt1, at});
                       });
    fn(pieces, b0, b1 - b0);
  }
}

// Runs fn(d) with a tag of 4, 8 or all lanes, the narrowest whose vectors hold a run of `count`
// tiles: a tile row of a 14 × 14 or 7 × 7 map has 7 or 4 tiles of F(2×2), and full vectors would
// transform mostly lanes of no tile.
template <typename T, class Fn>
HWY_INLINE void WithRunTag(const std::int64_t count, const Fn& fn) {
  if (count <= 4) return fn(hn::CappedTag<T, 4>());
  if (count <= 8) return fn(hn::CappedTag<T, 8>());
  fn(hn::ScalableTag<T>());
}

// V = Bᵀ·d·B of `count` tiles along a tile row, from its first tile's m + 2 input rows `rows`
// (Wg apart) to `dst`, in vectors of Lanes(d) tiles (a vector's overreach lands in columns or
// rows written after it).
template <int M, class D, typename T = hn::TFromD<D>>
HWY_INLINE void TransformInputRun(const D d, const T* rows, const std::int64_t Wg, const std::int64_t count,
                                  const std::int64_t v_point, T* dst) {
  using V = hn::Vec<D>;
  constexpr std::int64_t A = M + 2;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  for (std::int64_t t = 0; t < count; t += L) {
    V h[A][A];  // h[i] = Bᵀ·(row i of each tile)
    for (std::int64_t i = 0; i < A; ++i) {
      V x[A];
      LoadTileColumns<M>(d, rows + i * Wg + M * t, x);
      InputCombine<M>(x, h[i]);
    }
    for (std::int64_t j = 0; j < A; ++j) {
      V column[A], v[A];
      for (std::int64_t i = 0; i < A; ++i) column[i] = h[i][j];
      InputCombine<M>(column, v);
      for (std::int64_t i = 0; i < A; ++i) hn::StoreU(v[i], d, dst + t + (A * i + j) * v_point);
    }
  }
}

// V = Bᵀ·d·B for a block's `used` tiles, channel by channel, run by run along the tile rows: V[ξ]
// at v + ξ·v_point, channel ci's tiles at ci·width, zero in the `width` − `used` columns past them
// (stale values there made a block's GEMM up to 30× slower — a batch-1 128-channel 7 × 7 layer
// took 20 ms — presumably denormals taking floating-point assists).
template <int M, typename T>
void TransformInput(const std::int64_t Ci, const std::int64_t width, const std::int64_t v_point,
                    const std::vector<Piece<T>>& pieces, const std::int64_t used, T* v) {
  const winograd::Tile tile{M};
  for (std::int64_t ci = 0; ci < Ci; ++ci) {
    for (const Piece<T>& piece : pieces) {
      const DirectConvPlan& p = *piece.p;
      const PieceBand<T>& band = *piece.band;
      const std::int64_t Wg = p.grid_w(), at = piece.at;
      ForEachTileRun(
          piece.lt0, piece.lt1, tile.cols(p),
          [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t count, const std::int64_t run_at) {
            const T* rows = band.at + ci * band.stride + M * (ty - band.ty0) * Wg + M * tx;
            WithRunTag<T>(count, [&](const auto d) HWY_ATTR {
              TransformInputRun<M>(d, rows, Wg, count, v_point, v + ci * width + at + run_at);
            });
          });
    }
  }
  if (used == width) return;
  for (std::int64_t row = 0; row < tile.points() * Ci; ++row) {
    T* line = v + row / Ci * v_point + row % Ci * width;
    std::fill(line + used, line + width, T(0));
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_CONV_WINOGRAD_INPUT_INL_H_
