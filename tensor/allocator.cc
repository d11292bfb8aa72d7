// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/allocator.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <list>
#include <map>
#include <mutex>
#include <new>

#include <sys/mman.h>

#include "atrous/tensor/simd/targets.h"

namespace atrous {
namespace {

constexpr std::size_t kAlignment = 64;
// Below this, malloc's own bins are fast and fault-free; from here on blocks are whole mappings,
// cached when freed and unmapped when evicted, so evicting one really gives its pages back.
constexpr std::size_t kCacheMin = std::size_t{1} << 16;
constexpr std::size_t kPage = std::size_t{4} << 10;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
// The cache never holds more than this, so an idle process gives its memory back. Under
// AddressSanitizer nothing is cached and blocks come from malloc, so a use after free or an
// overflow is still caught.
// How far past the most ever in use the footprint (in use + cached) may grow before a miss
// evicts: room for blocks of sizes that are not in use at the peak. ResNet-small's training loop
// settles with 1.25 and page-faults 3x more with 1.1 (bench/README.md, "Tuning constants").
constexpr double kCacheSlack = 1.25;
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMapBlocks = false;
constexpr std::size_t kCacheLimit = 0;
#else
constexpr bool kMapBlocks = true;
constexpr std::size_t kCacheLimit = std::size_t{1} << 31;
#endif

// A block of `size` bytes (a whole number of pages), or null. Blocks of 2 MiB and more start on a
// huge-page boundary and ask for transparent huge pages (Debian's THP mode is madvise), sparing the
// TLB misses of megabyte operands; only a hint. The size is not rounded up to whole huge pages.
void* map_block(const std::size_t size) noexcept {
  if (!kMapBlocks) {
    void* p = nullptr;
    return posix_memalign(&p, kAlignment, size) == 0 ? p : nullptr;
  }
  const bool huge = size >= kHugePage;
  const std::size_t span = huge ? size + kHugePage : size;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  if (!huge) return raw;
  const auto begin = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (begin + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > begin) munmap(raw, aligned - begin);
  if (const std::uintptr_t end = begin + span; end > aligned + size) {
    munmap(reinterpret_cast<void*>(aligned + size), end - aligned - size);
  }
  void* p = reinterpret_cast<void*>(aligned);
  static_cast<void>(madvise(p, size, MADV_HUGEPAGE));
  return p;
}

void unmap_block(void* ptr, const std::size_t size) noexcept {
  if (kMapBlocks) {
    munmap(ptr, size);
  } else {
    std::free(ptr);
  }
}

// Freed blocks, oldest first, and the same blocks by size for a best fit.
struct Cache {
  struct Block {
    void* ptr;
    std::size_t size;
  };
  std::mutex mutex;
  std::list<Block> by_age;
  std::multimap<std::size_t, std::list<Block>::iterator> by_size;
  std::size_t bytes = 0;

  void push(void* ptr, const std::size_t size) {
    by_age.push_back({ptr, size});
    by_size.emplace(size, std::prev(by_age.end()));
    bytes += size;
  }
  void erase(const std::multimap<std::size_t, std::list<Block>::iterator>::iterator it) {
    bytes -= it->first;
    by_age.erase(it->second);
    by_size.erase(it);
  }
  // Unmaps the oldest blocks until at least `want` bytes are gone (or none are left). Under the
  // lock: it happens on a miss, which maps and faults a new block anyway.
  void evict_oldest(const std::size_t want) noexcept {
    std::size_t gone = 0;
    while (gone < want && !by_age.empty()) {
      const Block b = by_age.front();
      auto it = by_size.lower_bound(b.size);
      while (it->second != by_age.begin()) ++it;
      erase(it);
      unmap_block(b.ptr, b.size);
      gone += b.size;
    }
  }
};

Cache& cache() {
  static Cache* c = new Cache;  // never destroyed: tensors may be released during static teardown
  return *c;
}

// Bytes in use now, their peak since reset_peak_memory_stats(), and their peak ever.
std::atomic<std::size_t> g_allocated{0}, g_peak_allocated{0}, g_high_water{0};

void raise_to(std::atomic<std::size_t>& peak, const std::size_t now) noexcept {
  std::size_t seen = peak.load(std::memory_order_relaxed);
  while (now > seen && !peak.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
  }
}

thread_local std::uint64_t t_allocated = 0;

void count_allocation(const std::size_t capacity) noexcept {
  t_allocated += capacity;
  const std::size_t now = g_allocated.fetch_add(capacity, std::memory_order_relaxed) + capacity;
  raise_to(g_peak_allocated, now);
  raise_to(g_high_water, now);
}

void* take_block(const std::size_t nbytes, std::size_t& capacity) {
  apply_simd_env();  // every kernel writes to an allocation: the cap is in place before the first
  // aligned_alloc wants a multiple of the alignment; one spare line keeps data() unique for 0.
  capacity = (nbytes / kAlignment + 1) * kAlignment;
  if (capacity < kCacheMin) {
    void* p = nullptr;
    if (posix_memalign(&p, kAlignment, capacity) != 0) throw std::bad_alloc();
    return p;
  }
  capacity = (capacity + kPage - 1) / kPage * kPage;
  {
    Cache& c = cache();
    const std::lock_guard<std::mutex> lock(c.mutex);
    // Reuse the smallest cached block that fits without wasting more than its size again.
    const auto it = c.by_size.lower_bound(capacity);
    if (it != c.by_size.end() && it->first <= 2 * capacity) {
      capacity = it->first;
      void* p = it->second->ptr;
      c.erase(it);
      return p;
    }
    // A miss. The footprint (in use + cached) may reach the most ever in use plus a slack for
    // blocks of other sizes; past that the oldest cached blocks go, sizes an earlier phase of the
    // program asked for (an evaluation's after training, or the reverse). A loop that repeats
    // its requests settles with every request a hit.
    const std::size_t in_use = g_allocated.load(std::memory_order_relaxed);
    const std::size_t peak = std::max(g_high_water.load(std::memory_order_relaxed), in_use + capacity);
    const std::size_t budget = static_cast<std::size_t>(static_cast<double>(peak) * kCacheSlack);
    if (in_use + c.bytes + capacity > budget) c.evict_oldest(in_use + c.bytes + capacity - budget);
  }
  void* p = map_block(capacity);
  if (p == nullptr) {
    empty_cache();
    p = map_block(capacity);
    if (p == nullptr) throw std::bad_alloc();
  }
  return p;
}

}  // namespace

void* allocate(const std::size_t nbytes, std::size_t& capacity) {
  void* p = take_block(nbytes, capacity);
  count_allocation(capacity);
  return p;
}

void release(void* ptr, const std::size_t capacity) noexcept {
  if (ptr == nullptr) return;
  g_allocated.fetch_sub(capacity, std::memory_order_relaxed);
  if (capacity < kCacheMin) return std::free(ptr);
  if (capacity > kCacheLimit) return unmap_block(ptr, capacity);
  Cache& c = cache();
  const std::lock_guard<std::mutex> lock(c.mutex);
  if (c.bytes + capacity > kCacheLimit) c.evict_oldest(c.bytes + capacity - kCacheLimit);
  c.push(ptr, capacity);
}

void empty_cache() noexcept {
  Cache& c = cache();
  const std::lock_guard<std::mutex> lock(c.mutex);
  c.evict_oldest(c.bytes + 1);
}

std::size_t cached_bytes() noexcept {
  Cache& c = cache();
  const std::lock_guard<std::mutex> lock(c.mutex);
  return c.bytes;
}

MemoryStats memory_stats() noexcept {
  return {g_allocated.load(std::memory_order_relaxed), g_peak_allocated.load(std::memory_order_relaxed),
          cached_bytes()};
}

std::uint64_t thread_allocated_bytes() noexcept { return t_allocated; }

void reset_peak_memory_stats() noexcept {
  g_peak_allocated.store(g_allocated.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

}  // namespace atrous
