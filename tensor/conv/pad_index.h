// SPDX-License-Identifier: Apache-2.0
// Per-axis index maps for padding: for each coordinate of the padded axis, the source
// coordinate it reads, or -1 for "the constant". Padding is separable, so a 2-D pad reads
// x[map_h[h], map_w[w]]. One definition serves pad, its backward fold, and the conv kernels.
#pragma once

#include <cstdint>
#include <vector>

#include "atrous/tensor/enum.h"

namespace atrous::native {

// Source index of padded coordinate q (0 <= q < n + before + after) on an axis of size n.
// Zeros/Constant: q - before if inside, else -1. Reflect: mirror without repeating the edge.
// Replicate: clamp to the edge. Circular: wrap. Callers validate the pad limits first.
inline std::int64_t pad_source(const PadMode mode, const std::int64_t q, const std::int64_t before,
                               const std::int64_t n) {
  std::int64_t t = q - before;
  if (t >= 0 && t < n) return t;
  switch (mode) {
    case PadMode::Zeros:
    case PadMode::Constant: return -1;
    case PadMode::Reflect: return t < 0 ? -t : 2 * (n - 1) - t;
    case PadMode::Replicate: return t < 0 ? 0 : n - 1;
    case PadMode::Circular: return ((t % n) + n) % n;
  }
  return -1;
}

inline std::vector<std::int64_t> pad_map(const PadMode mode, const std::int64_t n, const std::int64_t before,
                                         const std::int64_t after) {
  const std::int64_t size = n + before + after;
  std::vector<std::int64_t> map(static_cast<std::size_t>(size > 0 ? size : 0));
  for (std::int64_t q = 0; q < size; ++q) map[static_cast<std::size_t>(q)] = pad_source(mode, q, before, n);
  return map;
}

}  // namespace atrous::native
