// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/modules/conv.h"

#include <cmath>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/functional/conv.h"
#include "atrous/layers/init.h"
#include "atrous/tensor/conv/conv_params.h"
#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/factory.h"

namespace atrous::nn {
namespace {

// PyTorch's constructor checks, in its order, with the numbers added.
void check_divisible_channels(const std::string& op, const std::int64_t in, const std::int64_t out,
                              const std::int64_t g) {
  check_arg(in % g == 0, op.c_str(), "in_channels must be divisible by groups, got in_channels=", in, ", groups=", g,
            " (", in, " % ", g, " = ", in % g, ")");
  check_arg(out % g == 0, op.c_str(), "out_channels must be divisible by groups, got out_channels=", out,
            ", groups=", g, " (", out, " % ", g, " = ", out % g, ")");
}

// U(−1/√fan_in, 1/√fan_in) for both, fan_in = weight.size(1) · prod(kernel): PyTorch's
// kaiming_uniform_(a=√5) and bias bound, for Conv and ConvTranspose alike.
void reset_conv_parameters(const Tensor& weight, const Tensor& bias) {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const std::int64_t fan_in = init::calculate_fan_in_and_fan_out(weight).first;
    if (fan_in > 0) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
      init::uniform_(bias, -bound, bound);
    }
  }
}

// "in, out, kernel_size=..., stride=...": the start of every conv repr.
void print_head(std::ostream& os, const std::string& name, const std::int64_t in, const std::int64_t out,
                const Shape& kernel, const Shape& stride) {
  os << name << "(" << in << ", " << out << ", kernel_size=" << native::tuple_str(kernel)
     << ", stride=" << native::tuple_str(stride);
}

}  // namespace

template <std::size_t D>
ConvNdImpl<D>::ConvNdImpl(ConvOptions<D> opts)
    : Cloneable<ConvNdImpl<D>>(ConvOptions<D>::name()), options(std::move(opts)) {
  reset();
}

template <std::size_t D>
void ConvNdImpl<D>::reset() {
  const std::string op = ConvOptions<D>::name();
  const std::int64_t g = options.groups();
  check_divisible_channels(op, options.in_channels(), options.out_channels(), g);
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
  reset_conv_parameters(weight, bias);
}

template <std::size_t D>
Tensor ConvNdImpl<D>::forward(const Tensor& input) {
  return functional::detail::conv_nd(ConvOptions<D>::name(), D, input, weight, bias, options.stride(),
                                     options.padding(), options.dilation(), options.groups(), options.padding_mode());
}

template <std::size_t D>
void ConvNdImpl<D>::pretty_print(std::ostream& os) const {
  const ResolvedPadding& p = options.padding();
  print_head(os, this->name(), options.in_channels(), options.out_channels(), options.kernel_size(), options.stride());
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

template <std::size_t D>
ConvTransposeNdImpl<D>::ConvTransposeNdImpl(ConvTransposeOptions<D> opts)
    : Cloneable<ConvTransposeNdImpl<D>>(ConvTransposeOptions<D>::name()), options(std::move(opts)) {
  reset();
}

template <std::size_t D>
void ConvTransposeNdImpl<D>::reset() {
  const std::int64_t g = options.groups();
  check_divisible_channels(ConvTransposeOptions<D>::name(), options.in_channels(), options.out_channels(), g);
  Shape wshape{options.in_channels(), options.out_channels() / g};
  wshape.insert(wshape.end(), options.kernel_size().begin(), options.kernel_size().end());
  weight = this->register_parameter("weight", atrous::empty(wshape));
  bias = this->register_parameter("bias", options.bias() ? zeros({options.out_channels()}) : Tensor());
  reset_parameters();
}

template <std::size_t D>
void ConvTransposeNdImpl<D>::reset_parameters() {
  reset_conv_parameters(weight, bias);
}

template <std::size_t D>
Tensor ConvTransposeNdImpl<D>::forward(const Tensor& input, const std::optional<IntArrayRef>& output_size) {
  const std::string op = ConvTransposeOptions<D>::name();
  Shape output_padding = options.output_padding();
  const auto rank = static_cast<std::size_t>(input.dim());
  if (output_size && (rank == D + 1 || rank == D + 2)) {  // other ranks: conv_transpose_nd says what is wrong
    // PyTorch's _output_padding: the output_padding that makes each axis output_size long.
    const std::size_t spatial_at = rank - D;
    Shape wanted = output_size->vec();
    if (wanted.size() == rank) wanted.erase(wanted.begin(), wanted.begin() + static_cast<std::ptrdiff_t>(spatial_at));
    check_arg(wanted.size() == D, op.c_str(), "for a ", input.dim(), "-D input, output_size must have ", D, " or ",
              input.dim(), " elements, got output_size=", shape_str(output_size->vec()));
    Shape lo(D), hi(D), in(D);
    std::string ranges;
    for (std::size_t i = 0; i < D; ++i) {
      in[i] = input.sizes()[spatial_at + i];
      lo[i] = with_op_name(op, [&] {
        return conv_transpose_output_size(in[i], options.kernel_size()[i], options.padding()[i], 0, options.stride()[i],
                                          options.dilation()[i]);
      });
      hi[i] = lo[i] + options.stride()[i] - 1;
      const char* axis = D == 1 ? "length" : i == 0 ? "height" : "width";
      ranges += str_cat(i ? "; " : "", axis, " ",
                        conv_transpose_output_formula(in[i], options.kernel_size()[i], options.padding()[i], 0,
                                                      options.stride()[i], options.dilation()[i]),
                        " to ", lo[i], " + ", options.stride()[i], " - 1 = ", hi[i]);
    }
    for (std::size_t i = 0; i < D; ++i) {
      check_arg(wanted[i] >= lo[i] && wanted[i] <= hi[i], op.c_str(), "requested an output size of ",
                native::tuple_str(wanted), ", but valid sizes range from ", native::tuple_str(lo), " to ",
                native::tuple_str(hi), " (for an input of ", native::tuple_str(in), "; ", ranges, ")");
      output_padding[i] = wanted[i] - lo[i];
    }
  }
  return functional::detail::conv_transpose_nd(op, D, input, weight, bias, options.stride(), options.padding(),
                                               output_padding, options.dilation(), options.groups());
}

template <std::size_t D>
void ConvTransposeNdImpl<D>::pretty_print(std::ostream& os) const {
  print_head(os, this->name(), options.in_channels(), options.out_channels(), options.kernel_size(), options.stride());
  if (options.padding() != Shape(D, 0)) os << ", padding=" << native::tuple_str(options.padding());
  if (options.dilation() != Shape(D, 1)) os << ", dilation=" << native::tuple_str(options.dilation());
  if (options.output_padding() != Shape(D, 0)) os << ", output_padding=" << native::tuple_str(options.output_padding());
  if (options.groups() != 1) os << ", groups=" << options.groups();
  if (!options.bias()) os << ", bias=False";
  os << ")";
}

template class ConvTransposeNdImpl<1>;
template class ConvTransposeNdImpl<2>;

}  // namespace atrous::nn
