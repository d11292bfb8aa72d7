// SPDX-License-Identifier: Apache-2.0
// Differentiable views and copies: reshape, transpose, permute, narrow, select, expand, cat,
// contiguous, clone and to(dtype). Each gradient undoes its op's index mapping.
#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/reduce.h"
#include "atrous/tensor/ops/view.h"

namespace atrous {

namespace {

// The gradient of a view that picks part of x: zeros of x's shape with g written into `part(zeros)`.
template <typename Part>
Tensor scatter_into_zeros(const Tensor& g, const Shape& sizes, const Part& part) {
  Tensor out = zeros(sizes, g.dtype());
  native::copy_into(part(out), g);
  return out;
}

Tensor reshape_to(const Tensor& g, const Shape& sizes) { return native::reshape(g, sizes); }

}  // namespace

Tensor Tensor::reshape(const IntArrayRef shape) const {
  return autograd::record("ReshapeAliasBackward0", {*this}, native::reshape(*this, shape),
                          [sizes = sizes()](const Tensor& g) { return std::vector<Tensor>{reshape_to(g, sizes)}; });
}

Tensor Tensor::view(const IntArrayRef shape) const {
  return autograd::record("ViewBackward0", {*this}, native::view(*this, shape),
                          [sizes = sizes()](const Tensor& g) { return std::vector<Tensor>{reshape_to(g, sizes)}; });
}

Tensor Tensor::flatten(const std::int64_t start_dim, const std::int64_t end_dim) const {
  if (dim() == 0) return reshape({1});
  const std::int64_t s = wrap_dim(start_dim, dim(), "flatten"), e = wrap_dim(end_dim, dim(), "flatten");
  check_arg(s <= e, "flatten", "start_dim (", start_dim, ") must not come after end_dim (", end_dim, ")");
  Shape shape(sizes().begin(), sizes().begin() + s);
  std::int64_t n = 1;
  for (std::int64_t d = s; d <= e; ++d) n *= sizes()[d];
  shape.push_back(n);
  shape.insert(shape.end(), sizes().begin() + e + 1, sizes().end());
  return reshape(shape);
}

Tensor Tensor::transpose(const std::int64_t dim0, const std::int64_t dim1) const {
  return autograd::record(
      "TransposeBackward0", {*this}, native::transpose(*this, dim0, dim1),
      [dim0, dim1](const Tensor& g) { return std::vector<Tensor>{native::transpose(g, dim0, dim1)}; });
}

Tensor Tensor::t() const {
  check_arg(dim() <= 2, "t", "expects a tensor with <= 2 dimensions, got shape ", shape_str(sizes()));
  return dim() < 2 ? transpose(0, 0) : transpose(0, 1);
}

Tensor Tensor::permute(const IntArrayRef dims_ref) const {
  const Shape dims = dims_ref.vec();
  Tensor y = native::permute(*this, dims);
  return autograd::record("PermuteBackward0", {*this}, y, [dims, n = dim()](const Tensor& g) {
    Shape inverse(dims.size());
    for (std::size_t i = 0; i < dims.size(); ++i)
      inverse[static_cast<std::size_t>(wrap_dim(dims[i], n, "permute"))] = static_cast<std::int64_t>(i);
    return std::vector<Tensor>{native::permute(g, inverse)};
  });
}

Tensor Tensor::unsqueeze(const std::int64_t d) const {
  return autograd::record("UnsqueezeBackward0", {*this}, native::unsqueeze(*this, d),
                          [sizes = sizes()](const Tensor& g) { return std::vector<Tensor>{reshape_to(g, sizes)}; });
}

Tensor Tensor::squeeze(const std::int64_t d) const {
  return autograd::record("SqueezeBackward1", {*this}, native::squeeze(*this, d),
                          [sizes = sizes()](const Tensor& g) { return std::vector<Tensor>{reshape_to(g, sizes)}; });
}

Tensor Tensor::expand(const IntArrayRef shape) const {
  return autograd::record("ExpandBackward0", {*this}, native::expand(*this, shape),
                          [sizes = sizes()](const Tensor& g) { return std::vector<Tensor>{native::sum_to(g, sizes)}; });
}

Tensor Tensor::slice(const std::int64_t d, const std::int64_t start, const std::int64_t end,
                     const std::int64_t step) const {
  return autograd::record("SliceBackward0", {*this}, native::slice(*this, d, start, end, step),
                          [sizes = sizes(), d, start, end, step](const Tensor& g) {
                            return std::vector<Tensor>{scatter_into_zeros(
                                g, sizes, [&](const Tensor& z) { return native::slice(z, d, start, end, step); })};
                          });
}

Tensor Tensor::narrow(const std::int64_t d, const std::int64_t start, const std::int64_t length) const {
  Tensor y = native::narrow(*this, d, start, length);
  // narrow has validated; express it as the equivalent slice for the gradient.
  const std::int64_t begin = start < 0 ? start + size(d) : start;
  return autograd::record("NarrowBackward0", {*this}, y, [sizes = sizes(), d, begin, length](const Tensor& g) {
    return std::vector<Tensor>{
        scatter_into_zeros(g, sizes, [&](const Tensor& z) { return native::narrow(z, d, begin, length); })};
  });
}

Tensor Tensor::select(const std::int64_t d, const std::int64_t index) const {
  return autograd::record(
      "SelectBackward0", {*this}, native::select(*this, d, index), [sizes = sizes(), d, index](const Tensor& g) {
        return std::vector<Tensor>{
            scatter_into_zeros(g, sizes, [&](const Tensor& z) { return native::select(z, d, index); })};
      });
}

Tensor Tensor::contiguous() const {
  if (is_contiguous()) return *this;
  return autograd::record("CloneBackward0", {*this}, native::clone(*this),
                          [](const Tensor& g) { return std::vector<Tensor>{g}; });
}

Tensor Tensor::clone() const {
  return autograd::record("CloneBackward0", {*this}, native::clone(*this),
                          [](const Tensor& g) { return std::vector<Tensor>{g}; });
}

Tensor Tensor::to(const ScalarType target, const bool /*non_blocking*/, const bool copy) const {
  const ScalarType source = dtype();
  if (target == source) return copy ? clone() : *this;
  // Only float-to-float conversions carry a gradient (an int64 result cannot require grad).
  if (!is_floating(target)) return native::to(*this, target);
  return autograd::record("ToCopyBackward0", {*this}, native::to(*this, target),
                          [source](const Tensor& g) { return std::vector<Tensor>{native::to(g, source)}; });
}

Tensor Tensor::to(const Device& device, const bool non_blocking, const bool copy) const {
  check_cpu_device(device, "to");
  return to(dtype(), non_blocking, copy);
}

Tensor Tensor::to(const Device& device, const ScalarType target, const bool non_blocking, const bool copy) const {
  check_cpu_device(device, "to");
  return to(target, non_blocking, copy);
}

Tensor Tensor::to(const TensorOptions& options, const bool non_blocking, const bool copy) const {
  check_cpu_device(options.device(), "to");
  Tensor out = to(options.dtype_opt().value_or(dtype()), non_blocking, copy);
  if (options.requires_grad() && !out.requires_grad()) out.requires_grad_(true);
  return out;
}

Tensor Tensor::operator[](const std::int64_t index) const { return select(0, index); }

Tensor stack(const std::vector<Tensor>& tensors, const std::int64_t dim) {
  check_arg(!tensors.empty(), "stack", "expects a non-empty list of tensors");
  const std::int64_t d = wrap_dim(dim, tensors.front().dim() + 1, "stack");
  std::vector<Tensor> expanded;
  expanded.reserve(tensors.size());
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    check_arg(tensors[i].sizes() == tensors.front().sizes(), "stack",
              "stack expects each tensor to be equal size, but got ", shape_str(tensors.front().sizes()),
              " at entry 0 and ", shape_str(tensors[i].sizes()), " at entry ", i);
    expanded.push_back(tensors[i].unsqueeze(d));
  }
  return cat(expanded, d);
}

Tensor cat(const std::vector<Tensor>& tensors, const std::int64_t dim) {
  Tensor y = native::cat(tensors, dim);
  std::vector<std::int64_t> lengths;
  for (const Tensor& t : tensors) lengths.push_back(t.size(dim));
  return autograd::record("CatBackward0", tensors, y, [lengths, d = wrap_dim(dim, y.dim(), "cat")](const Tensor& g) {
    std::vector<Tensor> grads;
    std::int64_t offset = 0;
    for (const std::int64_t len : lengths) {
      grads.push_back(native::narrow(g, d, offset, len));
      offset += len;
    }
    return grads;
  });
}

}  // namespace atrous
