// A tensor's memory: one 64-byte-aligned buffer shared by every view of it, plus the version
// counter that in-place writes bump so autograd can detect stale saved tensors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace atrous {

class Storage {
 public:
  // Zero-filled, so no tensor ever exposes uninitialised memory.
  explicit Storage(std::size_t nbytes);
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() const noexcept { return data_.get(); }
  std::size_t nbytes() const noexcept { return nbytes_; }

  std::uint64_t version() const noexcept { return version_; }
  void bump_version() noexcept { ++version_; }

  static constexpr std::size_t kAlignment = 64;  // a cache line, and an AVX-512 vector

 private:
  struct Free {
    void operator()(void* p) const noexcept;
  };
  std::size_t nbytes_;
  std::unique_ptr<void, Free> data_;
  std::uint64_t version_ = 0;
};

}  // namespace atrous
