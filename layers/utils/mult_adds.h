// SPDX-License-Identifier: Apache-2.0
// Counts the multiply-adds of the convolutions and linear layers run on this thread while a
// MultAddCounter is alive, so summary() can report them for any module, composite ones too.
#pragma once

#include <cstdint>

namespace atrous::utils {

class MultAddCounter {
 public:
  MultAddCounter() noexcept;
  ~MultAddCounter();  // hands its count on to an enclosing counter
  MultAddCounter(const MultAddCounter&) = delete;
  MultAddCounter& operator=(const MultAddCounter&) = delete;

  std::int64_t count() const noexcept { return count_; }

  // Called by the layers that do the arithmetic; costs one thread-local load when nobody counts.
  static void record(std::int64_t mult_adds) noexcept;

 private:
  std::int64_t count_ = 0;
  MultAddCounter* outer_;
};

}  // namespace atrous::utils
