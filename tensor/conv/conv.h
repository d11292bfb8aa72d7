// SPDX-License-Identifier: Apache-2.0
// Convolution kernels below autograd: forward, grad_input, grad_weight and grad_bias for 1-D
// and 2-D convolutions with any padding mode (read through index maps, never padded copies).
// Each pass takes the direct path (direct_conv.h) when it pays, else the packed implicit GEMM.
// Inputs are validated by check_conv_forward first.
#pragma once

#include "atrous/tensor/conv/conv_params.h"
#include "atrous/tensor/tensor.h"

namespace atrous::native {

Tensor conv_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& params);
Tensor conv_backward_input(const Tensor& grad_output, const Tensor& weight, const Shape& input_sizes,
                           const ConvParams& params);
Tensor conv_backward_weight(const Tensor& grad_output, const Tensor& input, const Shape& weight_sizes,
                            const ConvParams& params);
Tensor conv_backward_bias(const Tensor& grad_output);

}  // namespace atrous::native
