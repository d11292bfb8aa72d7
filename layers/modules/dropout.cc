#include "layers/modules/dropout.h"

#include <ostream>

#include "tensor/random.h"

namespace atrous::nn {

namespace functional {

Tensor dropout(const Tensor& input, const double p, const bool training) {
  check_arg(p >= 0.0 && p <= 1.0, "dropout", "dropout probability has to be between 0 and 1, but got ", p);
  if (!training || p == 0.0) return input;
  if (p == 1.0) return input * 0.0;
  return input * (bernoulli(input.sizes(), 1.0 - p, input.dtype()) * (1.0 / (1.0 - p)));
}

Tensor dropout(const Tensor& input, const DropoutFuncOptions& options) {
  return dropout(input, options.p(), options.training());
}

Tensor dropout2d(const Tensor& input, const Dropout2dFuncOptions& options) {
  const double p = options.p();
  check_arg(p >= 0.0 && p <= 1.0, "dropout2d", "dropout probability has to be between 0 and 1, but got ", p);
  check_arg(input.dim() == 3 || input.dim() == 4, "dropout2d",
            "expected a 4-D (N, C, H, W) or 3-D (N, C, L) input, got shape ", shape_str(input.sizes()));
  if (!options.training() || p == 0.0) return input;
  if (p == 1.0) return input * 0.0;
  Shape mask_shape(input.sizes().size(), 1);
  mask_shape[0] = input.size(0);
  mask_shape[1] = input.size(1);
  return input * (bernoulli(mask_shape, 1.0 - p, input.dtype()) * (1.0 / (1.0 - p)));
}

}  // namespace functional

DropoutImpl::DropoutImpl(DropoutOptions opts) : Cloneable("Dropout"), options(opts) {
  check_arg(options.p() >= 0.0 && options.p() <= 1.0, "Dropout",
            "dropout probability has to be between 0 and 1, but got ", options.p());
}

Tensor DropoutImpl::forward(const Tensor& input) { return functional::dropout(input, options.p(), is_training()); }

Dropout2dImpl::Dropout2dImpl(Dropout2dOptions opts) : Cloneable("Dropout2d"), options(opts) {
  check_arg(options.p() >= 0.0 && options.p() <= 1.0, "Dropout2d",
            "dropout probability has to be between 0 and 1, but got ", options.p());
}

Tensor Dropout2dImpl::forward(const Tensor& input) {
  return functional::dropout2d(input, functional::Dropout2dFuncOptions().p(options.p()).training(is_training()));
}

void Dropout2dImpl::pretty_print(std::ostream& os) const { os << "Dropout2d(p=" << options.p() << ", inplace=False)"; }

void DropoutImpl::pretty_print(std::ostream& os) const { os << "Dropout(p=" << options.p() << ", inplace=False)"; }

}  // namespace atrous::nn
