// SPDX-License-Identifier: Apache-2.0
// Depthwise and narrow-group convolution: groups of at most kNarrowChannels source and output
// channels (MobileNet's and ConvNeXt's depthwise layers, Conformer's depthwise Conv1d, ResNeXt's
// 4-channel groups). The GEMM kernels would run their MR × NR micro-kernel on one-channel panels,
// mostly padding; here output pixels fill the vector lanes instead. On the phase grid of
// direct_conv.h every tap is a constant shift of the pixel index, so a vector of consecutive grid
// positions times one broadcast weight is one tap for that many pixels: taps and the few channels
// are unrolled over registers, the bands are the same copies through the padding maps as the
// direct path's, so every padding mode, stride and dilation (and grad_input's phases) come alike.
#pragma once

#include <cstddef>
#include <cstdint>

#include "atrous/tensor/conv/direct_conv.h"

namespace atrous::native {

// Channels per group, each way, up to which a plan is narrow: at 8 per group these kernels still
// win (a forward 2.2 against 4.1 ms), at 16 the direct path's fwd+bwd is faster
// (bench/README.md, "Tuning constants").
inline constexpr std::int64_t kNarrowChannels = 8;
// Grid positions per task: a multiple of every target's vector block (4 vectors of 16 floats);
// a 56 × 58 plane is 4 tasks per channel.
inline constexpr std::int64_t kLaneTile = 1024;

// Whether `p` is narrow (at most kNarrowChannels source and output channels per group) and a
// task's bands fit the direct path's per-thread workspace.
bool depthwise_conv_applies(const DirectConvPlan& p, std::size_t element_size);

// direct_conv's contract (direct_conv.h) for a plan depthwise_conv_applies to. Every output sums
// bias, then (source channel, tap) in order, as the GEMM paths do.
void depthwise_conv(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out);
void depthwise_conv(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out);

// direct_conv_weight's contract for a forward plan depthwise_conv_applies to: per weight, a
// reduction over (image, pixel) in fixed ranges with partial sums added in range order.
void depthwise_conv_weight(const DirectConvPlan& p, const float* x, const float* gy, float* gw);
void depthwise_conv_weight(const DirectConvPlan& p, const double* x, const double* gy, double* gw);

}  // namespace atrous::native
