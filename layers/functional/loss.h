// Losses with PyTorch's names, reductions (kMean default, kSum, kNone) and formulas.
#pragma once

#include "autograd/ops/loss.h"
#include "tensor/enum.h"
#include "tensor/tensor.h"

namespace atrous::nn::functional {

// nll_loss(log_softmax(input, 1), target) with optional label smoothing ε: the target
// distribution is (1 − ε)·one_hot + ε/C. int64 class targets; ignore_index samples are skipped.
Tensor cross_entropy(const Tensor& input, const Tensor& target, Reduction reduction = kMean,
                     double label_smoothing = 0.0, std::int64_t ignore_index = -100);
Tensor nll_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean,
                std::int64_t ignore_index = -100);
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean);
// −w·(y·log p + (1 − y)·log(1 − p)) on probabilities p in [0, 1], each log clamped at −100 as
// PyTorch does, so p = 0 or 1 gives a finite loss. `weight` (optional) broadcasts to the input.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                            Reduction reduction = kMean);
// max(x, 0) − x·y + log(1 + exp(−|x|)): stable for any logit.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, Reduction reduction = kMean);

}  // namespace atrous::nn::functional
