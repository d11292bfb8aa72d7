// SPDX-License-Identifier: Apache-2.0
// softmax and log_softmax along one dimension, computed stably (shifted by the row maximum).
#pragma once

#include "atrous/tensor/tensor.h"

namespace atrous::native {

Tensor softmax(const Tensor& x, std::int64_t dim, bool log);

}  // namespace atrous::native
