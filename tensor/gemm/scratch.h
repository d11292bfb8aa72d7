// Per-thread, 64-byte-aligned scratch buffers for packed panels: allocated once per thread and
// grown on demand, so kernels never allocate in their loops. A buffer is only used within one
// task (never across a nested parallel call), as oneTBB's work isolation requires.
#pragma once

#include <cstddef>

#include "hwy/aligned_allocator.h"

namespace atrous::native {

template <typename T, int kSlot>
T* scratch(const std::size_t n) {
  thread_local hwy::AlignedFreeUniquePtr<T[]> buffer;
  thread_local std::size_t capacity = 0;
  if (n > capacity) {
    buffer = hwy::AllocateAligned<T>(n);
    capacity = n;
  }
  return buffer.get();
}

}  // namespace atrous::native
