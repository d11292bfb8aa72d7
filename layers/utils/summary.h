// summary(model, input_shape): a table of every layer of a Sequential model (nested ones
// flattened): output shape, parameters, multiply-adds, and the receptive field, jump and centre
// of one output unit on the input along the last spatial axis (Araujo et al. 2019), with totals
// and activation memory. Beyond torchinfo: the receptive-field columns.
#pragma once

#include <string>

#include "layers/module.h"

namespace atrous::utils {

std::string summary(nn::Module& model, const Shape& input_shape, ScalarType dtype = kFloat32);

}  // namespace atrous::utils
