// SPDX-License-Identifier: Apache-2.0
// Threads: one oneTBB arena sized by set_num_threads / ATROUS_NUM_THREADS, and loops whose
// chunks are fixed by the problem size, never by the thread count, so results are bit-identical
// for any number of threads.
#pragma once

#include <cstdint>
#include <functional>

namespace atrous {

// Threads used by atrous kernels (default: ATROUS_NUM_THREADS, else all hardware threads), at
// most 1024. Where the system refuses some (an address-space limit, a thread quota), atrous uses
// as many as it grants and says so on stderr, instead of failing later inside oneTBB.
// Not to be called while another thread is running atrous kernels.
void set_num_threads(int num_threads);
int get_num_threads();

// Calls fn(begin, end) for the chunks [0, grain), [grain, 2*grain), ... of [0, n), in parallel
// when there is more than one chunk. Chunk boundaries depend only on n and grain.
void parallel_for(std::int64_t n, std::int64_t grain, const std::function<void(std::int64_t, std::int64_t)>& fn);

// The number of chunks parallel_for makes of [0, n).
constexpr std::int64_t num_chunks(const std::int64_t n, const std::int64_t grain) {
  return n <= 0 ? 0 : (n + grain - 1) / grain;
}

}  // namespace atrous
