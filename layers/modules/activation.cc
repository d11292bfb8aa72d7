#include "layers/modules/activation.h"

#include <ostream>

namespace atrous::nn {

void LeakyReLUImpl::pretty_print(std::ostream& os) const {
  os << "LeakyReLU(negative_slope=" << options.negative_slope() << ")";
}

}  // namespace atrous::nn
