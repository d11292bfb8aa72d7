// Sizes and strides: contiguity, overflow-checked element counts, dimension wrapping and
// NumPy broadcasting. Pure arithmetic on shapes; no tensor data here.
#pragma once

#include <cstdint>
#include <vector>

namespace atrous {

using Shape = std::vector<std::int64_t>;

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
