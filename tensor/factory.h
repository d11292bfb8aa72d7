// SPDX-License-Identifier: Apache-2.0
// Creating tensors: constants, ranges and copies of user memory. Random tensors are in random.h.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

#include "atrous/tensor/options.h"
#include "atrous/tensor/scalar.h"
#include "atrous/tensor/tensor.h"

namespace atrous {

// A contiguous tensor of `shape` whose values are unspecified (as torch.empty): for outputs
// that will be overwritten. Use zeros() when the values matter.
Tensor empty(IntArrayRef shape, ScalarType dtype = kFloat32);
Tensor zeros(IntArrayRef shape, ScalarType dtype = kFloat32);
Tensor ones(IntArrayRef shape, ScalarType dtype = kFloat32);
// Without a dtype, the value's kind decides: float32, int64 or bool (libtorch's rule).
Tensor full(IntArrayRef shape, const Scalar& value);
Tensor full(IntArrayRef shape, const Scalar& value, ScalarType dtype);
Tensor empty_like(const Tensor& t);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, const Scalar& value);
// A 0-dim tensor holding `value`.
Tensor scalar_tensor(const Scalar& value, ScalarType dtype = kFloat32);
// The n×m identity (m = n by default).
Tensor eye(std::int64_t n, ScalarType dtype = kFloat32);
Tensor eye(std::int64_t n, std::int64_t m, ScalarType dtype = kFloat32);
// `steps` values from start to end inclusive, computed from both ends as PyTorch does.
Tensor linspace(const Scalar& start, const Scalar& end, std::int64_t steps, ScalarType dtype = kFloat32);

// 0, 1, ..., end - 1; int64 for an integer end, float32 for a floating one, unless dtype is given.
Tensor arange(const Scalar& end);
Tensor arange(const Scalar& end, ScalarType dtype);
// start, start + step, ... below end (above, for a negative step): ceil((end - start) / step)
// values; int64 when all three are integers, else float32, unless dtype is given.
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step = 1);
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, ScalarType dtype);
// The dtype arange gives without one: int64 for three integers, float32 otherwise.
ScalarType arange_dtype(const Scalar& start, const Scalar& end, const Scalar& step);

// Copies `ptr[0 .. numel(shape))`, read as `dtype`, into a new tensor.
Tensor from_blob(const void* ptr, IntArrayRef shape, ScalarType dtype = kFloat32);

// The values of atrous::tensor(...): a number, or braced lists of them nested to any depth,
// or a std::vector. Floating values make a float32 tensor, integers int64 and bools bool.
class TensorData {
 public:
  template <typename T>
  requires std::is_arithmetic_v<T> TensorData(const T v) : scalar_(v) {}  // NOLINT(google-explicit-constructor)
  TensorData(std::initializer_list<TensorData> elements);                 // NOLINT(google-explicit-constructor)
  template <typename T>
  requires std::is_arithmetic_v<T> TensorData(const std::vector<T>& values) {  // NOLINT(google-explicit-constructor)
    elements_.reserve(values.size());
    for (const T v : values) elements_.emplace_back(v);
    is_list_ = true;
  }

  // The shape, checking that nested lists are rectangular; the dtype the values ask for.
  Shape shape() const;
  ScalarType dtype() const;
  // Writes the values in row-major order, converted to `dtype`.
  void fill(Tensor& out) const;

 private:
  void fill_from(Tensor& out, std::int64_t& index) const;
  Scalar scalar_;
  std::vector<TensorData> elements_;
  bool is_list_ = false;
};

Tensor tensor(const TensorData& data);
Tensor tensor(const TensorData& data, ScalarType dtype);

// ---- the same factories with libtorch's TensorOptions (dtype, requires_grad, device); defined
// in autograd/options_factories.cc because requires_grad is autograd state ----
Tensor empty(IntArrayRef shape, const TensorOptions& options);
Tensor zeros(IntArrayRef shape, const TensorOptions& options);
Tensor ones(IntArrayRef shape, const TensorOptions& options);
Tensor full(IntArrayRef shape, const Scalar& value, const TensorOptions& options);
Tensor eye(std::int64_t n, const TensorOptions& options);
Tensor eye(std::int64_t n, std::int64_t m, const TensorOptions& options);
Tensor linspace(const Scalar& start, const Scalar& end, std::int64_t steps, const TensorOptions& options);
Tensor arange(const Scalar& end, const TensorOptions& options);
Tensor arange(const Scalar& start, const Scalar& end, const TensorOptions& options);
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& options);
Tensor from_blob(const void* ptr, IntArrayRef shape, const TensorOptions& options);
Tensor tensor(const TensorData& data, const TensorOptions& options);
Tensor empty_like(const Tensor& t, const TensorOptions& options);
Tensor zeros_like(const Tensor& t, const TensorOptions& options);
Tensor ones_like(const Tensor& t, const TensorOptions& options);
Tensor full_like(const Tensor& t, const Scalar& value, const TensorOptions& options);

// Copies `values` into a tensor of `shape` (a 1-D tensor when shape is empty).
template <typename T>
Tensor from_vector(const std::vector<T>& values, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<std::int64_t>(values.size())};
  check_arg(checked_numel(shape, "from_vector") == static_cast<std::int64_t>(values.size()), "from_vector", "shape ",
            shape_str(shape), " holds ", checked_numel(shape, "from_vector"), " elements but the vector has ",
            values.size());
  return from_blob(values.data(), shape, dtype_of<T>());
}

}  // namespace atrous
