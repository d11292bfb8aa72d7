// SPDX-License-Identifier: Apache-2.0
// Linear (y = x·Wᵀ + b), Identity and Flatten.
#pragma once

#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"
#include "atrous/layers/options/linear.h"

namespace atrous::nn {

class LinearImpl : public Cloneable<LinearImpl> {
 public:
  explicit LinearImpl(LinearOptions options);
  LinearImpl(std::int64_t in_features, std::int64_t out_features)
      : LinearImpl(LinearOptions(in_features, out_features)) {}
  Tensor forward(const Tensor& input);
  void reset() override;
  // Weight and bias from U(−1/√in, 1/√in), as PyTorch.
  void reset_parameters();
  void pretty_print(std::ostream& os) const override;

  LinearOptions options;
  Tensor weight;  // (out_features, in_features)
  Tensor bias;    // (out_features), undefined without bias
};

class Linear : public ModuleHolder<LinearImpl> {
 public:
  using ModuleHolder<LinearImpl>::ModuleHolder;
};

class IdentityImpl : public Cloneable<IdentityImpl> {
 public:
  IdentityImpl() : Cloneable("Identity") {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return input; }
};

class Identity : public DefaultModuleHolder<IdentityImpl> {
 public:
  using DefaultModuleHolder<IdentityImpl>::DefaultModuleHolder;
};

class FlattenImpl : public Cloneable<FlattenImpl> {
 public:
  explicit FlattenImpl(FlattenOptions opts = {}) : Cloneable("Flatten"), options(opts) {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return input.flatten(options.start_dim(), options.end_dim()); }
  void pretty_print(std::ostream& os) const override;

  FlattenOptions options;
};

class Flatten : public DefaultModuleHolder<FlattenImpl> {
 public:
  using DefaultModuleHolder<FlattenImpl>::DefaultModuleHolder;
};

}  // namespace atrous::nn
