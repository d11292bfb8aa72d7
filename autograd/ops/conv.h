// SPDX-License-Identifier: Apache-2.0
// Differentiable convolution, transposed convolution and padding: the ops behind
// nn::functional::conv1d/conv2d, conv_transpose1d/2d and pad.
#pragma once

#include <vector>

#include "atrous/tensor/conv/conv_params.h"
#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous::autograd {

// A batched convolution (input (N, C, spatial...)) in any padding mode; its gradient folds padded
// positions back onto their source elements. `op` names the caller in error messages.
Tensor convolution(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                   const native::ConvParams& params);

// A batched transposed convolution (input (N, C_in, spatial...), weight (C_in, C_out/groups,
// kernel...)), zero padding; its gradients run on the same kernels as convolution's.
Tensor convolution_transpose(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                             const native::ConvTransposeParams& params);

// PyTorch's F.pad, differentiable.
Tensor pad(const Tensor& input, const std::vector<std::int64_t>& pads, PadMode mode, double value = 0.0);

}  // namespace atrous::autograd
