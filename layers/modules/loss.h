// SPDX-License-Identifier: Apache-2.0
// Loss modules with libtorch's names: nn::CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCELoss,
// BCEWithLogitsLoss, SmoothL1Loss, HuberLoss, KLDivLoss. Each holds its options and calls its
// nn::functional form: `nn::CrossEntropyLoss criterion; auto loss = criterion(logits, target);`
#pragma once

#include <ostream>

#include "atrous/layers/functional/loss.h"
#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"

namespace atrous::nn {

template <typename Options>
struct LossTraits;

template <typename Options>
class LossImpl : public Cloneable<LossImpl<Options>> {
 public:
  explicit LossImpl(Options options_ = {})
      : Cloneable<LossImpl<Options>>(LossTraits<Options>::name), options(options_) {}
  void reset() override {}
  Tensor forward(const Tensor& input, const Tensor& target) {
    return LossTraits<Options>::loss(input, target, options);
  }
  Options options;
};

#define ATROUS_LOSS_MODULE(Name, OptionsType, function)                                         \
  template <>                                                                                   \
  struct LossTraits<OptionsType> {                                                              \
    static constexpr const char* name = #Name;                                                  \
    static Tensor loss(const Tensor& input, const Tensor& target, const OptionsType& options) { \
      return functional::function(input, target, options);                                      \
    }                                                                                           \
  };                                                                                            \
  using Name##Impl = LossImpl<OptionsType>;                                                     \
  class Name : public DefaultModuleHolder<Name##Impl> {                                         \
   public:                                                                                      \
    using DefaultModuleHolder<Name##Impl>::DefaultModuleHolder;                                 \
  }

ATROUS_LOSS_MODULE(CrossEntropyLoss, CrossEntropyLossOptions, cross_entropy);
ATROUS_LOSS_MODULE(NLLLoss, NLLLossOptions, nll_loss);
ATROUS_LOSS_MODULE(MSELoss, MSELossOptions, mse_loss);
ATROUS_LOSS_MODULE(L1Loss, L1LossOptions, l1_loss);
ATROUS_LOSS_MODULE(BCELoss, BCELossOptions, binary_cross_entropy);
ATROUS_LOSS_MODULE(BCEWithLogitsLoss, BCEWithLogitsLossOptions, binary_cross_entropy_with_logits);
ATROUS_LOSS_MODULE(SmoothL1Loss, SmoothL1LossOptions, smooth_l1_loss);
ATROUS_LOSS_MODULE(HuberLoss, HuberLossOptions, huber_loss);
ATROUS_LOSS_MODULE(KLDivLoss, KLDivLossOptions, kl_div);

#undef ATROUS_LOSS_MODULE

}  // namespace atrous::nn
