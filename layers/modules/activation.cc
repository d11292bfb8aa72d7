// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/modules/activation.h"

#include <ostream>

namespace atrous::nn {

void LeakyReLUImpl::pretty_print(std::ostream& os) const {
  os << "LeakyReLU(negative_slope=" << options.negative_slope() << ")";
}

void GELUImpl::pretty_print(std::ostream& os) const { os << "GELU(approximate='none')"; }

}  // namespace atrous::nn
