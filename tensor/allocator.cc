// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/allocator.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <new>

#include <sys/mman.h>

#include "atrous/tensor/simd/targets.h"

namespace atrous {
namespace {

constexpr std::size_t kAlignment = 64;
// Below this, malloc's own bins are fast and fault-free; above it glibc maps fresh pages.
constexpr std::size_t kCacheMin = std::size_t{1} << 16;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
// The cache never holds more than this, so an idle process gives its memory back. Under
// AddressSanitizer nothing is cached, so a use after free is still caught.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kCacheLimit = 0;
#else
constexpr std::size_t kCacheLimit = std::size_t{1} << 31;
#endif

struct Cache {
  std::mutex mutex;
  std::multimap<std::size_t, void*> blocks;  // capacity → block
  std::size_t bytes = 0;
};

Cache& cache() {
  static Cache* c = new Cache;  // never destroyed: tensors may be released during static teardown
  return *c;
}

}  // namespace

void* allocate(const std::size_t nbytes, std::size_t& capacity) {
  apply_simd_env();  // every kernel writes to an allocation: the cap is in place before the first
  // aligned_alloc wants a multiple of the alignment; one spare line keeps data() unique for 0.
  capacity = (nbytes / kAlignment + 1) * kAlignment;
  if (capacity >= kCacheMin) {
    Cache& c = cache();
    const std::lock_guard<std::mutex> lock(c.mutex);
    // Reuse the smallest cached block that fits without wasting more than its size again.
    const auto it = c.blocks.lower_bound(capacity);
    if (it != c.blocks.end() && it->first <= 2 * capacity) {
      capacity = it->first;
      void* p = it->second;
      c.bytes -= it->first;
      c.blocks.erase(it);
      return p;
    }
  }
  // Blocks of 2 MiB and more start on a huge-page boundary and ask for transparent huge pages
  // (Debian's THP mode is madvise), sparing the TLB misses of megabyte operands. Only a hint. The size is not rounded
  // up: the tail past the last whole huge page keeps 4 KiB pages rather than committing up to 2 MiB nobody asked for.
  const bool huge = capacity >= kHugePage;
  const std::size_t alignment = huge ? kHugePage : kAlignment;
  void* p = nullptr;
  if (posix_memalign(&p, alignment, capacity) != 0) {
    empty_cache();
    if (posix_memalign(&p, alignment, capacity) != 0) throw std::bad_alloc();
  }
  if (huge) static_cast<void>(madvise(p, capacity, MADV_HUGEPAGE));
  return p;
}

void release(void* ptr, const std::size_t capacity) noexcept {
  if (ptr == nullptr) return;
  if (capacity >= kCacheMin) {
    Cache& c = cache();
    const std::lock_guard<std::mutex> lock(c.mutex);
    if (c.bytes + capacity <= kCacheLimit) {
      c.blocks.emplace(capacity, ptr);
      c.bytes += capacity;
      return;
    }
  }
  std::free(ptr);
}

void empty_cache() noexcept {
  Cache& c = cache();
  const std::lock_guard<std::mutex> lock(c.mutex);
  for (auto& [size, p] : c.blocks) std::free(p);
  c.blocks.clear();
  c.bytes = 0;
}

std::size_t cached_bytes() noexcept {
  Cache& c = cache();
  const std::lock_guard<std::mutex> lock(c.mutex);
  return c.bytes;
}

}  // namespace atrous
