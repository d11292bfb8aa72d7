// SPDX-License-Identifier: Apache-2.0
// The seed of a randomised test: ATROUS_TEST_SEED if set (to replay a failure), otherwise a
// fresh one. Either way it is printed, so every failure can be replayed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace atrous::test {

inline std::uint64_t test_seed(const char* test_name) {
  std::uint64_t seed = 0;
  if (const char* env = std::getenv("ATROUS_TEST_SEED")) {
    seed = std::strtoull(env, nullptr, 10);
  } else {
    seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  }
  std::printf("%s: seed %llu (replay with ATROUS_TEST_SEED=%llu)\n", test_name, static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  return seed;
}

}  // namespace atrous::test
