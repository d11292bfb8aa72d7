// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/allocator.h"

#include <gtest/gtest.h>

#include <vector>

namespace atrous {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

struct Block {
  void* ptr;
  std::size_t capacity;
};

Block take(const std::size_t nbytes) {
  Block b{nullptr, 0};
  b.ptr = allocate(nbytes, b.capacity);
  return b;
}

void give_back(const Block& b) { release(b.ptr, b.capacity); }

TEST(Allocator, MemoryStatsCountBlocksInUseAndTheirPeak) {
  empty_cache();
  const std::size_t before = memory_stats().allocated;
  reset_peak_memory_stats();
  const Block a = take(3 * kMiB), b = take(kMiB);
  EXPECT_GE(memory_stats().allocated, before + 4 * kMiB);
  give_back(a);
  give_back(b);
  EXPECT_EQ(memory_stats().allocated, before);
  EXPECT_GE(memory_stats().peak_allocated, before + 4 * kMiB);
  reset_peak_memory_stats();
  EXPECT_EQ(memory_stats().peak_allocated, before);
}

TEST(Allocator, EmptyCacheLeavesNothingCached) {
  give_back(take(kMiB));
  empty_cache();
  EXPECT_EQ(cached_bytes(), 0U);
  EXPECT_EQ(memory_stats().cached, 0U);
}

#if !defined(__SANITIZE_ADDRESS__)  // AddressSanitizer builds cache nothing, to catch a use after free

TEST(Allocator, AFreedBlockIsHandedOutAgainForTheSameSize) {
  empty_cache();
  const Block a = take(kMiB);
  give_back(a);
  EXPECT_EQ(cached_bytes(), a.capacity);
  const Block b = take(kMiB);
  EXPECT_EQ(b.ptr, a.ptr);
  EXPECT_EQ(cached_bytes(), 0U);
  give_back(b);
}

TEST(Allocator, AMissKeepsTheFootprintWithinAQuarterOverThePeakInUse) {
  // Eight 8 MiB blocks in use at once (the peak, 64 MiB), then cached; a 32 MiB request fits
  // none of them, so the oldest go until in use plus cached is at most 1.25 x 64 MiB, not 96.
  empty_cache();
  std::vector<Block> small;
  for (int i = 0; i < 8; ++i) small.push_back(take(8 * kMiB));
  for (const Block& b : small) give_back(b);
  ASSERT_GE(cached_bytes(), 64 * kMiB);
  const Block big = take(32 * kMiB);
  EXPECT_LE(cached_bytes() + big.capacity, 80 * kMiB + 64 * 1024);
  EXPECT_GE(cached_bytes(), 40 * kMiB);  // only what the budget needed went
  give_back(big);
  empty_cache();
}

TEST(Allocator, TheOldestCachedBlocksGoFirst) {
  empty_cache();
  const Block first = take(64 * kMiB), second = take(64 * kMiB), third = take(64 * kMiB);  // peak 192 MiB
  give_back(first);
  give_back(second);
  give_back(third);
  // 192 + 96 MiB would pass the 240 MiB budget: the oldest block goes, the other two stay.
  const Block wide = take(96 * kMiB);
  EXPECT_EQ(cached_bytes(), second.capacity + third.capacity);
  const Block a = take(64 * kMiB), b = take(64 * kMiB);
  EXPECT_TRUE((a.ptr == second.ptr && b.ptr == third.ptr) || (a.ptr == third.ptr && b.ptr == second.ptr));
  for (const Block& x : {wide, a, b}) give_back(x);
  empty_cache();
}

#endif

}  // namespace
}  // namespace atrous
