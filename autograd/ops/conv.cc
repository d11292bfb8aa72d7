// Convolution and padding with their gradients right below: grad_input is the transposed
// convolution, grad_weight the correlation of input and grad_output, grad_bias a sum, and
// pad's gradient folds padded positions back onto their sources.
#include "autograd/ops/conv.h"

#include "autograd/node.h"
#include "tensor/conv/conv.h"
#include "tensor/conv/pad.h"

namespace atrous::autograd {

Tensor pad(const Tensor& input, const std::vector<std::int64_t>& pads, const PadMode mode, const double value) {
  check_arg(mode == PadMode::Constant || mode == PadMode::Zeros || value == 0.0, "pad", "Padding mode \"",
            pad_mode_name(mode), "\" doesn't take in value argument, got value=", value);
  return record("PadBackward0", {input}, native::pad(input, pads, mode, value),
                [sizes = input.sizes(), pads, mode](const Tensor& g) {
                  return std::vector<Tensor>{native::pad_backward(g, sizes, pads, mode)};
                });
}

Tensor convolution(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                   const native::ConvParams& params) {
  native::check_conv_forward(op, input, weight, bias, params);
  Tensor x = input;
  native::ConvParams p = params;
  if (p.mode != PadMode::Zeros) {
    // F.pad order: the last spatial dim's pair first.
    std::vector<std::int64_t> pads;
    for (std::int64_t d = p.dims - 1; d >= 0; --d) {
      pads.push_back(p.pad_before[static_cast<std::size_t>(d)]);
      pads.push_back(p.pad_after[static_cast<std::size_t>(d)]);
    }
    x = pad(input, pads, p.mode);
    p.pad_before.assign(p.pad_before.size(), 0);
    p.pad_after.assign(p.pad_after.size(), 0);
    p.mode = PadMode::Zeros;
  }
  const bool need_x = x.requires_grad(), need_w = weight.requires_grad();
  const bool need_b = bias.defined() && bias.requires_grad();
  return record("ConvolutionBackward0", {x, weight, bias}, native::conv_forward(x, weight, bias, p),
                [sx = SavedTensor(x), sw = SavedTensor(weight), p, need_x, need_w, need_b](const Tensor& g) {
                  const Tensor xv = sx.unpack(), wv = sw.unpack();
                  return std::vector<Tensor>{
                      need_x ? native::conv_backward_input(g, wv, xv.sizes(), p) : Tensor(),
                      need_w ? native::conv_backward_weight(g, xv, wv.sizes(), p) : Tensor(),
                      need_b ? native::conv_backward_bias(g) : Tensor()};
                });
}

}  // namespace atrous::autograd
