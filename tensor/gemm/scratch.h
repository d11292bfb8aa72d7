// SPDX-License-Identifier: Apache-2.0
// Per-thread, 64-byte-aligned scratch buffers for packed panels: allocated once per thread and
// grown on demand, so kernels never allocate in their loops. A buffer is only used within one
// task (never across a nested parallel call), as oneTBB's work isolation requires.
#pragma once

#include <cstddef>
#include <utility>

#include "atrous/tensor/allocator.h"
#include "hwy/aligned_allocator.h"

namespace atrous::native {

// A packed-operand buffer for one kernel call, from the tensor allocator's cache (fresh
// megabyte allocations would page-fault on every call).
template <typename T>
class PackBuffer {
 public:
  explicit PackBuffer(const std::size_t n) : data_(static_cast<T*>(allocate(n * sizeof(T), capacity_))) {}
  ~PackBuffer() { release(data_, capacity_); }
  PackBuffer(const PackBuffer&) = delete;
  PackBuffer& operator=(const PackBuffer&) = delete;
  PackBuffer(PackBuffer&& other) noexcept : capacity_(other.capacity_), data_(std::exchange(other.data_, nullptr)) {}
  PackBuffer& operator=(PackBuffer&&) = delete;
  T* get() const noexcept { return data_; }

 private:
  std::size_t capacity_ = 0;
  T* data_;
};

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
