// SPDX-License-Identifier: Apache-2.0
// The factories that take libtorch's TensorOptions: each is the dtype-taking factory from
// tensor/ plus the device check and requires_grad, which is autograd state.
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"

namespace atrous {
namespace {

Tensor finish(Tensor t, const TensorOptions& options, const char* op) {
  check_cpu_device(options.device(), op);
  if (options.requires_grad()) t.requires_grad_(true);
  return t;
}

// The options' dtype, or `fallback` when they name none.
ScalarType dtype_or(const TensorOptions& options, const ScalarType fallback) {
  return options.dtype_opt().value_or(fallback);
}

}  // namespace

Tensor empty(const IntArrayRef shape, const TensorOptions& o) { return finish(empty(shape, o.dtype()), o, "empty"); }
Tensor zeros(const IntArrayRef shape, const TensorOptions& o) { return finish(zeros(shape, o.dtype()), o, "zeros"); }
Tensor ones(const IntArrayRef shape, const TensorOptions& o) { return finish(ones(shape, o.dtype()), o, "ones"); }
Tensor full(const IntArrayRef shape, const Scalar& value, const TensorOptions& o) {
  return finish(full(shape, value, dtype_or(o, value.default_dtype())), o, "full");
}
Tensor eye(const std::int64_t n, const TensorOptions& o) { return finish(eye(n, o.dtype()), o, "eye"); }
Tensor eye(const std::int64_t n, const std::int64_t m, const TensorOptions& o) {
  return finish(eye(n, m, o.dtype()), o, "eye");
}
Tensor linspace(const Scalar& start, const Scalar& end, const std::int64_t steps, const TensorOptions& o) {
  return finish(linspace(start, end, steps, o.dtype()), o, "linspace");
}
Tensor arange(const Scalar& end, const TensorOptions& o) { return arange(0, end, 1, o); }
Tensor arange(const Scalar& start, const Scalar& end, const TensorOptions& o) { return arange(start, end, 1, o); }
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& o) {
  return finish(arange(start, end, step, dtype_or(o, arange_dtype(start, end, step))), o, "arange");
}
Tensor from_blob(const void* ptr, const IntArrayRef shape, const TensorOptions& o) {
  return finish(from_blob(ptr, shape, o.dtype()), o, "from_blob");
}
Tensor tensor(const TensorData& data, const TensorOptions& o) {
  return finish(tensor(data, dtype_or(o, data.dtype())), o, "tensor");
}
Tensor empty_like(const Tensor& t, const TensorOptions& o) {
  return finish(empty(t.sizes(), dtype_or(o, t.dtype())), o, "empty_like");
}
Tensor zeros_like(const Tensor& t, const TensorOptions& o) {
  return finish(zeros(t.sizes(), dtype_or(o, t.dtype())), o, "zeros_like");
}
Tensor ones_like(const Tensor& t, const TensorOptions& o) {
  return finish(ones(t.sizes(), dtype_or(o, t.dtype())), o, "ones_like");
}
Tensor full_like(const Tensor& t, const Scalar& value, const TensorOptions& o) {
  return finish(full(t.sizes(), value, dtype_or(o, t.dtype())), o, "full_like");
}
Tensor rand(const IntArrayRef shape, const TensorOptions& o) { return finish(rand(shape, o.dtype()), o, "rand"); }
Tensor randn(const IntArrayRef shape, const TensorOptions& o) { return finish(randn(shape, o.dtype()), o, "randn"); }
Tensor randint(const std::int64_t low, const std::int64_t high, const IntArrayRef shape, const TensorOptions& o) {
  return finish(randint(low, high, shape, dtype_or(o, kInt64)), o, "randint");
}
Tensor randint(const std::int64_t high, const IntArrayRef shape, const TensorOptions& o) {
  return randint(0, high, shape, o);
}

Tensor randperm(const std::int64_t n, const TensorOptions& o) {
  return finish(randperm(n).to(dtype_or(o, kInt64)), o, "randperm");
}
Tensor rand_like(const Tensor& t, const TensorOptions& o) {
  return finish(rand(t.sizes(), dtype_or(o, t.dtype())), o, "rand_like");
}
Tensor randn_like(const Tensor& t, const TensorOptions& o) {
  return finish(randn(t.sizes(), dtype_or(o, t.dtype())), o, "randn_like");
}

}  // namespace atrous
