// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/shape.h"

#include <limits>

#include "atrous/tensor/error.h"

namespace atrous {

Shape contiguous_strides(const Shape& sizes) {
  Shape strides(sizes.size());
  std::int64_t s = 1;
  for (std::size_t i = sizes.size(); i-- > 0;) {
    strides[i] = s;
    // Saturates: only an empty tensor (a zero size elsewhere) can have sizes whose product
    // overflows, and its strides are never used to address memory.
    if (__builtin_mul_overflow(s, sizes[i] > 0 ? sizes[i] : 1, &s)) s = std::numeric_limits<std::int64_t>::max();
  }
  return strides;
}

std::int64_t checked_numel(const Shape& sizes, const char* op) {
  std::int64_t n = 1;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    check_arg(sizes[i] >= 0, op, "size ", shape_str(sizes), " has a negative size at dim ", i);
  }
  bool overflow = false;
  for (const std::int64_t s : sizes) {
    if (s == 0) return 0;
    if (n > std::numeric_limits<std::int64_t>::max() / s) overflow = true;
    n *= overflow ? 1 : s;
  }
  check_arg(!overflow, op, "shape ", shape_str(sizes), " has more than 2^63 - 1 elements");
  return n;
}

std::int64_t wrap_dim(const std::int64_t dim, const std::int64_t ndim, const char* op) {
  const std::int64_t n = ndim == 0 ? 1 : ndim;
  check_arg(dim >= -n && dim < n, op, "dim ", dim, " is out of range for a tensor with ", ndim, " dimension",
            ndim == 1 ? "" : "s", " (expected a dim in [", -n, ", ", n - 1, "])");
  return dim < 0 ? dim + n : dim;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const std::size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const std::int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    check_arg(da == db || da == 1 || db == 1, op, "shapes ", shape_str(a), " and ", shape_str(b),
              " cannot be broadcast: dimension ", i, " of the broadcast result would need ", da, " == ", db,
              " or one of them 1");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Shape broadcast_strides(const Shape& sizes, const Shape& strides, const Shape& target) {
  Shape out(target.size(), 0);
  const std::size_t lead = target.size() - sizes.size();
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    out[lead + i] = sizes[i] == 1 ? 0 : strides[i];
  }
  return out;
}

bool is_contiguous(const Shape& sizes, const Shape& strides) {
  std::int64_t expected = 1;
  for (std::size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] == 0) return true;
    if (sizes[i] != 1 && strides[i] != expected) return false;
    expected *= sizes[i];
  }
  return true;
}

}  // namespace atrous
