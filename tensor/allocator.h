// SPDX-License-Identifier: Apache-2.0
// Host memory for tensor storage: 64-byte aligned, with a cache of freed large blocks. Training
// loops allocate the same large activations and gradients every step; handing back a cached
// block avoids the page faults and kernel zeroing of fresh pages, which can cost as much as the
// convolution itself (bench/README.md, "Tuning constants").
#pragma once

#include <cstddef>
#include <cstdint>

namespace atrous {

// At least `nbytes` of 64-byte-aligned memory (never null; throws std::bad_alloc). `capacity`
// receives the block's real size, to be passed back to release().
void* allocate(std::size_t nbytes, std::size_t& capacity);
void release(void* ptr, std::size_t capacity) noexcept;

// Frees every cached block (for tests and memory-tight callers).
void empty_cache() noexcept;
// Bytes currently held in the cache.
std::size_t cached_bytes() noexcept;

// What tensor storage holds, in bytes of whole blocks: handed out and not yet released (and the
// most at any moment since the last reset_peak_memory_stats()), and cached for reuse.
struct MemoryStats {
  std::size_t allocated = 0, peak_allocated = 0, cached = 0;
};
MemoryStats memory_stats() noexcept;
// Bytes of whole blocks this thread has been handed out since it started (never decreases): what
// the profiler charges to an op.
std::uint64_t thread_allocated_bytes() noexcept;
void reset_peak_memory_stats() noexcept;

}  // namespace atrous
