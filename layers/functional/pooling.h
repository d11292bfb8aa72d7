// SPDX-License-Identifier: Apache-2.0
// nn::functional pooling: max_pool1d/2d, avg_pool1d/2d, adaptive_avg_pool2d.
#pragma once

#include <functional>
#include <string>

#include "atrous/autograd/ops/pool.h"
#include "atrous/layers/options/pooling.h"

namespace atrous::nn::functional {

namespace detail {
// (N, C, L) / unbatched inputs run as 2-D pooling with height 1; (C, H, W) as a batch of one.
Tensor pool_nd(const std::string& op, std::size_t dims, const Tensor& input,
               const std::function<Tensor(const Tensor&)>& pool4d);
native::PoolParams pool_params(const Shape& kernel, const Shape& stride, const Shape& padding, const Shape& dilation,
                               bool ceil_mode, bool count_include_pad);
}  // namespace detail

Tensor max_pool1d(const Tensor& input, const MaxPool1dOptions& options);
Tensor max_pool2d(const Tensor& input, const MaxPool2dOptions& options);
Tensor avg_pool1d(const Tensor& input, const AvgPool1dOptions& options);
Tensor avg_pool2d(const Tensor& input, const AvgPool2dOptions& options);
Tensor adaptive_avg_pool2d(const Tensor& input, const AdaptiveAvgPool2dOptions& options);

}  // namespace atrous::nn::functional
