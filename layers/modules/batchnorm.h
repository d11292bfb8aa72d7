// SPDX-License-Identifier: Apache-2.0
// BatchNorm1d / BatchNorm2d: normalise per channel with the batch statistics while training
// (updating running_mean / running_var with `momentum`) and with the running statistics in eval.
#pragma once

#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"

namespace atrous::nn {

class BatchNormOptions {
 public:
  BatchNormOptions(const std::int64_t num_features) : num_features_(num_features) {}  // NOLINT
  BatchNormOptions& eps(const double v) { return eps_ = v, *this; }
  /// Weight of the newest batch in the running statistics. Default 0.1.
  BatchNormOptions& momentum(const double v) { return momentum_ = v, *this; }
  BatchNormOptions& affine(const bool v) { return affine_ = v, *this; }
  BatchNormOptions& track_running_stats(const bool v) { return track_running_stats_ = v, *this; }
  std::int64_t num_features() const noexcept { return num_features_; }
  double eps() const noexcept { return eps_; }
  double momentum() const noexcept { return momentum_; }
  bool affine() const noexcept { return affine_; }
  bool track_running_stats() const noexcept { return track_running_stats_; }

 private:
  std::int64_t num_features_;
  double eps_ = 1e-5, momentum_ = 0.1;
  bool affine_ = true, track_running_stats_ = true;
};

template <std::size_t D>
class BatchNormImpl : public Cloneable<BatchNormImpl<D>> {
 public:
  explicit BatchNormImpl(BatchNormOptions options);
  Tensor forward(const Tensor& input);
  void reset() override;
  void reset_running_stats();
  void reset_parameters();
  void pretty_print(std::ostream& os) const override;

  BatchNormOptions options;
  Tensor weight, bias;                                    // (C), when affine
  Tensor running_mean, running_var, num_batches_tracked;  // buffers, when tracking
};

using BatchNorm1dImpl = BatchNormImpl<1>;
using BatchNorm2dImpl = BatchNormImpl<2>;

class BatchNorm1d : public ModuleHolder<BatchNorm1dImpl> {
 public:
  using ModuleHolder<BatchNorm1dImpl>::ModuleHolder;
};
class BatchNorm2d : public ModuleHolder<BatchNorm2dImpl> {
 public:
  using ModuleHolder<BatchNorm2dImpl>::ModuleHolder;
};

}  // namespace atrous::nn
