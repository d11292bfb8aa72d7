#include "tensor/factory.h"

#include <cmath>
#include <cstring>

namespace atrous {

namespace {

Tensor allocate_tensor(const Shape& shape, const ScalarType dtype, const bool zero_fill) {
  const std::int64_t n = checked_numel(shape, "empty");
  const auto bytes = static_cast<std::size_t>(n) * element_size(dtype);
  check_arg(n == 0 || bytes / element_size(dtype) == static_cast<std::size_t>(n), "empty",
            "shape ", shape_str(shape), " needs more bytes than fit in memory");
  auto storage = std::make_shared<Storage>(bytes, zero_fill);
  return Tensor(std::make_shared<TensorImpl>(std::move(storage), 0, shape, contiguous_strides(shape), dtype));
}

}  // namespace

Tensor empty(const Shape& shape, const ScalarType dtype) { return allocate_tensor(shape, dtype, false); }

Tensor zeros(const Shape& shape, const ScalarType dtype) { return allocate_tensor(shape, dtype, true); }

Tensor full(const Shape& shape, const double value, const ScalarType dtype) {
  Tensor t = empty(shape, dtype);
  dispatch_dtype(dtype, [&]<typename T>() {
    T* p = t.data_ptr<T>();
    const auto v = static_cast<T>(value);
    for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = v;
  });
  return t;
}

Tensor ones(const Shape& shape, const ScalarType dtype) { return full(shape, 1.0, dtype); }
Tensor zeros_like(const Tensor& t) { return zeros(t.sizes(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.sizes(), t.dtype()); }
Tensor full_like(const Tensor& t, const double value) { return full(t.sizes(), value, t.dtype()); }
Tensor scalar_tensor(const double value, const ScalarType dtype) { return full({}, value, dtype); }

Tensor arange(const std::int64_t end, const ScalarType dtype) {
  check_arg(end >= 0, "arange", "end = ", end, " must be >= 0 when start = 0 and step = 1");
  return arange(0.0, static_cast<double>(end), 1.0, dtype);
}

Tensor arange(const double start, const double end, const double step, const ScalarType dtype) {
  check_arg(step != 0.0 && std::isfinite(step), "arange", "step must be finite and non-zero, got ", step);
  check_arg(std::isfinite(start) && std::isfinite(end), "arange", "start = ", start, " and end = ", end,
            " must be finite");
  check_arg((end - start) / step >= 0, "arange", "end = ", end, " cannot be reached from start = ",
            start, " with step = ", step);
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

Tensor from_blob(const void* ptr, const Shape& shape, const ScalarType dtype) {
  Tensor t = empty(shape, dtype);
  if (t.numel() > 0) {
    check_arg(ptr != nullptr, "from_blob", "data pointer is null for shape ", shape_str(shape));
    std::memcpy(t.raw_data(), ptr, static_cast<std::size_t>(t.numel()) * element_size(dtype));
  }
  return t;
}

}  // namespace atrous
