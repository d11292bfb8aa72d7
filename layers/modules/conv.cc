// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/modules/conv.h"

#include <cmath>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/functional/conv.h"
#include "atrous/layers/init.h"
#include "atrous/tensor/conv/conv_params.h"
#include "atrous/tensor/factory.h"

namespace atrous::nn {

template <std::size_t D>
ConvNdImpl<D>::ConvNdImpl(ConvOptions<D> opts)
    : Cloneable<ConvNdImpl<D>>(ConvOptions<D>::name()), options(std::move(opts)) {
  reset();
}

template <std::size_t D>
void ConvNdImpl<D>::reset() {
  const std::string op = ConvOptions<D>::name();
  const std::int64_t g = options.groups();
  // PyTorch's constructor checks, in its order, with the numbers added.
  check_arg(options.in_channels() % g == 0, op.c_str(),
            "in_channels must be divisible by groups, got in_channels=", options.in_channels(), ", groups=", g, " (",
            options.in_channels(), " % ", g, " = ", options.in_channels() % g, ")");
  check_arg(options.out_channels() % g == 0, op.c_str(),
            "out_channels must be divisible by groups, got out_channels=", options.out_channels(), ", groups=", g, " (",
            options.out_channels(), " % ", g, " = ", options.out_channels() % g, ")");
  if (options.padding().kind == PaddingKind::Same) {
    for (const std::int64_t s : options.stride()) {
      check_arg(s == 1, op.c_str(), "padding='same' is not supported for strided convolutions, got stride=",
                native::tuple_str(options.stride()));
    }
  }
  Shape wshape{options.out_channels(), options.in_channels() / g};
  wshape.insert(wshape.end(), options.kernel_size().begin(), options.kernel_size().end());
  weight = this->register_parameter("weight", atrous::empty(wshape));
  bias = this->register_parameter("bias", options.bias() ? zeros({options.out_channels()}) : Tensor());
  reset_parameters();
}

template <std::size_t D>
void ConvNdImpl<D>::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));  // = U(−1/√fan_in, 1/√fan_in)
  if (bias.defined()) {
    const std::int64_t fan_in = init::calculate_fan_in_and_fan_out(weight).first;
    if (fan_in > 0) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
      init::uniform_(bias, -bound, bound);
    }
  }
}

template <std::size_t D>
Tensor ConvNdImpl<D>::forward(const Tensor& input) {
  return functional::detail::conv_nd(ConvOptions<D>::name(), D, input, weight, bias, options.stride(),
                                     options.padding(), options.dilation(), options.groups(), options.padding_mode());
}

template <std::size_t D>
void ConvNdImpl<D>::pretty_print(std::ostream& os) const {
  const ResolvedPadding& p = options.padding();
  os << this->name() << "(" << options.in_channels() << ", " << options.out_channels()
     << ", kernel_size=" << native::tuple_str(options.kernel_size())
     << ", stride=" << native::tuple_str(options.stride());
  if (p.kind == PaddingKind::Same)
    os << ", padding=same";
  else if (p.kind == PaddingKind::Valid)
    os << ", padding=valid";
  else if (p.kind == PaddingKind::Causal)
    os << ", padding=causal";
  else if (p.values != Shape(D, 0))
    os << ", padding=" << native::tuple_str(p.values);
  if (options.dilation() != Shape(D, 1)) os << ", dilation=" << native::tuple_str(options.dilation());
  if (options.groups() != 1) os << ", groups=" << options.groups();
  if (!options.bias()) os << ", bias=False";
  if (options.padding_mode() != PadMode::Zeros) os << ", padding_mode=" << pad_mode_name(options.padding_mode());
  os << ")";
}

template class ConvNdImpl<1>;
template class ConvNdImpl<2>;

}  // namespace atrous::nn
