// SPDX-License-Identifier: Apache-2.0
// The input side of a Winograd F(m×m, 3×3) task, shared by the forward (winograd_conv.cc) and
// grad_weight (winograd_weight.cc): the bands of virtual rows a run of tiles reads (band-inl.h,
// every padding mode), the run cut into blocks of NR tiles, and V = Bᵀ·d·B of a block's tiles
// with input channels in the vector lanes (the band rows transposed first), each tile's channels
// contiguous: the forward's GEMMs read them as rows of A, grad_weight's as columns.

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
#include "atrous/tensor/conv/plane_copy-inl.h"
#include "atrous/tensor/conv/winograd_tiles.h"
#include "atrous/tensor/conv/winograd_transforms-inl.h"
#include "atrous/tensor/ops/magnitude-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

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

// The second pass of a tile's transform with channels in the lanes: each column j of h (R rows
// of A values) through `combine` to A values, value i stored at dst + (A·i + j)·point.
template <std::int64_t R, std::int64_t A, class D, class Combine>
HWY_INLINE void CombineColumns(const D d, const hn::Vec<D> (&h)[R][A], const Combine& combine, hn::TFromD<D>* dst,
                               const std::int64_t point) {
  for (std::int64_t j = 0; j < A; ++j) {
    hn::Vec<D> column[R], out[A];
    for (std::int64_t r = 0; r < R; ++r) column[r] = h[r][j];
    combine(column, out);
    for (std::int64_t i = 0; i < A; ++i) hn::StoreU(out[i], d, dst + (A * i + j) * point);
  }
}

// Where a block's V lands: V[ξ] at v + ξ·point, tile t's input channels at t·Cv (Ci of them,
// padded to whole vectors).
struct ChannelTiles {
  std::int64_t Ci, Cv, point;
};

// V = Bᵀ·d·B of a block's tiles, in vectors of L input channels: per piece and L channels, the
// band rows its tiles read are transposed to [pixel][L] (channels past Ci zero) in `rows`, so a
// tile's (m + 2)² values are loads of L channels each, with no deinterleaving.
template <int M, typename T>
void TransformInputs(const ChannelTiles& v_at, const std::vector<Piece<T>>& pieces, T* rows, T* v) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  constexpr std::int64_t A = M + 2;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const winograd::Tile tile{M};
  for (std::int64_t c0 = 0; c0 < v_at.Ci; c0 += L) {
    const std::int64_t count = std::min(L, v_at.Ci - c0);
    for (const Piece<T>& piece : pieces) {
      const DirectConvPlan& p = *piece.p;
      const PieceBand<T>& band = *piece.band;
      const std::int64_t Wg = p.grid_w(), tw = tile.cols(p), ty0 = piece.lt0 / tw;
      const std::int64_t pixels = tile.piece_pixels(p, (piece.lt1 - 1) / tw - ty0 + 1);
      const T* first = band.at + c0 * band.stride + M * (ty0 - band.ty0) * Wg;
      if (count < L) std::fill(rows, rows + pixels * L, T(0));
      StoreTransposedOf([&](const std::int64_t ci) { return first + ci * band.stride; }, count, pixels, rows, L);
      for (std::int64_t lt = piece.lt0; lt < piece.lt1; ++lt) {
        const T* at = rows + (M * (lt / tw - ty0) * Wg + M * (lt % tw)) * L;
        V h[A][A];  // h[i] = Bᵀ·(row i of the tile)
        for (std::int64_t i = 0; i < A; ++i) {
          V x[A];
          for (std::int64_t j = 0; j < A; ++j) x[j] = hn::LoadU(d, at + (i * Wg + j) * L);
          InputCombine<M>(x, h[i]);
        }
        CombineColumns(
            d, h, [](const V* x, V* out) HWY_ATTR { InputCombine<M>(x, out); },
            v + (piece.at + lt - piece.lt0) * v_at.Cv + c0, v_at.point);
      }
    }
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_CONV_WINOGRAD_INPUT_INL_H_
