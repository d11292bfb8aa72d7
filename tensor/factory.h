// Creating tensors: constants, ranges and copies of user memory. Random tensors are in random.h.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace atrous {

// A contiguous tensor of `shape` whose values are unspecified (as torch.empty): for outputs
// that will be overwritten. Use zeros() when the values matter.
Tensor empty(const Shape& shape, ScalarType dtype = kFloat32);
Tensor zeros(const Shape& shape, ScalarType dtype = kFloat32);
Tensor ones(const Shape& shape, ScalarType dtype = kFloat32);
Tensor full(const Shape& shape, double value, ScalarType dtype = kFloat32);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, double value);
// A 0-dim tensor holding `value`.
Tensor scalar_tensor(double value, ScalarType dtype = kFloat32);

// 0, 1, ..., end - 1 as int64 (PyTorch's arange(end)).
Tensor arange(std::int64_t end, ScalarType dtype = kInt64);
// start, start + step, ... below end (above, for a negative step): ceil((end - start) / step) values.
Tensor arange(double start, double end, double step = 1.0, ScalarType dtype = kFloat32);

// Copies `ptr[0 .. numel(shape))`, read as `dtype`, into a new tensor.
Tensor from_blob(const void* ptr, const Shape& shape, ScalarType dtype = kFloat32);

// Copies `values` into a tensor of `shape` (a 1-D tensor when shape is empty).
template <typename T>
Tensor from_vector(const std::vector<T>& values, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<std::int64_t>(values.size())};
  check_arg(checked_numel(shape, "from_vector") == static_cast<std::int64_t>(values.size()),
            "from_vector", "shape ", shape_str(shape), " holds ", checked_numel(shape, "from_vector"),
            " elements but the vector has ", values.size());
  return from_blob(values.data(), shape, dtype_of<T>());
}

}  // namespace atrous
