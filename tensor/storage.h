// SPDX-License-Identifier: Apache-2.0
// A tensor's memory: one 64-byte-aligned buffer shared by every view of it, plus the version
// counter that in-place writes bump so autograd can detect stale saved tensors.
#pragma once

#include <cstddef>
#include <cstdint>

namespace atrous {

class Storage {
 public:
  // `zero_fill` false leaves the contents unspecified (possibly a recycled block's old values):
  // for outputs a kernel overwrites entirely.
  Storage(std::size_t nbytes, bool zero_fill);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() const noexcept { return data_; }
  std::size_t nbytes() const noexcept { return nbytes_; }

  std::uint64_t version() const noexcept { return version_; }
  void bump_version() noexcept { ++version_; }

  static constexpr std::size_t kAlignment = 64;  // a cache line, and an AVX-512 vector

 private:
  std::size_t nbytes_;
  std::size_t capacity_ = 0;
  void* data_;
  std::uint64_t version_ = 0;
};

}  // namespace atrous
