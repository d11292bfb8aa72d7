// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/functional/conv.h"

#include "atrous/autograd/ops/conv.h"
#include "atrous/layers/utils/mult_adds.h"
#include "atrous/tensor/conv/geometry.h"

namespace atrous::nn::functional {
namespace detail {

Tensor conv_nd(const std::string& op, const std::size_t dims, const Tensor& input, const Tensor& weight,
               const Tensor& bias, const Shape& stride, const ResolvedPadding& padding, const Shape& dilation,
               const std::int64_t groups, const PadMode mode) {
  const auto d = static_cast<std::int64_t>(dims);
  check_arg(input.dim() == d + 1 || input.dim() == d + 2, op.c_str(), "Expected ", d + 1, "D (unbatched) or ", d + 2,
            "D (batched) input to ", op, ", but got input of size: ", shape_str(input.sizes()));
  check_arg(weight.dim() == d + 2, op.c_str(), "expected a ", d + 2, "-D weight (out_channels, in_channels/groups, ",
            dims == 1 ? "kernel" : "kH, kW", "), but got weight of size ", shape_str(weight.sizes()));
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
  // An unbatched (C, spatial...) input runs as a batch of one and comes back unbatched.
  const bool unbatched = input.dim() == d + 1;
  const Tensor x = unbatched ? input.unsqueeze(0) : input;
  const Tensor y = autograd::convolution(op.c_str(), x, weight, bias, p);
  utils::MultAddCounter::record(y.numel() * (weight.size(0) > 0 ? weight.numel() / weight.size(0) : 0));
  return unbatched ? y.squeeze(0) : y;
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

}  // namespace atrous::nn::functional
