// SPDX-License-Identifier: Apache-2.0
// Matrix products with torch.matmul's rules: dot, matrix-vector, matrix-matrix and batched
// products whose batch dimensions broadcast.
#pragma once

#include "atrous/tensor/tensor.h"

namespace atrous::native {

Tensor matmul(const Tensor& a, const Tensor& b);

}  // namespace atrous::native
