// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/functional/conv.h"

#include "atrous/autograd/ops/conv.h"
#include "atrous/layers/utils/mult_adds.h"
#include "atrous/tensor/conv/geometry.h"

namespace atrous::nn::functional {
namespace detail {
namespace {

// Batched or unbatched input, and a weight of the matching rank.
void check_ranks(const std::string& op, const std::size_t dims, const Tensor& input, const Tensor& weight,
                 const char* layout) {
  const auto d = static_cast<std::int64_t>(dims);
  check_arg(input.dim() == d + 1 || input.dim() == d + 2, op.c_str(), "Expected ", d + 1, "D (unbatched) or ", d + 2,
            "D (batched) input to ", op, ", but got input of size: ", shape_str(input.sizes()));
  check_arg(weight.dim() == d + 2, op.c_str(), "expected a ", d + 2, "-D weight (", layout, ", ",
            dims == 1 ? "kernel" : "kH, kW", "), but got weight of size ", shape_str(weight.sizes()));
}

// An unbatched (C, spatial...) input runs as a batch of one and comes back unbatched.
template <typename Op>
Tensor batched(const std::size_t dims, const Tensor& input, const Op& run) {
  if (input.dim() == static_cast<std::int64_t>(dims) + 2) return run(input);
  return run(input.unsqueeze(0)).squeeze(0);
}

}  // namespace

Tensor conv_nd(const std::string& op, const std::size_t dims, const Tensor& input, const Tensor& weight,
               const Tensor& bias, const Shape& stride, const ResolvedPadding& padding, const Shape& dilation,
               const std::int64_t groups, const PadMode mode) {
  const auto d = static_cast<std::int64_t>(dims);
  check_ranks(op, dims, input, weight, "out_channels, in_channels/groups");
  native::ConvParams p;
  p.dims = d;
  p.stride = stride;
  p.dilation = dilation;
  p.groups = groups;
  p.mode = mode;
  p.pad_before = p.pad_after = padding.values;
  for (std::size_t i = 0; i < dims; ++i) {
    const std::int64_t k = weight.sizes()[2 + i];
    if (k < 1 || stride.size() != dims || dilation.size() != dims || dilation[i] < 1)
      continue;  // check_conv_forward says what is wrong
    if (padding.kind == PaddingKind::Same) {
      check_arg(stride[i] == 1, op.c_str(),
                "padding='same' is not supported for strided convolutions, got stride=", native::tuple_str(stride),
                " (with stride > 1 no single padding keeps the size; give it explicitly)");
      std::tie(p.pad_before[i], p.pad_after[i]) = with_op_name(op, [&] { return same_padding(k, dilation[i]); });
    } else if (padding.kind == PaddingKind::Causal) {
      std::tie(p.pad_before[i], p.pad_after[i]) = with_op_name(op, [&] { return causal_padding(k, dilation[i]); });
    }
  }
  return batched(dims, input, [&](const Tensor& x) {
    const Tensor y = autograd::convolution(op.c_str(), x, weight, bias, p);
    utils::MultAddCounter::record(y.numel() * (weight.size(0) > 0 ? weight.numel() / weight.size(0) : 0));
    return y;
  });
}

Tensor conv_transpose_nd(const std::string& op, const std::size_t dims, const Tensor& input, const Tensor& weight,
                         const Tensor& bias, const Shape& stride, const Shape& padding, const Shape& output_padding,
                         const Shape& dilation, const std::int64_t groups) {
  check_ranks(op, dims, input, weight, "in_channels, out_channels/groups");
  native::ConvTransposeParams t;
  t.conv.dims = static_cast<std::int64_t>(dims);
  t.conv.stride = stride;
  t.conv.dilation = dilation;
  t.conv.groups = groups;
  t.conv.pad_before = t.conv.pad_after = padding;
  t.output_padding = output_padding;
  return batched(dims, input, [&](const Tensor& x) {
    const Tensor y = autograd::convolution_transpose(op.c_str(), x, weight, bias, t);
    // Each input element meets every tap of its channel's (out/groups) filters once.
    utils::MultAddCounter::record(x.numel() * (weight.size(0) > 0 ? weight.numel() / weight.size(0) : 0));
    return y;
  });
}

}  // namespace detail

Tensor conv1d(const Tensor& input, const Tensor& weight, const Conv1dFuncOptions& o) {
  return detail::conv_nd("conv1d", 1, input, weight, o.bias(), o.stride(), o.padding(), o.dilation(), o.groups(),
                         PadMode::Zeros);
}

Tensor conv2d(const Tensor& input, const Tensor& weight, const Conv2dFuncOptions& o) {
  return detail::conv_nd("conv2d", 2, input, weight, o.bias(), o.stride(), o.padding(), o.dilation(), o.groups(),
                         PadMode::Zeros);
}

Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const ConvTranspose1dFuncOptions& o) {
  return detail::conv_transpose_nd("conv_transpose1d", 1, input, weight, o.bias(), o.stride(), o.padding(),
                                   o.output_padding(), o.dilation(), o.groups());
}

Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const ConvTranspose2dFuncOptions& o) {
  return detail::conv_transpose_nd("conv_transpose2d", 2, input, weight, o.bias(), o.stride(), o.padding(),
                                   o.output_padding(), o.dilation(), o.groups());
}

}  // namespace atrous::nn::functional
