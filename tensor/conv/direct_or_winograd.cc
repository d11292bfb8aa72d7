// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/direct_or_winograd.h"

#include <vector>

#include "atrous/tensor/conv/depthwise_conv.h"
#include "atrous/tensor/conv/winograd_conv.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {
namespace {

template <typename T>
void conv_direct_or_winograd_t(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  if (depthwise_conv_applies(p, sizeof(T))) {
    profile::note_path("depthwise");
    return depthwise_conv(p, src, w, bias, out);
  }
  const std::vector<DirectConvPlan> plans = winograd_plans(p, sizeof(T));
  if (!plans.empty() && winograd_conv(plans, src, w, bias, out)) return;
  profile::note_path("direct");
  direct_conv(p, src, w, bias, out);
}

}  // namespace

void conv_direct_or_winograd(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  conv_direct_or_winograd_t(p, src, w, bias, out);
}
void conv_direct_or_winograd(const DirectConvPlan& p, const double* src, const double* w, const double* bias,
                             double* out) {
  conv_direct_or_winograd_t(p, src, w, bias, out);
}

}  // namespace atrous::native
