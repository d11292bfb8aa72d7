// SPDX-License-Identifier: Apache-2.0
// The one place the forward and grad_input passes choose, for a plan, among the depthwise
// kernels, Winograd and the direct convolution.
#pragma once

#include "atrous/tensor/conv/direct_conv.h"

namespace atrous::native {

// The convolution `p` describes (direct_conv's contract, direct_conv.h): by depthwise_conv where
// the plan is narrow, by Winograd where winograd_plans takes it and its weights are finite, else
// by direct_conv.
void conv_direct_or_winograd(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out);
void conv_direct_or_winograd(const DirectConvPlan& p, const double* src, const double* w, const double* bias,
                             double* out);

}  // namespace atrous::native
