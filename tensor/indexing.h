// SPDX-License-Identifier: Apache-2.0
// libtorch's tensor indexing: `using namespace atrous::indexing;` then
// t.index({Slice(), 0}), t.index({None, Ellipsis}), t.index_put_({Slice(1, None), 0}, value).
// An integer selects (and drops) a dimension, Slice(start, stop, step) keeps a range of it,
// None inserts a dimension of size 1, and Ellipsis stands for every dimension not named.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace atrous::indexing {

inline constexpr std::nullopt_t None = std::nullopt;

struct EllipsisIndexType {};
inline constexpr EllipsisIndexType Ellipsis;

class Slice {
 public:
  Slice(std::optional<std::int64_t> start = std::nullopt, std::optional<std::int64_t> stop = std::nullopt,
        std::optional<std::int64_t> step = std::nullopt)
      : start_(start), stop_(stop), step_(step) {}
  std::optional<std::int64_t> start() const noexcept { return start_; }
  std::optional<std::int64_t> stop() const noexcept { return stop_; }
  std::optional<std::int64_t> step() const noexcept { return step_; }

 private:
  std::optional<std::int64_t> start_, stop_, step_;
};

class TensorIndex {
 public:
  enum class Kind { Integer, Slice, NewAxis, OtherDims };

  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) TensorIndex(const T i)
      : kind_(Kind::Integer), integer_(static_cast<std::int64_t>(i)) {}    // NOLINT
  TensorIndex(const Slice& s) : kind_(Kind::Slice), slice_(s) {}           // NOLINT
  TensorIndex(std::nullopt_t /*none*/) : kind_(Kind::NewAxis) {}           // NOLINT
  TensorIndex(EllipsisIndexType /*ellipsis*/) : kind_(Kind::OtherDims) {}  // NOLINT
  // "..." is Ellipsis, as in libtorch; any other string is an invalid_argument.
  TensorIndex(const char* text);  // NOLINT

  Kind kind() const noexcept { return kind_; }
  std::int64_t integer() const noexcept { return integer_; }
  const Slice& slice() const noexcept { return slice_; }
  // For messages: "0", "1:None:2", "None", "...".
  std::string str() const;

 private:
  Kind kind_;
  std::int64_t integer_ = 0;
  Slice slice_;
};

}  // namespace atrous::indexing
