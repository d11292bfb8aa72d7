// SPDX-License-Identifier: Apache-2.0
// Convolutions whose padding, stride or dilation dwarf their data — a pad of 1e7 around an 8×8
// input read through a dilation of 1e7 — and which the dense kernels would plan over the whole
// padded plane (conv_is_compact, conv_plan.h). These kernels loop over outputs and taps through
// per-axis tap tables (output × kernel entries), so time and memory follow the output, the input
// and the weight, never the pad or stride values. Padded zeros are multiplied like data, as the
// dense kernels and PyTorch do (an infinite weight on a padded tap gives NaN). Tasks own whole
// output, dX or dW planes and sum in one fixed order: bit-identical for any thread count.
#pragma once

#include "atrous/tensor/conv/conv_params.h"
#include "atrous/tensor/tensor.h"

namespace atrous::native {

// The contracts of conv_forward, conv_backward_input and conv_backward_weight (conv.h).
Tensor scattered_conv_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& params);
Tensor scattered_conv_backward_input(const Tensor& grad_output, const Tensor& weight, const Shape& input_sizes,
                                     const ConvParams& params);
Tensor scattered_conv_backward_weight(const Tensor& grad_output, const Tensor& input, const Shape& weight_sizes,
                                      const ConvParams& params);

}  // namespace atrous::native
