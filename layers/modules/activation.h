// Activation modules: ReLU, LeakyReLU, Tanh, Sigmoid, GELU.
#pragma once

#include "layers/module.h"
#include "layers/module_holder.h"
#include "layers/options/linear.h"

namespace atrous::nn {

class ReLUImpl : public Module {
 public:
  ReLUImpl() : Module("ReLU") {}
  Tensor forward(const Tensor& input) { return input.relu(); }
};

class TanhImpl : public Module {
 public:
  TanhImpl() : Module("Tanh") {}
  Tensor forward(const Tensor& input) { return input.tanh(); }
};

class SigmoidImpl : public Module {
 public:
  SigmoidImpl() : Module("Sigmoid") {}
  Tensor forward(const Tensor& input) { return input.sigmoid(); }
};

class GELUImpl : public Module {
 public:
  GELUImpl() : Module("GELU") {}
  Tensor forward(const Tensor& input) { return gelu(input); }
  void pretty_print(std::ostream& os) const override;
};

class LeakyReLUImpl : public Module {
 public:
  explicit LeakyReLUImpl(LeakyReLUOptions opts = {}) : Module("LeakyReLU"), options(opts) {}
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
