// SPDX-License-Identifier: Apache-2.0
// Differentiable batch normalisation over (N, C, *) inputs, on the fused kernels of
// tensor/ops/batch_norm.h. The running statistics are the caller's business (BatchNorm modules).
#pragma once

#include "atrous/tensor/ops/batch_norm.h"
#include "atrous/tensor/tensor.h"

namespace atrous::autograd {

// Returns the normalised output and, when training, the batch mean and biased variance (C).
native::BatchNormForward batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                    const Tensor& running_mean, const Tensor& running_var, bool training, double eps);

}  // namespace atrous::autograd
