// SPDX-License-Identifier: Apache-2.0
// Losses with PyTorch's names, reductions (kMean default, kSum, kNone) and formulas, taking
// either the reduction or libtorch's FuncOptions (layers/options/loss.h).
#pragma once

#include "atrous/autograd/ops/loss.h"
#include "atrous/layers/options/loss.h"
#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous::nn::functional {

// nll_loss(log_softmax(input, 1), target) with optional label smoothing ε: the target
// distribution is (1 − ε)·one_hot + ε/C. int64 class targets; ignore_index samples are skipped.
Tensor cross_entropy(const Tensor& input, const Tensor& target, Reduction reduction = kMean,
                     double label_smoothing = 0.0, std::int64_t ignore_index = -100);
Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyFuncOptions& options);
Tensor nll_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean,
                std::int64_t ignore_index = -100);
// With class weights w: Σ −w[y]·x[y] over kept samples, divided by Σ w[y] for kMean.
Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options);
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean);
Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossFuncOptions& options);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean);
Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossFuncOptions& options);
// −w·(y·log p + (1 − y)·log(1 − p)) on probabilities p in [0, 1], each log clamped at −100 as
// PyTorch does, so p = 0 or 1 gives a finite loss. `weight` (optional) broadcasts to the input.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                            Reduction reduction = kMean);
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const BinaryCrossEntropyFuncOptions& options);
// max(x, 0) − x·y + log(1 + exp(−|x|)): stable for any logit. With pos_weight p it is PyTorch's
// (1 − y)·x + (1 + (p − 1)·y)·(log(1 + exp(−|x|)) + max(−x, 0)).
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, Reduction reduction = kMean);
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BinaryCrossEntropyWithLogitsFuncOptions& options);
// 0.5·d²/β where |d| < β, |d| − 0.5·β elsewhere (β = 0: the L1 loss).
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const SmoothL1LossFuncOptions& options = {});
// 0.5·d² where |d| <= δ, δ·(|d| − 0.5·δ) elsewhere.
Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossFuncOptions& options = {});
// Σ target·(log target − input) with 0·log 0 = 0 (input holds log-probabilities); with
// log_target, exp(target)·(target − input). kBatchMean divides the sum by the batch size.
Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& options = {});

}  // namespace atrous::nn::functional
