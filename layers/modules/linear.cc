// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/modules/linear.h"

#include "atrous/layers/utils/mult_adds.h"

#include <cmath>
#include <ostream>

#include "atrous/layers/init.h"
#include "atrous/tensor/factory.h"

namespace atrous::nn {

LinearImpl::LinearImpl(LinearOptions opts) : Cloneable("Linear"), options(opts) { reset(); }

void LinearImpl::reset() {
  check_arg(options.in_features() >= 0 && options.out_features() >= 0, "Linear",
            "in_features and out_features must be non-negative, got in_features=", options.in_features(),
            ", out_features=", options.out_features());
  weight = register_parameter("weight", empty({options.out_features(), options.in_features()}));
  bias = register_parameter("bias", options.bias() ? zeros({options.out_features()}) : Tensor());
  reset_parameters();
}

void LinearImpl::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined() && options.in_features() > 0) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(options.in_features()));
    init::uniform_(bias, -bound, bound);
  }
}

Tensor LinearImpl::forward(const Tensor& input) {
  check_arg(input.dim() >= 1 && input.size(-1) == options.in_features(), "Linear",
            "expected input with last dimension ", options.in_features(), " (in_features), got shape ",
            shape_str(input.sizes()));
  const Tensor y = input.matmul(weight.t());
  utils::MultAddCounter::record(y.numel() * options.in_features());
  return bias.defined() ? y + bias : y;
}

void LinearImpl::pretty_print(std::ostream& os) const {
  os << "Linear(in_features=" << options.in_features() << ", out_features=" << options.out_features()
     << ", bias=" << (options.bias() ? "True" : "False") << ")";
}

void FlattenImpl::pretty_print(std::ostream& os) const {
  os << "Flatten(start_dim=" << options.start_dim() << ", end_dim=" << options.end_dim() << ")";
}

}  // namespace atrous::nn
