// SPDX-License-Identifier: Apache-2.0
// Batch normalisation kernels over (N, C, *) inputs: one pass per channel for the statistics and
// one for the output (Highway kernels), and the backward pass in closed form, instead of a chain
// of broadcast ops.
// Each channel is reduced by one thread in a fixed order (accumulating in float64), so results
// do not depend on the thread count.
#pragma once

#include "atrous/tensor/tensor.h"

namespace atrous::native {

struct BatchNormForward {
  Tensor output;
  Tensor mean, invstd;  // (C), in the input's dtype: the statistics the output was normalised with
  Tensor var;           // (C), the biased batch variance (training only; for the running average)
};

// training: normalise with the batch statistics; otherwise with running_mean/running_var.
// weight and bias are (C) or undefined.
BatchNormForward batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                            const Tensor& running_var, bool training, double eps);

struct BatchNormGrads {
  Tensor input, weight, bias;  // undefined where not asked for
};

// Gradients given the statistics batch_norm returned; with training the batch statistics depend
// on x, which adds PyTorch's mean-subtraction terms to grad_input.
BatchNormGrads batch_norm_backward(const Tensor& grad, const Tensor& x, const Tensor& weight, const Tensor& mean,
                                   const Tensor& invstd, bool training, bool need_input, bool need_weight,
                                   bool need_bias);

}  // namespace atrous::native
