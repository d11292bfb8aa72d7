// SPDX-License-Identifier: Apache-2.0
// Pooling with its gradients right below: max pooling routes each gradient to the window's
// maximum, average pooling spreads it over the window (and its divisor).
#include "atrous/autograd/ops/pool.h"

#include "atrous/autograd/node.h"

namespace atrous::autograd {

Tensor max_pool2d(const Tensor& input, const native::PoolParams& params) {
  std::pair<Tensor, Tensor> pooled = native::max_pool2d(input, params);
  return with_last_axis_window(record("MaxPool2DWithIndicesBackward0", {input}, pooled.first,
                                      [sizes = input.sizes(), indices = pooled.second](const Tensor& g) {
                                        return std::vector<Tensor>{native::max_pool2d_backward(g, indices, sizes)};
                                      }),
                               {params.kW, params.sW, params.dW, params.pW});
}

Tensor avg_pool2d(const Tensor& input, const native::PoolParams& params) {
  return with_last_axis_window(record("AvgPool2DBackward0", {input}, native::avg_pool2d(input, params),
                                      [sizes = input.sizes(), params](const Tensor& g) {
                                        return std::vector<Tensor>{native::avg_pool2d_backward(g, sizes, params)};
                                      }),
                               {params.kW, params.sW, params.dW, params.pW});
}

Tensor adaptive_avg_pool2d(const Tensor& input, const std::int64_t output_h, const std::int64_t output_w) {
  return record("AdaptiveAvgPool2DBackward0", {input}, native::adaptive_avg_pool2d(input, output_h, output_w),
                [sizes = input.sizes()](const Tensor& g) {
                  return std::vector<Tensor>{native::adaptive_avg_pool2d_backward(g, sizes)};
                });
}

}  // namespace atrous::autograd
