// SPDX-License-Identifier: Apache-2.0
// Padding the last one or two dimensions in every mode, and the backward fold that adds the
// gradient of each padded position onto the element it was read from.
#pragma once

#include <vector>

#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous::native {

// PyTorch's F.pad: `pads` = {last_left, last_right[, second_last_left, second_last_right]}.
// Validates PyTorch's limits (reflect pad < size, circular pad <= size, supported ranks) with
// messages that name the dimension and the numbers. kZeros is kConstant with value 0.
// The checks pad() makes, on a shape: PyTorch's limits per mode and supported ranks.
void check_pad(const Shape& sizes, const std::vector<std::int64_t>& pads, PadMode mode);

Tensor pad(const Tensor& x, const std::vector<std::int64_t>& pads, PadMode mode, double value = 0.0);

// The gradient of pad: grad has the padded shape; returns the gradient of x (shape `sizes`).
Tensor pad_backward(const Tensor& grad, const Shape& sizes, const std::vector<std::int64_t>& pads, PadMode mode);

}  // namespace atrous::native
