// SPDX-License-Identifier: Apache-2.0
// Tensor: a shared handle to sizes, strides, a dtype and a slice of Storage.
//
// This header declares the whole user-facing Tensor API, as libtorch's Tensor class does.
// tensor/ defines the data-level members (sizes, data_ptr, item); the differentiable ones
// (arithmetic, views, reductions, backward) are defined in autograd/, which records the graph
// and calls the kernels in tensor/ops. TensorImpl only carries an opaque slot for autograd state.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include "atrous/tensor/device.h"
#include "atrous/tensor/dtype.h"
#include "atrous/tensor/error.h"
#include "atrous/tensor/indexing.h"
#include "atrous/tensor/options.h"
#include "atrous/tensor/scalar.h"
#include "atrous/tensor/shape.h"
#include "atrous/tensor/storage.h"

namespace atrous {

namespace autograd {
class Node;
}  // namespace autograd

// What autograd keeps per tensor; tensor/ never looks inside.
class AutogradMetaInterface {
 public:
  virtual ~AutogradMetaInterface() = default;
};

struct TensorImpl {
  TensorImpl(std::shared_ptr<Storage> storage_, std::int64_t offset_, Shape sizes_, Shape strides_, ScalarType dtype_)
      : storage(std::move(storage_)),
        offset(offset_),
        sizes(std::move(sizes_)),
        strides(std::move(strides_)),
        dtype(dtype_) {}

  std::shared_ptr<Storage> storage;
  std::int64_t offset;  // in elements
  Shape sizes;
  Shape strides;  // in elements
  ScalarType dtype;
  std::shared_ptr<AutogradMetaInterface> autograd_meta;
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // ---- data level (tensor/tensor.cc) ----
  bool defined() const noexcept { return impl_ != nullptr; }
  const Shape& sizes() const { return impl().sizes; }
  const Shape& strides() const { return impl().strides; }
  std::int64_t size(std::int64_t dim) const;
  std::int64_t stride(std::int64_t dim) const;
  std::int64_t dim() const { return static_cast<std::int64_t>(impl().sizes.size()); }
  std::int64_t numel() const;
  ScalarType dtype() const { return impl().dtype; }
  ScalarType scalar_type() const { return impl().dtype; }
  // atrous runs on the CPU; these let device-generic libtorch code run unchanged.
  Device device() const { return Device(kCPU); }
  bool is_cpu() const noexcept { return true; }
  bool is_cuda() const noexcept { return false; }
  TensorOptions options() const { return TensorOptions(dtype()); }
  std::size_t element_size() const { return atrous::element_size(dtype()); }
  bool is_contiguous() const { return atrous::is_contiguous(sizes(), strides()); }
  std::int64_t storage_offset() const { return impl().offset; }

  // Pointer to the first element; checks that T matches dtype(). Elements follow strides().
  template <typename T>
  T* data_ptr() const;
  // Untyped pointer to the first element.
  void* raw_data() const;
  // The value of a one-element tensor.
  template <typename T>
  T item() const;
  Scalar item() const;
  // Same shape and the same values (NaN differs from NaN, as in torch.equal).
  bool equal(const Tensor& other) const;
  // |a − b| <= atol + rtol·|b| everywhere, with broadcasting; NaNs equal when equal_nan.
  bool allclose(const Tensor& other, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) const;

  TensorImpl* unsafe_impl() const noexcept { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const noexcept { return impl_; }
  bool is_same(const Tensor& other) const noexcept { return impl_ == other.impl_; }

  // ---- views and copies (autograd/ops/shape.cc) ----
  Tensor reshape(IntArrayRef shape) const;
  Tensor view(IntArrayRef shape) const;
  Tensor view_as(const Tensor& other) const { return view(other.sizes()); }
  Tensor reshape_as(const Tensor& other) const { return reshape(other.sizes()); }
  Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;
  Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
  Tensor t() const;
  Tensor permute(IntArrayRef dims) const;
  Tensor unsqueeze(std::int64_t dim) const;
  Tensor squeeze(std::int64_t dim) const;
  Tensor expand(IntArrayRef shape) const;
  Tensor expand_as(const Tensor& other) const { return expand(other.sizes()); }
  Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
  Tensor slice(std::int64_t dim, std::int64_t start, std::int64_t end, std::int64_t step = 1) const;
  Tensor select(std::int64_t dim, std::int64_t index) const;
  // t[i]: select(0, i).
  Tensor operator[](std::int64_t index) const;
  // libtorch's indexing: t.index({Slice(), 0}), t.index({None, Ellipsis, Slice(1, None, 2)}).
  Tensor index(std::initializer_list<indexing::TensorIndex> indices) const;
  Tensor index(const std::vector<indexing::TensorIndex>& indices) const;
  // Writes `value` into the part of this tensor that index(indices) views.
  const Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value) const;
  const Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar& value) const;
  const Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, const Tensor& value) const;
  const Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, const Scalar& value) const;
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false) const;
  // The CPU is the only device: to(kCPU) is this tensor (or a copy when asked), others throw.
  Tensor to(const Device& device, bool non_blocking = false, bool copy = false) const;
  Tensor to(const Device& device, ScalarType dtype, bool non_blocking = false, bool copy = false) const;
  Tensor to(const TensorOptions& options, bool non_blocking = false, bool copy = false) const;
  Tensor cpu() const { return *this; }
  Tensor type_as(const Tensor& other) const { return to(other.dtype()); }

  // ---- math (autograd/ops/*.cc) ----
  Tensor neg() const;
  Tensor exp() const;
  Tensor log() const;
  Tensor sqrt() const;
  Tensor pow(double exponent) const;
  Tensor pow(const Tensor& exponent) const;
  Tensor relu() const;
  Tensor tanh() const;
  Tensor sigmoid() const;
  Tensor abs() const;
  Tensor erf() const;
  Tensor clamp(std::optional<double> min, std::optional<double> max) const;
  Tensor sum() const;
  Tensor sum(IntArrayRef dims, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(IntArrayRef dims, bool keepdim = false) const;
  // Unbiased (n − 1) variance and standard deviation, as PyTorch's defaults.
  Tensor var(bool unbiased = true) const;
  Tensor var(IntArrayRef dims, bool unbiased = true, bool keepdim = false) const;
  Tensor std(bool unbiased = true) const;
  Tensor std(IntArrayRef dims, bool unbiased = true, bool keepdim = false) const;
  // The 2-norm of all elements.
  Tensor norm() const;
  Tensor min() const;
  std::tuple<Tensor, Tensor> min(std::int64_t dim, bool keepdim = false) const;
  Tensor max() const;
  std::tuple<Tensor, Tensor> max(std::int64_t dim, bool keepdim = false) const;
  Tensor argmax() const;
  Tensor argmax(std::int64_t dim, bool keepdim = false) const;
  Tensor matmul(const Tensor& other) const;
  Tensor mm(const Tensor& other) const;
  Tensor bmm(const Tensor& other) const;
  Tensor softmax(std::int64_t dim) const;
  Tensor log_softmax(std::int64_t dim) const;

  // ---- comparisons: bool tensors, no gradient (autograd/ops/compare.cc) ----
  Tensor eq(const Tensor& other) const;
  Tensor eq(const Scalar& other) const;
  Tensor ne(const Tensor& other) const;
  Tensor ne(const Scalar& other) const;
  Tensor lt(const Tensor& other) const;
  Tensor lt(const Scalar& other) const;
  Tensor le(const Tensor& other) const;
  Tensor le(const Scalar& other) const;
  Tensor gt(const Tensor& other) const;
  Tensor gt(const Scalar& other) const;
  Tensor ge(const Tensor& other) const;
  Tensor ge(const Scalar& other) const;
  Tensor logical_not() const;
  Tensor all() const;
  Tensor any() const;
  // `value` where mask is true, this tensor's values elsewhere (differentiable in this tensor).
  Tensor masked_fill(const Tensor& mask, const Scalar& value) const;

  // ---- in place: bump the version; refused on leaves that require grad unless NoGradGuard ----
  const Tensor& copy_(const Tensor& src) const;
  const Tensor& fill_(const Scalar& value) const;
  const Tensor& zero_() const;
  const Tensor& add_(const Tensor& other, double alpha = 1.0) const;
  const Tensor& add_(const Scalar& other) const;
  const Tensor& sub_(const Tensor& other, double alpha = 1.0) const;
  const Tensor& sub_(const Scalar& other) const;
  const Tensor& mul_(const Tensor& other) const;
  const Tensor& mul_(const Scalar& factor) const;
  const Tensor& div_(const Tensor& other) const;
  const Tensor& div_(const Scalar& divisor) const;
  const Tensor& operator+=(const Tensor& other) const { return add_(other); }
  const Tensor& operator+=(const Scalar& other) const { return add_(other); }
  const Tensor& operator-=(const Tensor& other) const { return sub_(other); }
  const Tensor& operator-=(const Scalar& other) const { return sub_(other); }
  const Tensor& operator*=(const Tensor& other) const { return mul_(other); }
  const Tensor& operator*=(const Scalar& other) const { return mul_(other); }
  const Tensor& operator/=(const Tensor& other) const { return div_(other); }
  const Tensor& operator/=(const Scalar& other) const { return div_(other); }
  // Refill with random values from the global generator (as the factories in random.h).
  const Tensor& uniform_(double from = 0.0, double to = 1.0) const;
  const Tensor& normal_(double mean = 0.0, double std = 1.0) const;
  const Tensor& bernoulli_(double p = 0.5) const;

  // ---- autograd (autograd/tensor_autograd.cc) ----
  const Tensor& requires_grad_(bool requires_grad = true) const;
  bool requires_grad() const;
  // The accumulated gradient, or an undefined tensor until a backward reaches this leaf.
  const Tensor& grad() const;
  Tensor& mutable_grad();
  // Zeroes the accumulated gradient in place (PyTorch 1.13's set_to_none=False).
  void zero_grad();
  std::shared_ptr<autograd::Node> grad_fn() const;
  bool is_leaf() const;
  void backward(const Tensor& gradient = Tensor(), bool retain_graph = false) const;
  Tensor detach() const;

 private:
  TensorImpl& impl() const;
  std::shared_ptr<TensorImpl> impl_;
};

// ---- free functions with PyTorch's names (differentiable unless noted) ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor pow(const Tensor& x, double exponent);
Tensor pow(const Tensor& x, const Tensor& exponent);
Tensor relu(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor erf(const Tensor& x);
// 0.5·x·(1 + erf(x/√2)), PyTorch's default (exact) GELU.
Tensor gelu(const Tensor& x);
Tensor clamp(const Tensor& x, std::optional<double> min, std::optional<double> max);
Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, IntArrayRef dims, bool keepdim = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, IntArrayRef dims, bool keepdim = false);
Tensor var(const Tensor& x, IntArrayRef dims, bool unbiased = true, bool keepdim = false);
Tensor std(const Tensor& x, IntArrayRef dims, bool unbiased = true, bool keepdim = false);
Tensor norm(const Tensor& x);
Tensor min(const Tensor& x);
std::tuple<Tensor, Tensor> min(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor max(const Tensor& x);
std::tuple<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& x);  // not differentiable
Tensor argmax(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor matmul(const Tensor& a, const Tensor& b);
// 2-D × 2-D only, as torch.mm.
Tensor mm(const Tensor& a, const Tensor& b);
// (B, n, k) × (B, k, m), as torch.bmm.
Tensor bmm(const Tensor& a, const Tensor& b);
// beta·input + alpha·(a × b).
Tensor addmm(const Tensor& input, const Tensor& a, const Tensor& b, double beta = 1.0, double alpha = 1.0);
Tensor softmax(const Tensor& x, std::int64_t dim);
Tensor log_softmax(const Tensor& x, std::int64_t dim);
Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
// Joins tensors of one shape along a new dimension `dim`.
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim = 0);

// cond ? a : b element-wise, with broadcasting; differentiable in a and b.
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);
Tensor where(const Tensor& condition, const Tensor& a, const Scalar& b);
Tensor where(const Tensor& condition, const Scalar& a, const Tensor& b);
Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value);
Tensor logical_not(const Tensor& x);
Tensor all(const Tensor& x);
Tensor any(const Tensor& x);
bool equal(const Tensor& a, const Tensor& b);
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false);
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, const Scalar& b);
Tensor operator!=(const Tensor& a, const Scalar& b);
Tensor operator<(const Tensor& a, const Scalar& b);
Tensor operator<=(const Tensor& a, const Scalar& b);
Tensor operator>(const Tensor& a, const Scalar& b);
Tensor operator>=(const Tensor& a, const Scalar& b);
// Logical not of a bool tensor.
Tensor operator~(const Tensor& x);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);

// Prints like PyTorch: tensor([[1., 2.], [3., 4.]]), with dtype, grad_fn and requires_grad.
std::ostream& operator<<(std::ostream& os, const Tensor& t);

// Element access by flat index in row-major order (walks the strides); for tests and printing.
double value_at(const Tensor& t, std::int64_t flat_index);

}  // namespace atrous
