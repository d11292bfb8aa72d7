// SPDX-License-Identifier: Apache-2.0
// ConvParams: a convolution's options resolved to numbers ('same', 'valid' and causal already
// turned into pads), and the forward-time validation that every conv entry point runs.
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

// "(2, 1)": how per-dimension options appear in messages.
std::string tuple_str(const Shape& values);

// Validates a batched input (N, C, spatial...) against weight, bias and params, and returns the
// output shape. Messages start with `op` and give the numbers (and formulas for sizes).
Shape check_conv_forward(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                         const ConvParams& params);

}  // namespace atrous::native
