// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/conv_transpose.h"

#include "atrous/tensor/conv/conv.h"
#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/conv/pad.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {
namespace {

// The transposed output's shape (N, C_out, spatial...) for validated arguments.
Shape output_shape(const Shape& input, const Shape& weight, const ConvTransposeParams& t) {
  const ConvParams& p = t.conv;
  Shape out{input[0], weight[1] * p.groups};
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.dims); ++i) {
    out.push_back(conv_transpose_output_size(input[2 + i], weight[2 + i], p.pad_before[i], t.output_padding[i],
                                             p.stride[i], p.dilation[i]));
  }
  return out;
}

// The convolution over the transposed output maps it onto input + output_padding / stride
// elements per axis: more than the input only when output_padding >= stride (allowed up to the
// dilation). Those extra positions carry no gradient, so the input is widened with zeros there.
// Returns the F.pad list, empty when no axis grows.
std::vector<std::int64_t> extra_positions(const ConvTransposeParams& t) {
  std::vector<std::int64_t> pads;
  bool any = false;
  for (std::size_t i = static_cast<std::size_t>(t.conv.dims); i-- > 0;) {
    const std::int64_t extra = t.output_padding[i] / t.conv.stride[i];
    pads.push_back(0);
    pads.push_back(extra);
    any = any || extra > 0;
  }
  return any ? pads : std::vector<std::int64_t>{};
}

Tensor widened(const Tensor& x, const ConvTransposeParams& t) {
  const std::vector<std::int64_t> pads = extra_positions(t);
  return pads.empty() ? x : pad(x, pads, PadMode::Zeros);
}

}  // namespace

Tensor conv_transpose_forward(const Tensor& input, const Tensor& weight, const Tensor& bias,
                              const ConvTransposeParams& t) {
  const profile::Scope scope("conv_transpose_forward");
  const Shape out_sizes = output_shape(input.sizes(), weight.sizes(), t);
  Tensor y = conv_backward_input(widened(input, t), weight, out_sizes, t.conv);
  if (bias.defined() && y.numel() > 0) {
    Shape per_channel(out_sizes.size(), 1);
    per_channel[1] = bias.numel();
    binary_into(BinaryOp::Add, y, y, reshape(bias, per_channel));
  }
  return y;
}

Tensor conv_transpose_backward_input(const Tensor& grad_output, const Tensor& weight, const Shape& input_sizes,
                                     const ConvTransposeParams& t) {
  const profile::Scope scope("conv_transpose_backward_input");
  if (grad_output.numel() == 0) return zeros(input_sizes, grad_output.dtype());
  Tensor gx = conv_forward(grad_output, weight, Tensor(), t.conv);
  for (std::size_t i = 2; i < input_sizes.size(); ++i) {
    if (gx.sizes()[i] != input_sizes[i]) gx = narrow(gx, static_cast<std::int64_t>(i), 0, input_sizes[i]);
  }
  return contiguous(gx);
}

Tensor conv_transpose_backward_weight(const Tensor& grad_output, const Tensor& input, const Shape& weight_sizes,
                                      const ConvTransposeParams& t) {
  const profile::Scope scope("conv_transpose_backward_weight");
  return conv_backward_weight(widened(input, t), grad_output, weight_sizes, t.conv);
}

}  // namespace atrous::native
