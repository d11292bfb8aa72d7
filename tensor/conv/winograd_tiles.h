// SPDX-License-Identifier: Apache-2.0
// Non-SIMD planning of Winograd F(2×2, 3×3) (see winograd_conv.h): the 2×2 output tiles of one
// or more plans, the bands of virtual rows a run of them reads, and whether Winograd takes a plan.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "atrous/tensor/conv/direct_conv.h"

namespace atrous::native::winograd {

inline constexpr std::int64_t kPoints = 16;      // transform-domain points ξ = 4·i + j per tile
inline constexpr std::int64_t kTileBlocks = 4;   // NR-tile blocks per task where there are many blocks
inline constexpr std::int64_t kManyBlocks = 64;  // … that is, at least this many per group
inline constexpr std::int64_t kMaxNR = 32;       // the widest micro-kernel tile (float32, AVX-512)
// The weight transform writes and reads 16 points per (output, input) channel pair on every call.
// Once they outgrow L2 (kTransformCached bytes) that traffic costs more than the 20 of every 36
// multiply-adds per tile and pair it saves unless a call has kMinTiles tiles: a batch-1 512-channel
// layer on a 7 × 7 map (16 tiles) ran 3× slower as Winograd than direct (bench/README.md,
// "Tuning constants").
inline constexpr std::int64_t kMinTiles = 64;
inline constexpr std::int64_t kTransformCached = std::int64_t{1} << 20;
inline constexpr std::int64_t kBandSlack = 48;  // past a band's rows: the last vectors' overreach (2·L + 4)

inline std::int64_t tile_cols(const DirectConvPlan& p) { return (p.OW + 1) / 2; }
inline std::int64_t tiles_of(const DirectConvPlan& p) { return (p.OH + 1) / 2 * tile_cols(p); }

// Band values per channel that a piece of tiles [t0, t1) of `p` reads: tile rows ty0 … ty1 cover
// virtual rows 2·ty0 … 2·ty1 + 3.
inline std::int64_t piece_len(const DirectConvPlan& p, const std::int64_t t0, const std::int64_t t1) {
  const std::int64_t tw = tile_cols(p);
  return (2 * ((t1 - 1) / tw - t0 / tw) + 4) * p.grid_w();
}
// … and the room they take, with slack for the last vectors' overreach, padded to 16 values.
inline std::int64_t piece_band(const DirectConvPlan& p, const std::int64_t t0, const std::int64_t t1) {
  return (piece_len(p, t0, t1) + kBandSlack + 15) / 16 * 16;
}

// The tiles of every (image, plan) of one group, one after another, so that a block of NR tiles
// (the GEMMs' columns, which are independent) may take tiles from several small output phases
// instead of leaving the last block of each part empty.
class TileList {
 public:
  explicit TileList(const std::vector<DirectConvPlan>& plans);
  std::int64_t total() const { return total_; }

  // fn(segment, p, n, lt0, lt1, at) for each segment's share [lt0, lt1) (in its plan's tile
  // numbers) of tiles [t0, t1); `at` is where the share starts, relative to t0.
  template <class Fn>
  void ForEachPiece(const std::int64_t t0, const std::int64_t t1, const Fn& fn) const {
    auto s = static_cast<std::size_t>(
        std::upper_bound(segments_.begin(), segments_.end(), t0,
                         [](const std::int64_t t, const Segment& seg) { return t < seg.first; }) -
        segments_.begin() - 1);
    for (std::int64_t t = t0; t < t1; ++s) {
      const Segment& seg = segments_[s];
      const DirectConvPlan& p = plans_[seg.plan];
      const std::int64_t end = std::min(t1, seg.first + tiles_of(p));
      fn(s, p, seg.n, t - seg.first, end - seg.first, t - t0);
      t = end;
    }
  }

  // Values of all the bands tiles [t0, t1) read, per channel.
  std::int64_t band(std::int64_t t0, std::int64_t t1) const;

 private:
  struct Segment {
    std::size_t plan;
    std::int64_t n, first;
  };
  const std::vector<DirectConvPlan>& plans_;
  std::vector<Segment> segments_;
  std::int64_t total_ = 0;
};

}  // namespace atrous::native::winograd
