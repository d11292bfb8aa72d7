// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/ops/batch_norm.h"

#include "atrous/autograd/node.h"

namespace atrous::autograd {

native::BatchNormForward batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                    const Tensor& running_mean, const Tensor& running_var, const bool training,
                                    const double eps) {
  native::BatchNormForward f = native::batch_norm(input, weight, bias, running_mean, running_var, training, eps);
  const bool need_x = input.requires_grad(), need_w = weight.defined() && weight.requires_grad();
  const bool need_b = bias.defined() && bias.requires_grad();
  f.output = record("NativeBatchNormBackward0", {input, weight, bias}, f.output,
                    [sx = SavedTensor(input), sw = SavedTensor(weight), mean = f.mean, invstd = f.invstd, training,
                     need_x, need_w, need_b](const Tensor& g) {
                      const native::BatchNormGrads grads = native::batch_norm_backward(
                          g, sx.unpack(), sw.unpack(), mean, invstd, training, need_x, need_w, need_b);
                      return std::vector<Tensor>{grads.input, grads.weight, grads.bias};
                    });
  return f;
}

}  // namespace atrous::autograd
