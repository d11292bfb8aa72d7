// SPDX-License-Identifier: Apache-2.0
// Scalar: one number that remembers whether it is floating, integral or bool, as libtorch's
// c10::Scalar. It is what an untyped item() returns and what fill values and comparisons take,
// so `full({2}, 7)` makes an int64 tensor and `full({2}, 0.5)` a float32 one, as in libtorch.
#pragma once

#include <cstdint>
#include <ostream>
#include <type_traits>

#include "atrous/tensor/dtype.h"

namespace atrous {

class Scalar {
 public:
  enum class Kind : std::uint8_t { Floating, Integral, Bool };

  Scalar() : Scalar(std::int64_t{0}) {}
  template <typename T>
  requires std::is_arithmetic_v<T> Scalar(
      const T v) {  // NOLINT(google-explicit-constructor): numbers convert, as in libtorch
    if constexpr (std::is_same_v<T, bool>) {
      kind_ = Kind::Bool;
      i_ = v ? 1 : 0;
    } else if constexpr (std::is_integral_v<T>) {
      kind_ = Kind::Integral;
      i_ = static_cast<std::int64_t>(v);
    } else {
      kind_ = Kind::Floating;
      d_ = static_cast<double>(v);
    }
  }

  bool isFloatingPoint() const noexcept { return kind_ == Kind::Floating; }
  bool isIntegral(const bool include_bool = false) const noexcept {
    return kind_ == Kind::Integral || (include_bool && kind_ == Kind::Bool);
  }
  bool isBoolean() const noexcept { return kind_ == Kind::Bool; }
  Kind kind() const noexcept { return kind_; }

  template <typename T>
  T to() const {
    return kind_ == Kind::Floating ? convert_value<T>(d_) : convert_value<T>(i_);
  }
  double toDouble() const { return to<double>(); }
  float toFloat() const { return to<float>(); }
  std::int64_t toLong() const { return to<std::int64_t>(); }
  std::int32_t toInt() const { return to<std::int32_t>(); }
  bool toBool() const { return to<bool>(); }

  // The dtype a factory gives this value without an explicit one: float32, int64 or bool.
  ScalarType default_dtype() const noexcept {
    return kind_ == Kind::Floating ? kFloat32 : kind_ == Kind::Integral ? kInt64 : kBool;
  }

 private:
  Kind kind_ = Kind::Integral;
  double d_ = 0.0;
  std::int64_t i_ = 0;
};

inline std::ostream& operator<<(std::ostream& os, const Scalar& s) {
  if (s.isBoolean()) return os << (s.toBool() ? "true" : "false");
  if (s.isIntegral()) return os << s.toLong();
  return os << s.toDouble();
}

}  // namespace atrous
