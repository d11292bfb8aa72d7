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

}  // namespace functional

DropoutImpl::DropoutImpl(DropoutOptions opts) : Module("Dropout"), options(opts) {
  check_arg(options.p() >= 0.0 && options.p() <= 1.0, "Dropout", "dropout probability has to be between 0 and 1, but got ",
            options.p());
}

Tensor DropoutImpl::forward(const Tensor& input) { return functional::dropout(input, options.p(), is_training()); }

void DropoutImpl::pretty_print(std::ostream& os) const { os << "Dropout(p=" << options.p() << ", inplace=False)"; }

}  // namespace atrous::nn
