// SPDX-License-Identifier: Apache-2.0
// Activation modules: ReLU, LeakyReLU, Tanh, Sigmoid, GELU.
#pragma once

#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"
#include "atrous/layers/options/linear.h"

namespace atrous::nn {

class ReLUImpl : public Cloneable<ReLUImpl> {
 public:
  ReLUImpl() : Cloneable("ReLU") {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return input.relu(); }
};

class TanhImpl : public Cloneable<TanhImpl> {
 public:
  TanhImpl() : Cloneable("Tanh") {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return input.tanh(); }
};

class SigmoidImpl : public Cloneable<SigmoidImpl> {
 public:
  SigmoidImpl() : Cloneable("Sigmoid") {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return input.sigmoid(); }
};

class GELUImpl : public Cloneable<GELUImpl> {
 public:
  GELUImpl() : Cloneable("GELU") {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return gelu(input); }
  void pretty_print(std::ostream& os) const override;
};

class LeakyReLUImpl : public Cloneable<LeakyReLUImpl> {
 public:
  explicit LeakyReLUImpl(LeakyReLUOptions opts = {}) : Cloneable("LeakyReLU"), options(opts) {}
  void reset() override {}
  // relu(x) − slope·relu(−x): x for x > 0, slope·x below.
  Tensor forward(const Tensor& input) { return input.relu() - (-input).relu() * options.negative_slope(); }
  void pretty_print(std::ostream& os) const override;

  LeakyReLUOptions options;
};

class ReLU : public DefaultModuleHolder<ReLUImpl> {
 public:
  using DefaultModuleHolder<ReLUImpl>::DefaultModuleHolder;
};
class Tanh : public DefaultModuleHolder<TanhImpl> {
 public:
  using DefaultModuleHolder<TanhImpl>::DefaultModuleHolder;
};
class Sigmoid : public DefaultModuleHolder<SigmoidImpl> {
 public:
  using DefaultModuleHolder<SigmoidImpl>::DefaultModuleHolder;
};
class GELU : public DefaultModuleHolder<GELUImpl> {
 public:
  using DefaultModuleHolder<GELUImpl>::DefaultModuleHolder;
};
class LeakyReLU : public DefaultModuleHolder<LeakyReLUImpl> {
 public:
  using DefaultModuleHolder<LeakyReLUImpl>::DefaultModuleHolder;
};

}  // namespace atrous::nn
