// SPDX-License-Identifier: Apache-2.0
// How the pooling loops share out their (n, c) planes among threads: shared by max, average and
// adaptive average pooling.
#pragma once

#include <algorithm>
#include <cstdint>

#include "atrous/tensor/parallel.h"

namespace atrous::native {

// Planes per parallel chunk: about 64 Ki window taps' work each. Planes are independent, so any
// split gives the same bits.
inline std::int64_t plane_grain(const std::int64_t work_per_plane) {
  return std::max<std::int64_t>(1, (1 << 16) / std::max<std::int64_t>(1, work_per_plane));
}

// Runs fn(plane) for every (n, c) plane in parallel.
template <typename Fn>
void for_each_plane(const std::int64_t planes, const std::int64_t work_per_plane, const Fn& fn) {
  parallel_for(planes, plane_grain(work_per_plane), [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) fn(i);
  });
}

}  // namespace atrous::native
