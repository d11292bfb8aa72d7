// SPDX-License-Identifier: Apache-2.0
// Kernel operands surrounded by NaN, as Highway's dot_test.cc surrounds its vectors: a kernel that
// reads an element past its operand carries NaN into its result, and one that writes past its
// output overwrites the guard, which keeps a NaN payload no arithmetic produces.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/tensor.h"

namespace atrous::test {

template <typename T>
class Poisoned {
 public:
  // More than any vector a kernel may overreach by (two AVX-512 vectors, a Winograd band's slack).
  static constexpr std::size_t kGuard = 256;

  // `n` values, all poison until written; gaps inside (row padding) are the caller's to leave so.
  explicit Poisoned(const std::size_t n) : buf_(n + 2 * kGuard, poison()), n_(n) {}
  // The values of `t` (contiguous, dtype T), guarded.
  explicit Poisoned(const Tensor& t) : Poisoned(static_cast<std::size_t>(t.numel())) {
    const Tensor c = native::contiguous(t);
    std::memcpy(data(), c.raw_data(), n_ * sizeof(T));
  }

  T* data() { return buf_.data() + kGuard; }
  const T* data() const { return buf_.data() + kGuard; }
  Tensor tensor(const Shape& shape) const {
    return from_blob(data(), shape, std::is_same_v<T, float> ? kFloat32 : kFloat64);
  }

  // Whether the guards before and after still hold the poison, bit for bit.
  bool guards_intact() const {
    for (std::size_t i = 0; i < kGuard; ++i) {
      if (!is_poison(buf_[i]) || !is_poison(buf_[kGuard + n_ + i])) return false;
    }
    return true;
  }

  // Whether nothing was written inside either.
  bool untouched() const {
    for (std::size_t i = 0; i < n_; ++i) {
      if (!is_poison(data()[i])) return false;
    }
    return guards_intact();
  }

  static T poison() {
    T v;
    if constexpr (sizeof(T) == 4) {
      const std::uint32_t bits = 0x7fc0dead;
      std::memcpy(&v, &bits, sizeof v);
    } else {
      const std::uint64_t bits = 0x7ff800000000deadULL;
      std::memcpy(&v, &bits, sizeof v);
    }
    return v;
  }
  static bool is_poison(const T v) {
    const T p = poison();
    return std::memcmp(&v, &p, sizeof v) == 0;
  }

 private:
  std::vector<T> buf_;
  std::size_t n_;
};

}  // namespace atrous::test
