// SPDX-License-Identifier: Apache-2.0
// ConvParams: a convolution's options resolved to numbers ('same', 'valid' and causal already
// turned into pads), its transposed counterpart's, and the forward-time validation that every
// conv and conv_transpose entry point runs.
#pragma once

#include <cstdint>
#include <string>

#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous::native {

struct ConvParams {
  std::int64_t dims = 2;  // spatial dimensions: 1 (conv1d) or 2 (conv2d)
  Shape stride{1, 1};
  Shape dilation{1, 1};
  Shape pad_before{0, 0};  // per spatial dim: top/left
  Shape pad_after{0, 0};   // per spatial dim: bottom/right
  std::int64_t groups = 1;
  PadMode mode = PadMode::Zeros;  // what fills the pads
};

// A transposed convolution's options: those of the convolution it transposes (zero padding,
// pad_before == pad_after), and output_padding, added to one side of each output axis to pick
// among the sizes that convolution maps onto the same input size; < max(stride, dilation).
struct ConvTransposeParams {
  ConvParams conv;
  Shape output_padding{0, 0};
};

// "(2, 1)": how per-dimension options appear in messages.
std::string tuple_str(const Shape& values);

// Validates a batched input (N, C, spatial...) against weight, bias and params, and returns the
// output shape. Messages start with `op` and give the numbers (and formulas for sizes).
Shape check_conv_forward(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                         const ConvParams& params);

// The same for a transposed convolution: input (N, C_in, spatial...), weight (C_in,
// C_out/groups, kernel...), bias (C_out).
Shape check_conv_transpose_forward(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                                   const ConvTransposeParams& params);

// For the profiler (when recording): the pass's image and weight shapes, and its FLOPs,
// 2·numel(output or grad_output)·(C_in/groups)·prod(kernel), the same for all three passes.
void note_conv_profile(const Shape& image, const Shape& weight, const Shape& output);

}  // namespace atrous::native
