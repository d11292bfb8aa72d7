// SPDX-License-Identifier: Apache-2.0
// Views: tensors that share their source's storage with other sizes, strides or offset.
// Validation and stride arithmetic only; autograd/ops/shape.cc makes them differentiable.
#pragma once

#include "atrous/tensor/tensor.h"

namespace atrous::native {

Tensor as_strided(const Tensor& x, const Shape& sizes, const Shape& strides, std::int64_t offset);
// Resolves one -1 in `shape` against numel and checks the element count.
Shape infer_size(const Shape& shape, std::int64_t numel, const char* op);
Tensor view(const Tensor& x, const Shape& shape);
// A view when the strides allow one, otherwise a contiguous copy.
Tensor reshape(const Tensor& x, const Shape& shape);
Tensor permute(const Tensor& x, const Shape& dims);
Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1);
Tensor slice(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t end, std::int64_t step);
Tensor narrow(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t length);
Tensor select(const Tensor& x, std::int64_t dim, std::int64_t index);
Tensor unsqueeze(const Tensor& x, std::int64_t dim);
Tensor squeeze(const Tensor& x, std::int64_t dim);
Tensor expand(const Tensor& x, const Shape& shape);
// A contiguous tensor with x's values (x itself when already contiguous).
Tensor contiguous(const Tensor& x);
// A contiguous copy that never shares storage with x.
Tensor clone(const Tensor& x);
Tensor to(const Tensor& x, ScalarType dtype);
Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim);
// The slices of x at `indices` (int64) along dim, stacked in that order (a copy).
Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& indices);

}  // namespace atrous::native
