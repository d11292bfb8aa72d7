// SPDX-License-Identifier: Apache-2.0
// Prints get_num_threads() after a parallel loop has started every worker: CTest runs it with
// ATROUS_NUM_THREADS set to check the default, and under an address-space limit that refuses
// most of 1000 threads to check that atrous degrades instead of aborting.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "atrous/tensor/parallel.h"

#include <exception>

int main() {
  try {
    // Chunks that take a while, so that oneTBB wakes every worker it has.
    std::atomic<std::int64_t> sum{0};
    atrous::parallel_for(4096, 1, [&](std::int64_t b, std::int64_t e) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      sum += e - b;
    });
    if (sum != 4096) return 2;
    std::printf("%d\n", atrous::get_num_threads());
  } catch (const std::exception& e) {
    std::printf("error: %s\n", e.what());
    return 1;
  }
  return 0;
}
