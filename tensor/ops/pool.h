// SPDX-License-Identifier: Apache-2.0
// Pooling kernels (max, average, adaptive average) over the last two dimensions, with their
// backward passes; 1-D pooling runs as 2-D with height 1. Inputs are (N, C, H, W) contiguous.
#pragma once

#include <cstdint>

#include "atrous/tensor/tensor.h"

namespace atrous::native {

struct PoolParams {
  std::int64_t kH = 1, kW = 1, sH = 1, sW = 1, pH = 0, pW = 0, dH = 1, dW = 1;
  bool ceil_mode = false;
  bool count_include_pad = true;  // average pooling
};

// PyTorch's pooling_output_shape: floor or ceil of (I + 2p − d·(k − 1) − 1)/s + 1, where a
// ceil-mode window must start inside the input or its left padding.
std::int64_t pool_output_size(std::int64_t input, std::int64_t kernel, std::int64_t pad, std::int64_t stride,
                              std::int64_t dilation, bool ceil_mode);

// A pooling's output plane.
struct PoolSize {
  std::int64_t height, width;
};

// Validates and returns the output plane; `op` names the caller.
PoolSize check_pool(const char* op, const Tensor& x, const PoolParams& p);

// Max pooling: values and the flat index (h·W + w) of each window's first maximum (NaN wins).
// Indices are int32 for float32 planes under 2^31 elements (one index lane per value lane, half
// the memory a saved index tensor holds), int64 otherwise; the backward takes either.
std::pair<Tensor, Tensor> max_pool2d(const Tensor& x, const PoolParams& p);
Tensor max_pool2d_backward(const Tensor& grad, const Tensor& indices, const Shape& input_sizes);

Tensor avg_pool2d(const Tensor& x, const PoolParams& p);
Tensor avg_pool2d_backward(const Tensor& grad, const Shape& input_sizes, const PoolParams& p);

// Adaptive average pooling to (OH, OW): bin i covers [floor(i·H/OH), ceil((i+1)·H/OH)).
Tensor adaptive_avg_pool2d(const Tensor& x, std::int64_t OH, std::int64_t OW);
Tensor adaptive_avg_pool2d_backward(const Tensor& grad, const Shape& input_sizes);

}  // namespace atrous::native
