// Dropout: zeroes elements with probability p while training and scales the rest by 1/(1−p);
// the identity in eval mode.
#pragma once

#include "layers/module.h"
#include "layers/module_holder.h"
#include "layers/options/linear.h"

namespace atrous::nn {

class DropoutImpl : public Module {
 public:
  explicit DropoutImpl(DropoutOptions options = {});
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& os) const override;
  DropoutOptions options;
};

class Dropout : public DefaultModuleHolder<DropoutImpl> {
 public:
  using DefaultModuleHolder<DropoutImpl>::DefaultModuleHolder;
};

namespace functional {
Tensor dropout(const Tensor& input, double p, bool training);
}  // namespace functional

}  // namespace atrous::nn
