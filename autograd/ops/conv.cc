// SPDX-License-Identifier: Apache-2.0
// Convolution, transposed convolution and padding with their gradients right below: a
// convolution's grad_input is the transposed convolution (and the reverse), grad_weight the
// correlation of input and grad_output, grad_bias a sum, and pad's gradient folds padded
// positions back onto their sources.
#include "atrous/autograd/ops/conv.h"

#include "atrous/autograd/node.h"
#include "atrous/tensor/conv/conv.h"
#include "atrous/tensor/conv/conv_transpose.h"
#include "atrous/tensor/conv/pad.h"

namespace atrous::autograd {

Tensor pad(const Tensor& input, const std::vector<std::int64_t>& pads, const PadMode mode, const double value) {
  check_arg(mode == PadMode::Constant || mode == PadMode::Zeros || value == 0.0, "pad", "Padding mode \"",
            pad_mode_name(mode), "\" doesn't take in value argument, got value=", value);
  return with_last_axis_window(record("PadBackward0", {input}, native::pad(input, pads, mode, value),
                                      [sizes = input.sizes(), pads, mode](const Tensor& g) {
                                        return std::vector<Tensor>{native::pad_backward(g, sizes, pads, mode)};
                                      }),
                               {1, 1, 1, pads.empty() ? 0 : pads[0]});
}

Tensor convolution(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                   const native::ConvParams& params) {
  native::check_conv_forward(op, input, weight, bias, params);
  // Every padding mode is read through index maps by the kernels: no padded copy of the input.
  const Tensor& x = input;
  const native::ConvParams& p = params;
  const bool need_x = x.requires_grad(), need_w = weight.requires_grad();
  const bool need_b = bias.defined() && bias.requires_grad();
  Tensor out =
      record("ConvolutionBackward0", {x, weight, bias}, native::conv_forward(x, weight, bias, p),
             [sx = SavedTensor(x), sw = SavedTensor(weight), p, need_x, need_w, need_b](const Tensor& g) {
               const Tensor xv = sx.unpack(), wv = sw.unpack();
               return std::vector<Tensor>{need_x ? native::conv_backward_input(g, wv, xv.sizes(), p) : Tensor(),
                                          need_w ? native::conv_backward_weight(g, xv, wv.sizes(), p) : Tensor(),
                                          need_b ? native::conv_backward_bias(g) : Tensor()};
             });
  return with_last_axis_window(std::move(out),
                               {weight.size(-1), p.stride.back(), p.dilation.back(), p.pad_before.back()});
}

Tensor convolution_transpose(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                             const native::ConvTransposeParams& params) {
  native::check_conv_transpose_forward(op, input, weight, bias, params);
  const bool need_x = input.requires_grad(), need_w = weight.requires_grad();
  const bool need_b = bias.defined() && bias.requires_grad();
  return record(
      "ConvolutionBackward0", {input, weight, bias}, native::conv_transpose_forward(input, weight, bias, params),
      [sx = SavedTensor(input), sw = SavedTensor(weight), p = params, need_x, need_w, need_b](const Tensor& g) {
        const Tensor xv = sx.unpack(), wv = sw.unpack();
        return std::vector<Tensor>{need_x ? native::conv_transpose_backward_input(g, wv, xv.sizes(), p) : Tensor(),
                                   need_w ? native::conv_transpose_backward_weight(g, xv, wv.sizes(), p) : Tensor(),
                                   need_b ? native::conv_backward_bias(g) : Tensor()};
      });
}

}  // namespace atrous::autograd
