// SPDX-License-Identifier: Apache-2.0
// Differentiable pooling: max, average and adaptive average over (N, C, H, W) inputs.
#pragma once

#include "atrous/tensor/ops/pool.h"
#include "atrous/tensor/tensor.h"

namespace atrous::autograd {

Tensor max_pool2d(const Tensor& input, const native::PoolParams& params);
Tensor avg_pool2d(const Tensor& input, const native::PoolParams& params);
Tensor adaptive_avg_pool2d(const Tensor& input, std::int64_t output_h, std::int64_t output_w);

}  // namespace atrous::autograd
