// SPDX-License-Identifier: Apache-2.0
// Non-SIMD planning of Winograd F(m×m, 3×3), m = 2 or 4 (see winograd_conv.h): the tile size a
// call takes, the m×m output tiles of one or more plans, the bands of virtual rows a run of them
// reads, and whether Winograd takes a plan.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "atrous/tensor/conv/direct_conv.h"

namespace atrous::native::winograd {

inline constexpr std::int64_t kTileBlocks = 4;   // NR-tile blocks per task where there are many blocks
inline constexpr std::int64_t kManyBlocks = 64;  // … that is, at least this many per group
inline constexpr std::int64_t kMaxNR = 32;       // the widest micro-kernel tile (float32, AVX-512)
// The weight transform writes and reads (m + 2)² points per (output, input) channel pair on every
// call. Once they outgrow L2 (kTransformCached bytes) that traffic costs more than the
// multiply-adds it saves unless a call has kMinOutputs outputs: a batch-1 512-channel layer on a
// 7 × 7 map (49 outputs) ran 3× slower as Winograd than direct (bench/README.md, "Tuning
// constants").
inline constexpr std::int64_t kMinOutputs = 256;
inline constexpr std::int64_t kTransformCached = std::int64_t{1} << 20;
inline constexpr std::int64_t kBandSlack = 80;  // past a band's rows: the last vectors' overreach (m·L + 4)

// grad_weight's fixed ranges of NR-tile blocks, each with its own (m + 2)² × Ci × Co sums
// (`part_bytes` per range): enough for 2 tasks per thread on up to 8 threads, at least 2 blocks
// per range so its sums are written back over more than one block, and at most
// kWeightPartialBytes of them in all, which the final pass reads once.
inline constexpr std::int64_t kWeightPartialBytes = std::int64_t{16} << 20;
inline std::int64_t weight_ranges(const std::int64_t blocks, const std::int64_t part_bytes) {
  return std::clamp<std::int64_t>(std::min({std::int64_t{16}, blocks / 2, kWeightPartialBytes / part_bytes}), 1, 16);
}

// The output tile of F(m×m, 3×3): m×m outputs from an (m + 2)×(m + 2) block of the virtual plane.
struct Tile {
  std::int64_t m;
  std::int64_t in() const { return m + 2; }
  std::int64_t points() const { return in() * in(); }
  std::int64_t cols(const DirectConvPlan& p) const { return (p.OW + m - 1) / m; }
  std::int64_t count(const DirectConvPlan& p) const { return (p.OH + m - 1) / m * cols(p); }

  // Band values per channel that a piece of tiles [t0, t1) of `p` reads: tile rows ty0 … ty1
  // cover virtual rows m·ty0 … m·ty1 + m + 1.
  std::int64_t piece_len(const DirectConvPlan& p, const std::int64_t t0, const std::int64_t t1) const {
    const std::int64_t tw = cols(p);
    return (m * ((t1 - 1) / tw - t0 / tw) + in()) * p.grid_w();
  }
  // The band positions, from a piece's first line, that its `rows` tile rows read: a row's last
  // tile overhangs the output's right edge when m does not divide OW, and its (m + 2)-wide window
  // then reads up to m·cols + 2 positions into its last line, past that line's end (into the
  // next line, or the band's zeroed slack). Those values reach only outputs past the edge, but
  // grad_weight multiplies them by zeros whose transforms are not exact zeros: they must be the
  // band's own values, not stale memory.
  std::int64_t piece_pixels(const DirectConvPlan& p, const std::int64_t rows) const {
    return (m * (rows - 1) + in() - 1) * p.grid_w() + std::max(p.grid_w(), m * cols(p) + 2);
  }
  // … and the room they take, with slack for the last vectors' overreach, padded to 16 values.
  std::int64_t piece_band(const DirectConvPlan& p, const std::int64_t t0, const std::int64_t t1) const {
    return (piece_len(p, t0, t1) + kBandSlack + 15) / 16 * 16;
  }
};

// The most pixels of one plan that a block of `block` tiles reads (band rows) or writes (output
// rows): the room of those rows transposed, per vector lane.
std::int64_t block_pixels(const std::vector<DirectConvPlan>& plans, Tile tile, std::int64_t block);

// The tile a call takes, for vectors of `lanes` values: F(4×4, 3×3) needs 2.25 multiply-adds
// per output where F(2×2, 3×3) needs 4, but its transforms cost more per tile, and a map whose
// side is not a multiple of 4 leaves more of its tiles' outputs unused. The one whose estimated
// time (transforms per tile, point and channel vector, GEMMs by their products over whole
// micro-kernel panels, the weight transform by its points) is the lower.
Tile tile_for(const std::vector<DirectConvPlan>& phases, std::int64_t lanes);
// The tile grad_weight takes, or Tile{0} where the direct sum is expected faster: the same
// estimate plus the writes and final reads of the ranges' sums (weight_ranges), against the
// direct sum's multiply-adds, and only where the ranges keep the threads busy.
Tile weight_tile_for(const std::vector<DirectConvPlan>& phases, std::int64_t lanes, std::size_t element_size);

// The tiles of every (image, plan) of one group, one after another, so that a block of NR tiles
// (the GEMMs' columns, which are independent) may take tiles from several small output phases
// instead of leaving the last block of each part empty.
class TileList {
 public:
  TileList(const std::vector<DirectConvPlan>& plans, Tile tile);
  std::int64_t total() const { return total_; }
  Tile tile() const { return tile_; }

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
      const std::int64_t end = std::min(t1, seg.first + tile_.count(p));
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
  Tile tile_;
  std::vector<Segment> segments_;
  std::int64_t total_ = 0;
};

}  // namespace atrous::native::winograd
