// SPDX-License-Identifier: Apache-2.0
// Winograd's non-SIMD planning (see winograd_tiles.h and winograd_conv.h).
#include "atrous/tensor/conv/winograd_tiles.h"

#include <algorithm>
#include <utility>

#include "atrous/tensor/conv/winograd_conv.h"

namespace atrous::native {
namespace winograd {
namespace {

// The time of F(2×2) and F(4×4)'s steps, in vector multiply-adds of the micro-kernel: the
// forward's transforms per (tile, point, channel vector), input and output channels alike (their
// band and pixel-row transposes included); its GEMMs per vector of products, over a block's tiles
// in whole MR-row panels and the output channels in whole NR-wide panels; the weight transform per
// point, once per call. Fitted to conv_bench's forward with each tile forced on nine layers (VGG,
// ResNet-small, batch 1, dilated), AVX-512, 2 threads, 2026-12-07 (bench/README.md, "Winograd
// forward with channels in the lanes"): the estimates came within 0.82–1.14 of the times.
constexpr double kPointCosts[2] = {4.8, 15};
constexpr double kWeightPointCost = 2.7;
// grad_weight's estimate, in the same units (vector multiply-adds): its transforms run vectors of
// input or output channels, so they cost per (tile, point, channel vector) — the band and dY
// transposes included; a range's sums cost per value once at the end, and per value and block
// where they outgrow L2 (kPartialCached), as every block's GEMMs then stream them from L3. From
// conv_bench's grad_weight with each tile forced, AVX-512, 2 threads, 2026-12-07 (bench/README.md,
// "Winograd grad_weight"): the estimates of VGG's and ResNet-small's 3×3 layers came within
// 0.8–1.1 of the measured times, taking a GEMM multiply-add as the direct sum's.
constexpr double kChannelTransformCost = 25;
constexpr double kPartialCost = 2.5;
constexpr double kPartialStreamCost = 0.8;
constexpr std::int64_t kPartialCached = std::int64_t{1} << 20;
// grad_weight takes Winograd where its estimate beats the direct sum's multiply-adds by this
// factor, the estimates' spread.
constexpr double kWeightGain = 1.1;
// … and where its ranges give every thread work: two tasks per thread on 2 cores (a
// 256-channel layer's 9.4 MB of sums allow one range, which left a core idle).
constexpr std::int64_t kWeightMinTasks = 4;

}  // namespace

TileList::TileList(const std::vector<DirectConvPlan>& plans, const Tile tile) : plans_(plans), tile_(tile) {
  for (std::int64_t n = 0; n < plans.front().N; ++n) {
    for (std::size_t k = 0; k < plans.size(); ++k) {
      segments_.push_back({k, n, total_});
      total_ += tile.count(plans[k]);
    }
  }
}

namespace {

// A call's tiles, over all its phases and images.
std::int64_t count_tiles(const std::vector<DirectConvPlan>& phases, const Tile tile) {
  std::int64_t tiles = 0;
  for (const DirectConvPlan& p : phases) tiles += p.N * tile.count(p);
  return tiles;
}

// The vectors of `lanes` lanes that the transforms run over a tile's input and output channels.
double channel_vectors(const DirectConvPlan& p, const std::int64_t lanes) {
  return static_cast<double>((p.Ci + lanes - 1) / lanes + (p.Co + lanes - 1) / lanes);
}

// Estimated time of a call in tiles of `tile` (see kPointCosts).
double estimated_cost(const std::vector<DirectConvPlan>& phases, const Tile tile, const std::int64_t lanes) {
  constexpr std::int64_t kMR = 8;     // the micro-kernel's rows on AVX-512 (kGemmMR): tiles per panel
  const std::int64_t nr = 2 * lanes;  // its columns (GemmNR)
  const DirectConvPlan& p0 = phases.front();
  const std::int64_t tiles = count_tiles(phases, tile);
  const auto points = static_cast<double>(tile.points());
  const auto rows = static_cast<double>((tiles + kMR - 1) / kMR * kMR);
  const auto columns = static_cast<double>((p0.Co + nr - 1) / nr * nr);
  const double gemm = points * rows * static_cast<double>(p0.Ci) * columns / static_cast<double>(lanes);
  const double transforms = kPointCosts[tile.m / 4] * static_cast<double>(tiles) * points * channel_vectors(p0, lanes);
  return gemm + transforms + kWeightPointCost * points * static_cast<double>(p0.Ci * p0.Co);
}

}  // namespace

Tile tile_for(const std::vector<DirectConvPlan>& phases, const std::int64_t lanes) {
  return Tile{estimated_cost(phases, Tile{4}, lanes) < estimated_cost(phases, Tile{2}, lanes) ? 4 : 2};
}

Tile weight_tile_for(const std::vector<DirectConvPlan>& phases, const std::int64_t lanes,
                     const std::size_t element_size) {
  const DirectConvPlan& p0 = phases.front();
  const std::int64_t nr = 2 * lanes;  // the micro-kernel's tile width (GemmNR): tiles per block
  double direct = 0;                  // the direct sum's multiply-adds, in vectors
  for (const DirectConvPlan& p : phases) {
    direct +=
        static_cast<double>(p.N * p.OH * p.OW) * static_cast<double>(p.Ci * p.Co * 9) / static_cast<double>(lanes);
  }
  Tile best{0};
  double best_cost = direct / kWeightGain;
  for (const std::int64_t m : {2, 4}) {
    const Tile tile{m};
    const std::int64_t tiles = count_tiles(phases, tile);
    const std::int64_t blocks = (tiles + nr - 1) / nr, part = tile.points() * p0.Ci * p0.Co;
    const std::int64_t part_bytes = part * static_cast<std::int64_t>(element_size);
    const std::int64_t ranges = weight_ranges(blocks, part_bytes);
    if (ranges * p0.G < kWeightMinTasks) continue;
    const auto points = static_cast<double>(tile.points());
    double cost = points * static_cast<double>(p0.Ci * p0.Co * blocks * nr) / static_cast<double>(lanes);
    cost += kChannelTransformCost * static_cast<double>(tiles) * points * channel_vectors(p0, lanes);
    cost += kPartialCost * static_cast<double>(ranges * part);
    if (part_bytes > kPartialCached) cost += kPartialStreamCost * static_cast<double>(blocks * part);
    if (cost < best_cost) {
      best = tile;
      best_cost = cost;
    }
  }
  return best;
}

std::int64_t block_pixels(const std::vector<DirectConvPlan>& plans, const Tile tile, const std::int64_t block) {
  std::int64_t pixels = 0;
  for (const DirectConvPlan& p : plans) {
    const std::int64_t tile_rows = (block - 1) / tile.cols(p) + 2;  // a block starting mid-row
    pixels = std::max({pixels, tile.m * tile_rows * p.OW, tile.piece_pixels(p, tile_rows)});
  }
  return pixels;
}

std::int64_t TileList::band(const std::int64_t t0, const std::int64_t t1) const {
  std::int64_t values = 0;
  ForEachPiece(t0, t1,
               [&](std::size_t, const DirectConvPlan& p, std::int64_t, const std::int64_t lt0, const std::int64_t lt1,
                   std::int64_t) { values += tile_.piece_band(p, lt0, lt1); });
  return values;
}

namespace {

// A dilated plan as dH · dW undilated ones, one per phase (a, b) of its outputs: outputs
// (a + dH·y, b + dW·x) read the virtual plane's rows a + dH·(y + ky) and columns b + dW·(x + kx),
// which is a convolution with stride = dilation = (dH, dW) of the plane shifted by (a, b): one
// phase grid, on which the taps are undilated. An undilated plan is its own only phase.
std::vector<DirectConvPlan> output_phases(const DirectConvPlan& p) {
  if (p.dH == 1 && p.dW == 1) return {p};
  std::vector<DirectConvPlan> phases;
  for (std::int64_t a = 0; a < p.dH; ++a) {
    for (std::int64_t b = 0; b < p.dW; ++b) {
      DirectConvPlan q = p;
      q.OH = (p.OH - a + p.dH - 1) / p.dH;
      q.OW = (p.OW - b + p.dW - 1) / p.dW;
      if (q.OH <= 0 || q.OW <= 0) continue;
      q.map_h.assign(p.map_h.begin() + a, p.map_h.end());
      q.map_w.assign(p.map_w.begin() + b, p.map_w.end());
      q.copy_lo = std::max<std::int64_t>(0, p.copy_lo - b);
      q.copy_hi = std::max(q.copy_lo, p.copy_hi - b);
      q.copy_shift = p.copy_shift - b;
      q.sH = p.dH;
      q.sW = p.dW;
      q.out_offset = p.out_offset + a * p.out_row + b * p.out_col;
      q.out_row = p.dH * p.out_row;
      q.out_col = p.dW * p.out_col;
      phases.push_back(std::move(q));
    }
  }
  return phases;
}

// Per-thread bands of the longest run's rows, V and M (at the widest tile) within a bounded
// workspace.
bool fits(const DirectConvPlan& p, const std::vector<DirectConvPlan>& phases, const std::size_t element_size) {
  const TileList tiles(phases, Tile{4});          // F(4×4)'s wider points and taller bands bound F(2×2)'s
  const std::int64_t run = kTileBlocks * kMaxNR;  // every run of a task lies within one of these
  std::int64_t band = 0;
  for (std::int64_t t0 = 0; t0 < tiles.total(); t0 += run) {
    band = std::max(band, tiles.band(t0, std::min(tiles.total(), t0 + run)));
  }
  const std::int64_t values = p.Ci * band + tiles.tile().points() * (p.Ci + p.Co + 8) * kMaxNR;
  return static_cast<double>(values) * static_cast<double>(element_size) <= double{8 << 20};
}

}  // namespace
}  // namespace winograd

std::vector<DirectConvPlan> winograd_plans(const DirectConvPlan& p, const std::size_t element_size) {
  const bool shape = p.kH == 3 && p.kW == 3 && p.sH == 1 && p.sW == 1 && p.out_col == 1 && p.Ci >= 8 && p.Co >= 8 &&
                     p.OH >= 2 && p.OW >= 2;
  if (!shape) return {};
  std::vector<DirectConvPlan> phases = winograd::output_phases(p);
  // The weight transform of F(2×2, 3×3), the smaller one.
  const double transformed = static_cast<double>(winograd::Tile{2}.points() * p.G * p.Ci * p.Co * element_size);
  if (transformed > winograd::kTransformCached && p.N * p.OH * p.OW < winograd::kMinOutputs) return {};
  if (!winograd::fits(p, phases, element_size)) return {};
  return phases;
}

}  // namespace atrous::native
