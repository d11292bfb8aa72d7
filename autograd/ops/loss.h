// SPDX-License-Identifier: Apache-2.0
// Losses that need their own node: nll_loss (a gather by class index). The others
// (cross_entropy, mse, l1, bce_with_logits) are composites in layers/functional/loss.
#pragma once

#include <cstdint>

#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous::autograd {

// −input[i, target[i]] per sample of an (N, C) log-probability input (or (C) with a 0-dim
// target), skipping targets equal to ignore_index; kMean divides by the samples not ignored.
Tensor nll_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean,
                std::int64_t ignore_index = -100);

}  // namespace atrous::autograd
