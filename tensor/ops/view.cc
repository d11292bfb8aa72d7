// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/ops/view.h"

#include <algorithm>
#include <optional>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

Tensor as_strided(const Tensor& x, const Shape& sizes, const Shape& strides, const std::int64_t offset) {
  return Tensor(std::make_shared<TensorImpl>(x.impl_ptr()->storage, offset, sizes, strides, x.dtype()));
}

Shape infer_size(const Shape& shape, const std::int64_t numel, const char* op) {
  Shape out = shape;
  std::optional<std::size_t> infer;
  std::int64_t known = 1;
  bool overflow = false, zero = false;  // a wrapped product of non-zero sizes cannot equal numel
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      check_arg(!infer, op, "only one dimension can be -1 (inferred), got shape ", shape_str(shape));
      infer = i;
    } else {
      check_arg(shape[i] >= 0, op, "invalid size ", shape[i], " at dim ", i, " of shape ", shape_str(shape));
      overflow = __builtin_mul_overflow(known, shape[i], &known) || overflow;
      zero = zero || shape[i] == 0;
    }
  }
  if (zero) known = 0;
  check_arg(!overflow || zero, op, "shape ", shape_str(shape), " is invalid for input of size ", numel,
            ": the new shape holds more than 2^63 - 1 elements");
  if (infer) {
    check_arg(known != 0 && numel % known == 0, op, "shape ", shape_str(shape), " is invalid for input of size ", numel,
              ": ", numel, " is not divisible by the product of the other sizes, ", known);
    out[*infer] = numel / known;
  } else {
    check_arg(known == numel, op, "shape ", shape_str(shape), " is invalid for input of size ", numel,
              ": the new shape holds ", known, " elements");
  }
  return out;
}

namespace {

// Strides that let `sizes` alias x's elements in row-major order, if any (PyTorch's
// computeStride: each run of merged old dims must map onto whole new dims).
std::optional<Shape> view_strides(const Tensor& x, const Shape& sizes) {
  const Shape& old_sizes = x.sizes();
  const Shape& old_strides = x.strides();
  Shape strides(sizes.size());
  if (x.numel() <= 1) return contiguous_strides(sizes);  // no element order to preserve
  std::int64_t view_d = static_cast<std::int64_t>(sizes.size()) - 1;
  std::int64_t chunk_base_stride = old_strides.empty() ? 1 : old_strides.back();
  std::int64_t tensor_numel = 1, view_numel = 1;
  for (std::int64_t d = static_cast<std::int64_t>(old_sizes.size()) - 1; d >= 0; --d) {
    tensor_numel *= old_sizes[d];
    if (d == 0 || (old_sizes[d - 1] != 1 && old_strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || sizes[view_d] == 1)) {
        strides[view_d] = view_numel * chunk_base_stride;
        view_numel *= sizes[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (d > 0) {
        chunk_base_stride = old_strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return strides;
}

}  // namespace

Tensor view(const Tensor& x, const Shape& shape) {
  const Shape sizes = infer_size(shape, x.numel(), "view");
  const std::optional<Shape> strides = view_strides(x, sizes);
  check_arg(strides.has_value(), "view", "a tensor of shape ", shape_str(x.sizes()), " and strides ",
            shape_str(x.strides()), " cannot be viewed as ", shape_str(sizes),
            " without copying; use reshape(), or contiguous() first");
  return as_strided(x, sizes, *strides, x.storage_offset());
}

Tensor reshape(const Tensor& x, const Shape& shape) {
  const Shape sizes = infer_size(shape, x.numel(), "reshape");
  if (const std::optional<Shape> strides = view_strides(x, sizes))
    return as_strided(x, sizes, *strides, x.storage_offset());
  return view(clone(x), sizes);
}

Tensor permute(const Tensor& x, const Shape& dims) {
  check_arg(static_cast<std::int64_t>(dims.size()) == x.dim(), "permute", "dims ", shape_str(dims), " has ",
            dims.size(), " entries but the tensor has ", x.dim(), " dimensions (shape ", shape_str(x.sizes()), ")");
  Shape sizes, strides;
  std::vector<bool> seen(dims.size(), false);
  for (const std::int64_t d_in : dims) {
    const std::int64_t d = wrap_dim(d_in, x.dim(), "permute");
    check_arg(!seen[static_cast<std::size_t>(d)], "permute", "dim ", d, " repeats in dims ", shape_str(dims));
    seen[static_cast<std::size_t>(d)] = true;
    sizes.push_back(x.sizes()[d]);
    strides.push_back(x.strides()[d]);
  }
  return as_strided(x, sizes, strides, x.storage_offset());
}

Tensor transpose(const Tensor& x, const std::int64_t dim0, const std::int64_t dim1) {
  Shape perm;
  for (std::int64_t d = 0; d < x.dim(); ++d) perm.push_back(d);
  if (x.dim() == 0) {
    wrap_dim(dim0, 0, "transpose");
    wrap_dim(dim1, 0, "transpose");
    return as_strided(x, x.sizes(), x.strides(), x.storage_offset());
  }
  std::swap(perm[static_cast<std::size_t>(wrap_dim(dim0, x.dim(), "transpose"))],
            perm[static_cast<std::size_t>(wrap_dim(dim1, x.dim(), "transpose"))]);
  return permute(x, perm);
}

Tensor slice(const Tensor& x, const std::int64_t dim_in, std::int64_t start, std::int64_t end,
             const std::int64_t step) {
  check_arg(x.dim() > 0, "slice", "cannot slice a 0-dim tensor");
  const std::int64_t dim = wrap_dim(dim_in, x.dim(), "slice");
  check_arg(step > 0, "slice", "step must be positive, got ", step);
  const std::int64_t n = x.sizes()[dim];
  // Python slicing: negative indices count from the end, and out-of-range bounds clamp.
  if (start < 0) start += n;
  if (end < 0) end += n;
  start = std::clamp<std::int64_t>(start, 0, n);
  end = std::clamp<std::int64_t>(end, start, n);
  Shape sizes = x.sizes(), strides = x.strides();
  sizes[dim] = end == start ? 0 : (end - start - 1) / step + 1;  // no end − start + step: it may wrap
  if (sizes[dim] > 1) strides[dim] *= step;                      // step < n here: the product addresses the storage
  return as_strided(x, sizes, strides, x.storage_offset() + start * x.strides()[dim]);
}

Tensor narrow(const Tensor& x, const std::int64_t dim_in, std::int64_t start, const std::int64_t length) {
  check_arg(x.dim() > 0, "narrow", "cannot narrow a 0-dim tensor");
  const std::int64_t dim = wrap_dim(dim_in, x.dim(), "narrow");
  const std::int64_t n = x.sizes()[dim];
  check_arg(start >= -n && start <= n, "narrow", "start = ", start, " is out of range for dim ", dim, " of size ", n);
  if (start < 0) start += n;
  check_arg(length >= 0 && start + length <= n, "narrow", "start (", start, ") + length (", length, ") exceeds dim ",
            dim, " of size ", n);
  return slice(x, dim, start, start + length, 1);
}

Tensor select(const Tensor& x, const std::int64_t dim_in, std::int64_t index) {
  check_arg(x.dim() > 0, "select", "cannot select from a 0-dim tensor");
  const std::int64_t dim = wrap_dim(dim_in, x.dim(), "select");
  const std::int64_t n = x.sizes()[dim];
  check_arg(index >= -n && index < n, "select", "index ", index, " is out of range for dim ", dim, " of size ", n);
  if (index < 0) index += n;
  Shape sizes = x.sizes(), strides = x.strides();
  sizes.erase(sizes.begin() + dim);
  strides.erase(strides.begin() + dim);
  return as_strided(x, sizes, strides, x.storage_offset() + index * x.strides()[dim]);
}

Tensor unsqueeze(const Tensor& x, const std::int64_t dim_in) {
  const std::int64_t dim = wrap_dim(dim_in, x.dim() + 1, "unsqueeze");
  Shape sizes = x.sizes(), strides = x.strides();
  const std::int64_t stride = dim < x.dim() ? sizes[dim] * strides[dim] : 1;
  sizes.insert(sizes.begin() + dim, 1);
  strides.insert(strides.begin() + dim, stride);
  return as_strided(x, sizes, strides, x.storage_offset());
}

Tensor squeeze(const Tensor& x, const std::int64_t dim_in) {
  if (x.dim() == 0) return as_strided(x, x.sizes(), x.strides(), x.storage_offset());
  const std::int64_t dim = wrap_dim(dim_in, x.dim(), "squeeze");
  if (x.sizes()[dim] != 1) return as_strided(x, x.sizes(), x.strides(), x.storage_offset());
  Shape sizes = x.sizes(), strides = x.strides();
  sizes.erase(sizes.begin() + dim);
  strides.erase(strides.begin() + dim);
  return as_strided(x, sizes, strides, x.storage_offset());
}

Tensor expand(const Tensor& x, const Shape& shape) {
  check_arg(static_cast<std::int64_t>(shape.size()) >= x.dim(), "expand", "the target shape ", shape_str(shape),
            " has fewer dimensions than the tensor's shape ", shape_str(x.sizes()));
  Shape sizes = shape;
  const std::size_t lead = shape.size() - x.sizes().size();
  for (std::size_t i = 0; i < x.sizes().size(); ++i) {
    if (sizes[lead + i] == -1) sizes[lead + i] = x.sizes()[i];
  }
  check_arg(broadcast_shapes(x.sizes(), sizes, "expand") == sizes, "expand", "shape ", shape_str(x.sizes()),
            " cannot be expanded to ", shape_str(shape));
  checked_numel(sizes, "expand");
  return as_strided(x, sizes, broadcast_strides(x.sizes(), x.strides(), sizes), x.storage_offset());
}

Tensor contiguous(const Tensor& x) { return x.is_contiguous() ? x : clone(x); }

Tensor clone(const Tensor& x) {
  const profile::Scope scope("clone");
  Tensor out = empty(x.sizes(), x.dtype());
  copy_into(out, x);
  return out;
}

Tensor to(const Tensor& x, const ScalarType dtype) {
  const profile::Scope scope("to");
  Tensor out = empty(x.sizes(), dtype);
  copy_into(out, x);
  return out;
}

Tensor cat(const std::vector<Tensor>& tensors, const std::int64_t dim_in) {
  const profile::Scope scope("cat");
  check_arg(!tensors.empty(), "cat", "expected a non-empty list of tensors");
  const Tensor& first = tensors.front();
  check_arg(first.dim() > 0, "cat", "zero-dimensional tensor (at position 0) cannot be concatenated");
  const std::int64_t dim = wrap_dim(dim_in, first.dim(), "cat");
  Shape sizes = first.sizes();
  sizes[dim] = 0;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    check_arg(t.dtype() == first.dtype(), "cat", "tensor ", i, " has dtype ", dtype_name(t.dtype()),
              " but tensor 0 has ", dtype_name(first.dtype()));
    check_arg(t.dim() == first.dim(), "cat", "tensor ", i, " has shape ", shape_str(t.sizes()),
              " but tensor 0 has shape ", shape_str(first.sizes()), ": the ranks differ");
    for (std::int64_t d = 0; d < first.dim(); ++d) {
      check_arg(d == dim || t.sizes()[d] == first.sizes()[d], "cat", "sizes must match except in dim ", dim,
                ", but tensor ", i, " has shape ", shape_str(t.sizes()), " and tensor 0 has shape ",
                shape_str(first.sizes()), " (dim ", d, ")");
    }
    sizes[dim] += t.sizes()[dim];
  }
  Tensor out = empty(sizes, first.dtype());
  std::int64_t offset = 0;
  for (const Tensor& t : tensors) {
    copy_into(narrow(out, dim, offset, t.sizes()[dim]), t);
    offset += t.sizes()[dim];
  }
  return out;
}

Tensor index_select(const Tensor& x, const std::int64_t dim_in, const Tensor& indices) {
  const profile::Scope scope("index_select");
  check_arg(x.dim() > 0, "index_select", "cannot select from a 0-dim tensor");
  check_arg(indices.dtype() == kInt64 && indices.dim() == 1, "index_select", "indices must be a 1-D int64 tensor, got ",
            dtype_name(indices.dtype()), " ", shape_str(indices.sizes()));
  const std::int64_t dim = wrap_dim(dim_in, x.dim(), "index_select");
  Shape sizes = x.sizes();
  sizes[static_cast<std::size_t>(dim)] = indices.numel();
  Tensor out = empty(sizes, x.dtype());
  const Tensor idx = contiguous(indices);
  const std::int64_t* p = idx.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < indices.numel(); ++i) {
    check_arg(p[i] >= 0 && p[i] < x.size(dim), "index_select", "index ", p[i], " (position ", i,
              ") is out of range for dim ", dim, " of size ", x.size(dim));
    copy_into(select(out, dim, i), select(x, dim, p[i]));
  }
  return out;
}

}  // namespace atrous::native
