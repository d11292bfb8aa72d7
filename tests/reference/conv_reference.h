// SPDX-License-Identifier: Apache-2.0
// The oracle for every convolution kernel: the textbook definition in float64 loops, with its
// own padding index rules, sharing no code with the library's kernels. Slow by design.
#pragma once

#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous::reference {

struct ConvConfig {
  std::size_t dims = 2;                           // 1 or 2 spatial dimensions
  Shape stride, dilation, pad_before, pad_after;  // per spatial dim
  std::int64_t groups = 1;
  PadMode mode = PadMode::Zeros;
};

struct ConvGrads {
  Tensor input, weight, bias;  // float64
};

// y[n, co, o...] = b[co] + Σ_{c, taps} w[co, c, taps] · X[n, g·Cg + c, o·s − p_before + tap·d],
// X being the input padded per `mode`. Batched input; float64 result.
Tensor conv_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvConfig& cfg);

// Gradients of sum(y ⊙ grad_output) by the scatter form of the same sum.
ConvGrads conv_backward(const Tensor& input, const Tensor& weight, const Tensor& grad_output, const ConvConfig& cfg,
                        bool has_bias);

// The padded coordinate's source on an axis of size n, or -1 for zero (independent of pad_index.h).
std::int64_t reference_pad_source(PadMode mode, std::int64_t t, std::int64_t n);

}  // namespace atrous::reference
