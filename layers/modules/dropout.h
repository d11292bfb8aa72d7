// SPDX-License-Identifier: Apache-2.0
// Dropout: zeroes elements with probability p while training and scales the rest by 1/(1−p);
// the identity in eval mode. Dropout2d zeroes whole channels (feature maps) instead.
#pragma once

#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"
#include "atrous/layers/options/linear.h"

namespace atrous::nn {

class DropoutImpl : public Cloneable<DropoutImpl> {
 public:
  explicit DropoutImpl(DropoutOptions options = {});
  void reset() override {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& os) const override;
  DropoutOptions options;
};

class Dropout : public DefaultModuleHolder<DropoutImpl> {
 public:
  using DefaultModuleHolder<DropoutImpl>::DefaultModuleHolder;
};

using Dropout2dOptions = DropoutOptions;

// Zeroes each channel of an (N, C, H, W) or (N, C, L) input with probability p, as PyTorch
// 1.13's Dropout2d (a 3-D input is read as (N, C, L)).
class Dropout2dImpl : public Cloneable<Dropout2dImpl> {
 public:
  explicit Dropout2dImpl(Dropout2dOptions options = {});
  void reset() override {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& os) const override;
  Dropout2dOptions options;
};

class Dropout2d : public DefaultModuleHolder<Dropout2dImpl> {
 public:
  using DefaultModuleHolder<Dropout2dImpl>::DefaultModuleHolder;
};

namespace functional {

// F::dropout's options: p (0.5), training (true), inplace (accepted; the result is a new tensor).
class DropoutFuncOptions {
 public:
  DropoutFuncOptions& p(const double v) { return p_ = v, *this; }
  DropoutFuncOptions& training(const bool v) { return training_ = v, *this; }
  DropoutFuncOptions& inplace(const bool v) { return inplace_ = v, *this; }
  double p() const noexcept { return p_; }
  bool training() const noexcept { return training_; }
  bool inplace() const noexcept { return inplace_; }

 private:
  double p_ = 0.5;
  bool training_ = true, inplace_ = false;
};
using Dropout2dFuncOptions = DropoutFuncOptions;

Tensor dropout(const Tensor& input, double p, bool training);
Tensor dropout(const Tensor& input, const DropoutFuncOptions& options = {});
Tensor dropout2d(const Tensor& input, const Dropout2dFuncOptions& options = {});

}  // namespace functional

}  // namespace atrous::nn
