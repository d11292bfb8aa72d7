// SPDX-License-Identifier: Apache-2.0
// Pooling modules: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool2d.
#pragma once

#include "atrous/layers/functional/pooling.h"
#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"

namespace atrous::nn {

template <std::size_t D>
class MaxPoolImpl : public Cloneable<MaxPoolImpl<D>> {
 public:
  explicit MaxPoolImpl(MaxPoolOptions<D> opts)
      : Cloneable<MaxPoolImpl<D>>(MaxPoolOptions<D>::name()), options(std::move(opts)) {}
  explicit MaxPoolImpl(const IntList& kernel_size) : MaxPoolImpl(MaxPoolOptions<D>(kernel_size)) {}
  void reset() override {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& os) const override;
  MaxPoolOptions<D> options;
};

template <std::size_t D>
class AvgPoolImpl : public Cloneable<AvgPoolImpl<D>> {
 public:
  explicit AvgPoolImpl(AvgPoolOptions<D> opts)
      : Cloneable<AvgPoolImpl<D>>(AvgPoolOptions<D>::name()), options(std::move(opts)) {}
  explicit AvgPoolImpl(const IntList& kernel_size) : AvgPoolImpl(AvgPoolOptions<D>(kernel_size)) {}
  void reset() override {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& os) const override;
  AvgPoolOptions<D> options;
};

class AdaptiveAvgPool2dImpl : public Cloneable<AdaptiveAvgPool2dImpl> {
 public:
  explicit AdaptiveAvgPool2dImpl(AdaptiveAvgPool2dOptions opts)
      : Cloneable("AdaptiveAvgPool2d"), options(std::move(opts)) {}
  explicit AdaptiveAvgPool2dImpl(const IntList& output_size)
      : AdaptiveAvgPool2dImpl(AdaptiveAvgPool2dOptions(output_size)) {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return functional::adaptive_avg_pool2d(input, options); }
  void pretty_print(std::ostream& os) const override;
  AdaptiveAvgPool2dOptions options;
};

using MaxPool1dImpl = MaxPoolImpl<1>;
using MaxPool2dImpl = MaxPoolImpl<2>;
using AvgPool1dImpl = AvgPoolImpl<1>;
using AvgPool2dImpl = AvgPoolImpl<2>;

class MaxPool1d : public ModuleHolder<MaxPool1dImpl> {
 public:
  using ModuleHolder<MaxPool1dImpl>::ModuleHolder;
};
class MaxPool2d : public ModuleHolder<MaxPool2dImpl> {
 public:
  using ModuleHolder<MaxPool2dImpl>::ModuleHolder;
};
class AvgPool1d : public ModuleHolder<AvgPool1dImpl> {
 public:
  using ModuleHolder<AvgPool1dImpl>::ModuleHolder;
};
class AvgPool2d : public ModuleHolder<AvgPool2dImpl> {
 public:
  using ModuleHolder<AvgPool2dImpl>::ModuleHolder;
};
class AdaptiveAvgPool2d : public ModuleHolder<AdaptiveAvgPool2dImpl> {
 public:
  using ModuleHolder<AdaptiveAvgPool2dImpl>::ModuleHolder;
};

}  // namespace atrous::nn
