// SPDX-License-Identifier: Apache-2.0
// Reductions: sum, mean, max and argmax over all or chosen dimensions. Sums are split into
// chunks fixed by the shape and combined in index order, so they are bit-identical for any
// thread count.
#pragma once

#include <tuple>

#include "atrous/tensor/tensor.h"

namespace atrous::native {

// Sorted, unique, wrapped dims; an empty `dims` means every dimension (PyTorch's dim=[]).
Shape reduction_dims(const Shape& dims, std::int64_t ndim, const char* op);

// The shape after reducing `dims` (sorted, unique) of `sizes`.
Shape reduced_shape(const Shape& sizes, const Shape& dims, bool keepdim);

Tensor sum(const Tensor& x, const Shape& dims, bool keepdim);
Tensor mean(const Tensor& x, const Shape& dims, bool keepdim);
// Max over one dim: values and the int64 index of the first maximum (NaN counts as maximal).
std::tuple<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim);
// The gradient of max(dim): zeros of `sizes` with g placed at `indices` along `dim`.
Tensor index_put_along(const Tensor& g, const Tensor& indices, const Shape& sizes, std::int64_t dim, bool keepdim);

// Max over everything (a 0-dim tensor); NaN if any element is NaN.
Tensor max_all(const Tensor& x);
Tensor argmax_all(const Tensor& x);

// max |x[i]| over n contiguous values, NaN if any is NaN (so `<= finite max` tests finiteness).
float largest_magnitude(const float* x, std::int64_t n);
double largest_magnitude(const double* x, std::int64_t n);

// Sums x down to `shape`, which x's shape broadcasts from: the gradient of a broadcast.
Tensor sum_to(const Tensor& x, const Shape& shape);

// x viewed with `dims` moved last and made contiguous: a [rows, cols] matrix whose rows are the
// elements to reduce together. Shared by reductions and softmax.
Tensor move_dims_last(const Tensor& x, const Shape& dims);

}  // namespace atrous::native
