// SPDX-License-Identifier: Apache-2.0
// The oracle for every convolution kernel: the textbook definition in float64 loops, with its
// own padding index rules, sharing no code with the library's kernels. Slow by design.
#pragma once

#include <gtest/gtest.h>

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

// Transposed convolution by its scatter definition: for every input element and tap landing in
// the output (per axis (I − 1)·s − 2p + d·(k − 1) + output_padding + 1 long, p = pad_before),
// y[n, g·Og + co, i·s − p + t·d] += x[n, g·Cg + c, i] · w[g·Cg + c, co, t]; zero padding only.
Tensor conv_transpose_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvConfig& cfg,
                              const Shape& output_padding);
ConvGrads conv_transpose_backward(const Tensor& input, const Tensor& weight, const Tensor& grad_output,
                                  const ConvConfig& cfg, const Shape& output_padding, bool has_bias);

// Whether a layer's output y and the gradients autograd left in x, weight and bias (if defined)
// match the oracle's within tol, absolute and relative; a failure names the first that does not.
::testing::AssertionResult matches_oracle(const Tensor& y, const Tensor& x, const Tensor& weight, const Tensor& bias,
                                          const Tensor& oracle_y, const ConvGrads& oracle, double tol);

// The padded coordinate's source on an axis of size n, or -1 for zero (independent of pad_index.h).
std::int64_t reference_pad_source(PadMode mode, std::int64_t t, std::int64_t n);

}  // namespace atrous::reference
