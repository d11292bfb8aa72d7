// SPDX-License-Identifier: Apache-2.0
// Formatting tensors exactly as PyTorch's repr does (torch/_tensor_str.py, 1.13): fixed,
// integer or scientific mode chosen from the values, 80-column wrapping, and summarising
// with "..." above 1000 elements. operator<< (autograd/) adds the grad_fn / requires_grad suffix.
#pragma once

#include <string>
#include <vector>

#include "atrous/tensor/tensor.h"

namespace atrous {

// "tensor([...], <suffixes>)", with a dtype suffix for float64 as PyTorch prints one.
std::string tensor_repr(const Tensor& t, const std::vector<std::string>& suffixes = {});

}  // namespace atrous
