// SPDX-License-Identifier: Apache-2.0
// nn::functional::pad, PyTorch's F.pad: the last dimension's pads come first.
//
//   F::pad(x, F::PadFuncOptions({1, 1, 2, 0}).mode(atrous::kReflect))
#pragma once

#include "atrous/autograd/ops/conv.h"
#include "atrous/layers/options/padding.h"

namespace atrous::nn::functional {

inline Tensor pad(const Tensor& input, const PadFuncOptions& options) {
  return autograd::pad(input, options.pad(), options.mode(), options.value());
}

// The form with the pads given apart from the options: pad(x, {1, 1}, PadFuncOptions().mode(kReflect)).
inline Tensor pad(const Tensor& input, const std::vector<std::int64_t>& pads, const PadFuncOptions& options = {}) {
  return autograd::pad(input, pads, options.mode(), options.value());
}

}  // namespace atrous::nn::functional
