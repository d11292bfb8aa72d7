// SPDX-License-Identifier: Apache-2.0
// Transposed convolution (ConvTranspose1d/2d) below autograd, as the adjoint of the convolution
// with the same stride, padding, dilation and groups, whose weight (in, out/groups, kernel...) it
// takes as that convolution's weight: its forward is that convolution's grad_input, its
// grad_input that convolution's forward, and its grad_weight the same correlation with input and
// grad_output swapped. So every pass runs on the convolution kernels (conv.h), stride phases and
// all, and never builds a zero-stuffed copy of the input.
#pragma once

#include "atrous/tensor/conv/conv_params.h"
#include "atrous/tensor/tensor.h"

namespace atrous::native {

// Inputs are validated by check_conv_transpose_forward (conv_params.h) first.
Tensor conv_transpose_forward(const Tensor& input, const Tensor& weight, const Tensor& bias,
                              const ConvTransposeParams& params);
Tensor conv_transpose_backward_input(const Tensor& grad_output, const Tensor& weight, const Shape& input_sizes,
                                     const ConvTransposeParams& params);
Tensor conv_transpose_backward_weight(const Tensor& grad_output, const Tensor& input, const Shape& weight_sizes,
                                      const ConvTransposeParams& params);

}  // namespace atrous::native
