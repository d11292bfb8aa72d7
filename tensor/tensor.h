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

#include "tensor/dtype.h"
#include "tensor/error.h"
#include "tensor/shape.h"
#include "tensor/storage.h"

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
  TensorImpl(std::shared_ptr<Storage> storage_, std::int64_t offset_, Shape sizes_, Shape strides_,
             ScalarType dtype_)
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

  TensorImpl* unsafe_impl() const noexcept { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const noexcept { return impl_; }
  bool is_same(const Tensor& other) const noexcept { return impl_ == other.impl_; }

  // ---- views and copies (autograd/ops/shape.cc) ----
  Tensor reshape(const Shape& shape) const;
  Tensor view(const Shape& shape) const;
  Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;
  Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
  Tensor t() const;
  Tensor permute(const Shape& dims) const;
  Tensor unsqueeze(std::int64_t dim) const;
  Tensor squeeze(std::int64_t dim) const;
  Tensor expand(const Shape& shape) const;
  Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
  Tensor slice(std::int64_t dim, std::int64_t start, std::int64_t end, std::int64_t step = 1) const;
  Tensor select(std::int64_t dim, std::int64_t index) const;
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor to(ScalarType dtype) const;

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
  Tensor sum(const Shape& dims, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(const Shape& dims, bool keepdim = false) const;
  Tensor max() const;
  std::tuple<Tensor, Tensor> max(std::int64_t dim, bool keepdim = false) const;
  Tensor argmax() const;
  Tensor argmax(std::int64_t dim, bool keepdim = false) const;
  Tensor matmul(const Tensor& other) const;
  Tensor softmax(std::int64_t dim) const;
  Tensor log_softmax(std::int64_t dim) const;
  Tensor eq(const Tensor& other) const;  // 1 where equal, 0 elsewhere, in this dtype; no grad

  // ---- in place: bump the version; refused on leaves that require grad unless NoGradGuard ----
  Tensor& copy_(const Tensor& src);
  Tensor& fill_(double value);
  Tensor& zero_();
  Tensor& add_(const Tensor& other, double alpha = 1.0);
  Tensor& mul_(double factor);

  // ---- autograd (autograd/tensor_autograd.cc) ----
  Tensor& requires_grad_(bool requires_grad = true);
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
Tensor sum(const Tensor& x, const Shape& dims, bool keepdim = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, const Shape& dims, bool keepdim = false);
Tensor max(const Tensor& x);
std::tuple<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& x);  // not differentiable
Tensor argmax(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor softmax(const Tensor& x, std::int64_t dim);
Tensor log_softmax(const Tensor& x, std::int64_t dim);
Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim = 0);

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
