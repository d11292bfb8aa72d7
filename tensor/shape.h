// SPDX-License-Identifier: Apache-2.0
// Sizes and strides: contiguity, overflow-checked element counts, dimension wrapping and
// NumPy broadcasting. Pure arithmetic on shapes; no tensor data here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace atrous {

using Shape = std::vector<std::int64_t>;

// A read-only view of int64 values for sizes and dims, as libtorch's IntArrayRef: built from a
// Shape, a braced list or one integer, so `randn(3)`, `zeros({2, 3})` and `x.sum(1)` all work.
// It refers to its source, which must outlive it (a braced list lives to the end of the call).
class IntArrayRef {
 public:
  IntArrayRef() = default;
  IntArrayRef(const Shape& v) : data_(v.data()), size_(v.size()) {}  // NOLINT(google-explicit-constructor)
// The braced list's array lives to the end of the full expression, the call it is passed to,
// as with libtorch's ArrayRef; GCC cannot see that (Clang has no such warning, and would warn
// about the unknown group in a user's build).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  IntArrayRef(const std::initializer_list<std::int64_t> v)  // NOLINT(google-explicit-constructor)
      : data_(v.begin()), size_(v.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  IntArrayRef(const std::int64_t& one) : data_(&one), size_(1) {}  // NOLINT(google-explicit-constructor)
  IntArrayRef(const std::int64_t* data, const std::size_t size) : data_(data), size_(size) {}

  const std::int64_t* begin() const noexcept { return data_; }
  const std::int64_t* end() const noexcept { return data_ + size_; }
  const std::int64_t* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::int64_t operator[](const std::size_t i) const noexcept { return data_[i]; }
  Shape vec() const { return Shape(begin(), end()); }
  operator Shape() const { return vec(); }  // NOLINT(google-explicit-constructor)

 private:
  const std::int64_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// Row-major (C order) strides for `sizes`.
Shape contiguous_strides(const Shape& sizes);

// Product of sizes; throws if a size is negative or the product overflows int64.
std::int64_t checked_numel(const Shape& sizes, const char* op);

// Maps dim in [-ndim, ndim) to [0, ndim); `ndim` 0 accepts -1 and 0 (PyTorch's scalar rule).
std::int64_t wrap_dim(std::int64_t dim, std::int64_t ndim, const char* op);

// The broadcast shape of a and b (NumPy rules), or an exception naming both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Strides to read a tensor of (sizes, strides) as if it had shape `target` (0 where broadcast).
Shape broadcast_strides(const Shape& sizes, const Shape& strides, const Shape& target);

bool is_contiguous(const Shape& sizes, const Shape& strides);

}  // namespace atrous
