// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/modules/pooling.h"

#include <ostream>

#include "atrous/tensor/conv/conv_params.h"

namespace atrous::nn {
namespace {

// PyTorch prints pooling arguments as ints when every dimension agrees, as tuples otherwise.
std::string arg_str(const Shape& v) {
  for (const std::int64_t x : v) {
    if (x != v[0]) return native::tuple_str(v);
  }
  return std::to_string(v[0]);
}

}  // namespace

template <std::size_t D>
Tensor MaxPoolImpl<D>::forward(const Tensor& input) {
  if constexpr (D == 1)
    return functional::max_pool1d(input, options);
  else
    return functional::max_pool2d(input, options);
}

template <std::size_t D>
void MaxPoolImpl<D>::pretty_print(std::ostream& os) const {
  os << this->name() << "(kernel_size=" << arg_str(options.kernel_size()) << ", stride=" << arg_str(options.stride())
     << ", padding=" << arg_str(options.padding()) << ", dilation=" << arg_str(options.dilation())
     << ", ceil_mode=" << (options.ceil_mode() ? "True" : "False") << ")";
}

template <std::size_t D>
Tensor AvgPoolImpl<D>::forward(const Tensor& input) {
  if constexpr (D == 1)
    return functional::avg_pool1d(input, options);
  else
    return functional::avg_pool2d(input, options);
}

template <std::size_t D>
void AvgPoolImpl<D>::pretty_print(std::ostream& os) const {
  os << this->name() << "(kernel_size=" << arg_str(options.kernel_size()) << ", stride=" << arg_str(options.stride())
     << ", padding=" << arg_str(options.padding()) << ")";
}

void AdaptiveAvgPool2dImpl::pretty_print(std::ostream& os) const {
  os << "AdaptiveAvgPool2d(output_size=" << native::tuple_str(options.output_size()) << ")";
}

template class MaxPoolImpl<1>;
template class MaxPoolImpl<2>;
template class AvgPoolImpl<1>;
template class AvgPoolImpl<2>;

}  // namespace atrous::nn
