// SPDX-License-Identifier: Apache-2.0
// summary(model, input_shape): a table of every layer of a Sequential model (nested ones
// flattened): output shape, parameters, multiply-adds, and the receptive field, jump and centre
// of one output unit on the input along the last spatial axis (Araujo et al. 2019), with totals
// and activation memory. Beyond torchinfo: the receptive-field columns.
#pragma once

#include <functional>
#include <string>

#include "atrous/layers/module.h"

namespace atrous::utils {

// `forward` runs the whole model; Sequential models (nested ones too) are broken down layer by
// layer, any other module is one row.
std::string summary(nn::Module& model, const std::function<Tensor(const Tensor&)>& forward, const Shape& input_shape,
                    ScalarType dtype = kFloat32);

// For any module handle: summary(net, {1, 1, 28, 28}).
template <typename Holder>
std::string summary(const Holder& model, const Shape& input_shape, const ScalarType dtype = kFloat32) {
  const auto impl = model.ptr();
  return summary(
      *impl, [impl](const Tensor& x) { return impl->forward(x); }, input_shape, dtype);
}

}  // namespace atrous::utils
