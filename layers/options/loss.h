// SPDX-License-Identifier: Apache-2.0
// Options of the losses, with libtorch's names and defaults; nn::functional takes the same
// classes under its FuncOptions names (F::MSELossFuncOptions is nn::MSELossOptions).
#pragma once

#include <cstdint>

#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous::nn {

// The options every loss has: how to reduce (kMean by default).
template <typename Self>
class LossOptionsBase {
 public:
  Self& reduction(const Reduction v) { return reduction_ = v, static_cast<Self&>(*this); }
  Reduction reduction() const noexcept { return reduction_; }

 private:
  Reduction reduction_ = kMean;
};

class MSELossOptions : public LossOptionsBase<MSELossOptions> {
 public:
  MSELossOptions(const Reduction r = kMean) { reduction(r); }  // NOLINT: implicit, as in libtorch
};

class L1LossOptions : public LossOptionsBase<L1LossOptions> {
 public:
  L1LossOptions(const Reduction r = kMean) { reduction(r); }  // NOLINT: implicit, as in libtorch
};

class NLLLossOptions : public LossOptionsBase<NLLLossOptions> {
 public:
  // A weight per class (C), scaling each sample's loss and the mean's divisor.
  NLLLossOptions& weight(const Tensor& v) { return weight_ = v, *this; }
  NLLLossOptions& ignore_index(const std::int64_t v) { return ignore_index_ = v, *this; }
  const Tensor& weight() const noexcept { return weight_; }
  std::int64_t ignore_index() const noexcept { return ignore_index_; }

 private:
  Tensor weight_;
  std::int64_t ignore_index_ = -100;
};

class CrossEntropyLossOptions : public LossOptionsBase<CrossEntropyLossOptions> {
 public:
  CrossEntropyLossOptions& weight(const Tensor& v) { return weight_ = v, *this; }
  CrossEntropyLossOptions& ignore_index(const std::int64_t v) { return ignore_index_ = v, *this; }
  CrossEntropyLossOptions& label_smoothing(const double v) { return label_smoothing_ = v, *this; }
  const Tensor& weight() const noexcept { return weight_; }
  std::int64_t ignore_index() const noexcept { return ignore_index_; }
  double label_smoothing() const noexcept { return label_smoothing_; }

 private:
  Tensor weight_;
  std::int64_t ignore_index_ = -100;
  double label_smoothing_ = 0.0;
};

class BCELossOptions : public LossOptionsBase<BCELossOptions> {
 public:
  BCELossOptions& weight(const Tensor& v) { return weight_ = v, *this; }
  const Tensor& weight() const noexcept { return weight_; }

 private:
  Tensor weight_;
};

class BCEWithLogitsLossOptions : public LossOptionsBase<BCEWithLogitsLossOptions> {
 public:
  BCEWithLogitsLossOptions& weight(const Tensor& v) { return weight_ = v, *this; }
  // A weight for positive examples, per class (broadcast along the last dimension).
  BCEWithLogitsLossOptions& pos_weight(const Tensor& v) { return pos_weight_ = v, *this; }
  const Tensor& weight() const noexcept { return weight_; }
  const Tensor& pos_weight() const noexcept { return pos_weight_; }

 private:
  Tensor weight_, pos_weight_;
};

class SmoothL1LossOptions : public LossOptionsBase<SmoothL1LossOptions> {
 public:
  SmoothL1LossOptions(const Reduction r = kMean) { reduction(r); }  // NOLINT: implicit, as in libtorch
  SmoothL1LossOptions& beta(const double v) { return beta_ = v, *this; }
  double beta() const noexcept { return beta_; }

 private:
  double beta_ = 1.0;
};

class HuberLossOptions : public LossOptionsBase<HuberLossOptions> {
 public:
  HuberLossOptions(const Reduction r = kMean) { reduction(r); }  // NOLINT: implicit, as in libtorch
  HuberLossOptions& delta(const double v) { return delta_ = v, *this; }
  double delta() const noexcept { return delta_; }

 private:
  double delta_ = 1.0;
};

class KLDivLossOptions : public LossOptionsBase<KLDivLossOptions> {
 public:
  KLDivLossOptions(const Reduction r = kMean) { reduction(r); }  // NOLINT: implicit, as in libtorch
  // Whether the target is given as log-probabilities.
  KLDivLossOptions& log_target(const bool v) { return log_target_ = v, *this; }
  bool log_target() const noexcept { return log_target_; }

 private:
  bool log_target_ = false;
};

namespace functional {
using MSELossFuncOptions = MSELossOptions;
using L1LossFuncOptions = L1LossOptions;
using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
using BinaryCrossEntropyFuncOptions = BCELossOptions;
using BinaryCrossEntropyWithLogitsFuncOptions = BCEWithLogitsLossOptions;
using SmoothL1LossFuncOptions = SmoothL1LossOptions;
using HuberLossFuncOptions = HuberLossOptions;
using KLDivFuncOptions = KLDivLossOptions;
}  // namespace functional

}  // namespace atrous::nn
