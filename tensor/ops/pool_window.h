// SPDX-License-Identifier: Apache-2.0
// Where pooling windows fall on the input: the output columns whose every tap lies inside it,
// and the taps of one window that do. Shared by the per-target kernels and the plane loops.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

#include "atrous/tensor/ops/pool.h"

namespace atrous::native {

// Output columns [first, end) whose every tap lies inside [0, W) along the width.
struct ColumnRange {
  std::int64_t first, end;
};
inline ColumnRange interior_columns(const std::int64_t W, const std::int64_t OW, const std::int64_t k,
                                    const std::int64_t s, const std::int64_t pad, const std::int64_t dil) {
  const std::int64_t lo = std::min(OW, pad == 0 ? 0 : (pad - 1) / s + 1);  // ceil(pad / s), for any s
  const std::int64_t last = W - 1 - (k - 1) * dil + pad;                   // ow·s <= last
  const std::int64_t hi = last < 0 ? 0 : std::min(OW, last / s + 1);
  return {lo, std::max(lo, hi)};
}

// Taps [first, end) of a window starting at `start` (spaced `dil`, `k` of them) that land in
// [0, n): computed, not searched, so a kernel of 2^40 taps costs no more than the input it covers.
inline std::pair<std::int64_t, std::int64_t> taps_inside(const std::int64_t start, const std::int64_t k,
                                                         const std::int64_t dil, const std::int64_t n) {
  const std::int64_t first = start >= 0 ? 0 : (-start - 1) / dil + 1;
  const std::int64_t end = start > n - 1 ? 0 : std::min(k, (n - 1 - start) / dil + 1);
  return {first, std::max(first, end)};
}

// One max pooling call: its options (dilation 1 along an axis of one tap), input and output
// planes, and the interior columns the vector kernel takes.
struct MaxPoolPlan {
  PoolParams p;
  std::int64_t H, W, OH, OW;
  ColumnRange interior;
};

}  // namespace atrous::native
