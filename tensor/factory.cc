// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/factory.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace atrous {

namespace {

Tensor allocate_tensor(const Shape& shape, const ScalarType dtype, const bool zero_fill) {
  const std::int64_t n = checked_numel(shape, "empty");
  const auto bytes = static_cast<std::size_t>(n) * element_size(dtype);
  check_arg(n == 0 || bytes / element_size(dtype) == static_cast<std::size_t>(n), "empty", "shape ", shape_str(shape),
            " needs more bytes than fit in memory");
  auto storage = std::make_shared<Storage>(bytes, zero_fill);
  return Tensor(std::make_shared<TensorImpl>(std::move(storage), 0, shape, contiguous_strides(shape), dtype));
}

}  // namespace

Tensor empty(const IntArrayRef shape, const ScalarType dtype) { return allocate_tensor(shape, dtype, false); }

Tensor zeros(const IntArrayRef shape, const ScalarType dtype) { return allocate_tensor(shape, dtype, true); }

Tensor full(const IntArrayRef shape, const Scalar& value) { return full(shape, value, value.default_dtype()); }

Tensor full(const IntArrayRef shape, const Scalar& value, const ScalarType dtype) {
  Tensor t = empty(shape, dtype);
  dispatch_all_dtypes(dtype, [&]<typename T>() {
    T* p = t.data_ptr<T>();
    const auto v = value.to<T>();
    for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = v;
  });
  return t;
}

Tensor ones(const IntArrayRef shape, const ScalarType dtype) { return full(shape, 1, dtype); }
Tensor empty_like(const Tensor& t) { return empty(t.sizes(), t.dtype()); }
Tensor zeros_like(const Tensor& t) { return zeros(t.sizes(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.sizes(), t.dtype()); }
Tensor full_like(const Tensor& t, const Scalar& value) { return full(t.sizes(), value, t.dtype()); }
Tensor scalar_tensor(const Scalar& value, const ScalarType dtype) { return full({}, value, dtype); }

Tensor eye(const std::int64_t n, const ScalarType dtype) { return eye(n, n, dtype); }

Tensor eye(const std::int64_t n, const std::int64_t m, const ScalarType dtype) {
  check_arg(n >= 0 && m >= 0, "eye", "n and m must be >= 0, got n = ", n, ", m = ", m);
  Tensor t = zeros({n, m}, dtype);
  dispatch_all_dtypes(dtype, [&]<typename T>() {
    T* p = t.data_ptr<T>();
    for (std::int64_t i = 0; i < std::min(n, m); ++i) p[i * m + i] = convert_value<T>(1);
  });
  return t;
}

Tensor linspace(const Scalar& start, const Scalar& end, const std::int64_t steps, const ScalarType dtype) {
  check_arg(steps >= 0, "linspace", "number of steps must be non-negative, got ", steps);
  Tensor t = empty({steps}, dtype);
  dispatch_dtype(dtype, [&]<typename T>() {
    // PyTorch's kernel: the first half counts up from start, the second down from end, so
    // both endpoints are exact.
    using Step = std::conditional_t<std::is_floating_point_v<T>, T, double>;
    const Step a = start.to<Step>(), b = end.to<Step>();
    const Step step = steps > 1 ? (b - a) / static_cast<Step>(steps - 1) : Step{0};
    const std::int64_t halfway = steps / 2;
    T* p = t.data_ptr<T>();
    for (std::int64_t i = 0; i < steps; ++i) {
      p[i] =
          static_cast<T>(i < halfway ? a + step * static_cast<Step>(i) : b - step * static_cast<Step>(steps - i - 1));
    }
  });
  return t;
}

Tensor arange(const Scalar& end) { return arange(0, end, 1); }
Tensor arange(const Scalar& end, const ScalarType dtype) { return arange(0, end, 1, dtype); }

ScalarType arange_dtype(const Scalar& start, const Scalar& end, const Scalar& step) {
  const bool integral = !start.isFloatingPoint() && !end.isFloatingPoint() && !step.isFloatingPoint();
  return integral ? kInt64 : kFloat32;
}

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step) {
  return arange(start, end, step, arange_dtype(start, end, step));
}

Tensor arange(const Scalar& start_value, const Scalar& end_value, const Scalar& step_value, const ScalarType dtype) {
  const double start = start_value.toDouble(), end = end_value.toDouble(), step = step_value.toDouble();
  check_arg(step != 0.0 && std::isfinite(step), "arange", "step must be finite and non-zero, got ", step);
  check_arg(std::isfinite(start) && std::isfinite(end), "arange", "start = ", start, " and end = ", end,
            " must be finite");
  check_arg((end - start) / step >= 0, "arange", "end = ", end, " cannot be reached from start = ", start,
            " with step = ", step);
  const double count = std::ceil((end - start) / step);
  check_arg(count < 9.0e15, "arange", "ceil((", end, " - ", start, ") / ", step, ") = ", count,
            " elements is too many");
  Tensor t = empty({static_cast<std::int64_t>(count)}, dtype);
  dispatch_dtype(dtype, [&]<typename T>() {
    T* p = t.data_ptr<T>();
    for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<T>(start + static_cast<double>(i) * step);
  });
  return t;
}

Tensor from_blob(const void* ptr, const IntArrayRef shape, const ScalarType dtype) {
  Tensor t = empty(shape, dtype);
  if (t.numel() > 0) {
    check_arg(ptr != nullptr, "from_blob", "data pointer is null for shape ", shape_str(shape));
    if (dtype == kBool) {
      // Any other byte is not a bool value: reading it would be undefined behaviour.
      const auto* bytes = static_cast<const unsigned char*>(ptr);
      for (std::int64_t i = 0; i < t.numel(); ++i) {
        check_arg(bytes[i] <= 1, "from_blob", "bool data must be bytes 0 or 1, got ", int{bytes[i]}, " at element ", i);
      }
    }
    std::memcpy(t.raw_data(), ptr, static_cast<std::size_t>(t.numel()) * element_size(dtype));
  }
  return t;
}

TensorData::TensorData(const std::initializer_list<TensorData> elements) : elements_(elements), is_list_(true) {}

Shape TensorData::shape() const {
  if (!is_list_) return {};
  Shape out{static_cast<std::int64_t>(elements_.size())};
  if (elements_.empty()) return out;
  const Shape inner = elements_.front().shape();
  for (std::size_t i = 1; i < elements_.size(); ++i) {
    const Shape other = elements_[i].shape();
    check_arg(other == inner, "tensor", "nested lists must be rectangular: element 0 has shape ", shape_str(inner),
              " but element ", i, " has shape ", shape_str(other));
  }
  out.insert(out.end(), inner.begin(), inner.end());
  return out;
}

ScalarType TensorData::dtype() const {
  if (!is_list_) return scalar_.default_dtype();
  // The widest kind present: any floating value makes the tensor float32.
  ScalarType widest = elements_.empty() ? kFloat32 : kBool;
  for (const TensorData& e : elements_) {
    const ScalarType t = e.dtype();
    if (t == kFloat32 || (t == kInt64 && widest == kBool)) widest = t;
  }
  return widest;
}

void TensorData::fill(Tensor& out) const {
  std::int64_t index = 0;
  fill_from(out, index);
}

void TensorData::fill_from(Tensor& out, std::int64_t& index) const {
  if (is_list_) {
    for (const TensorData& e : elements_) e.fill_from(out, index);
    return;
  }
  dispatch_all_dtypes(out.dtype(), [&]<typename T>() { out.data_ptr<T>()[index] = scalar_.to<T>(); });
  ++index;
}

Tensor tensor(const TensorData& data) { return tensor(data, data.dtype()); }

Tensor tensor(const TensorData& data, const ScalarType dtype) {
  Tensor out = empty(data.shape(), dtype);
  data.fill(out);
  return out;
}

}  // namespace atrous
