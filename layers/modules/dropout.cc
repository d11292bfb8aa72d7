// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/modules/dropout.h"

#include <ostream>

#include "atrous/tensor/random.h"

namespace atrous::nn {

namespace {

void check_probability(const double p, const char* op) {
  check_arg(p >= 0.0 && p <= 1.0, op, "dropout probability has to be between 0 and 1, but got ", p);
}

// input times a 0/(1/(1−p)) mask of `mask_shape` (broadcast to the input): the one dropout
// mechanism, per element or per channel.
Tensor masked_dropout(const Tensor& input, const Shape& mask_shape, const double p, const bool training,
                      const char* op) {
  check_probability(p, op);
  if (!training || p == 0.0) return input;
  if (p == 1.0) return input * 0.0;
  return input * (bernoulli(mask_shape, 1.0 - p, input.dtype()) * (1.0 / (1.0 - p)));
}

}  // namespace

namespace functional {

Tensor dropout(const Tensor& input, const double p, const bool training) {
  return masked_dropout(input, input.sizes(), p, training, "dropout");
}

Tensor dropout(const Tensor& input, const DropoutFuncOptions& options) {
  return dropout(input, options.p(), options.training());
}

Tensor dropout2d(const Tensor& input, const Dropout2dFuncOptions& options) {
  check_probability(options.p(), "dropout2d");
  check_arg(input.dim() == 3 || input.dim() == 4, "dropout2d",
            "expected a 4-D (N, C, H, W) or 3-D (N, C, L) input, got shape ", shape_str(input.sizes()));
  Shape mask_shape(input.sizes().size(), 1);
  mask_shape[0] = input.size(0);
  mask_shape[1] = input.size(1);
  return masked_dropout(input, mask_shape, options.p(), options.training(), "dropout2d");
}

}  // namespace functional

DropoutImpl::DropoutImpl(DropoutOptions opts) : Cloneable("Dropout"), options(opts) {
  check_probability(options.p(), "Dropout");
}

Tensor DropoutImpl::forward(const Tensor& input) { return functional::dropout(input, options.p(), is_training()); }

Dropout2dImpl::Dropout2dImpl(Dropout2dOptions opts) : Cloneable("Dropout2d"), options(opts) {
  check_probability(options.p(), "Dropout2d");
}

Tensor Dropout2dImpl::forward(const Tensor& input) {
  return functional::dropout2d(input, functional::Dropout2dFuncOptions().p(options.p()).training(is_training()));
}

void Dropout2dImpl::pretty_print(std::ostream& os) const { os << "Dropout2d(p=" << options.p() << ", inplace=False)"; }

void DropoutImpl::pretty_print(std::ostream& os) const { os << "Dropout(p=" << options.p() << ", inplace=False)"; }

}  // namespace atrous::nn
