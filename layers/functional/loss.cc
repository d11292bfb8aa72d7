#include "layers/functional/loss.h"

#include "tensor/factory.h"

namespace atrous::nn::functional {
namespace {

Tensor reduce(const Tensor& per_element, const Reduction reduction) {
  switch (reduction) {
    case Reduction::None: return per_element;
    case Reduction::Sum: return per_element.sum();
    case Reduction::Mean: return per_element.mean();
  }
  return per_element;
}

void check_same_shape(const char* op, const Tensor& input, const Tensor& target) {
  check_arg(input.sizes() == target.sizes(), op, "input of shape ", shape_str(input.sizes()), " and target of shape ",
            shape_str(target.sizes()), " must have the same shape");
}

}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const Reduction reduction, const std::int64_t ignore_index) {
  return autograd::nll_loss(input, target, reduction, ignore_index);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Reduction reduction, const double label_smoothing,
                     const std::int64_t ignore_index) {
  check_arg(label_smoothing >= 0.0 && label_smoothing <= 1.0, "cross_entropy",
            "label_smoothing must be between 0.0 and 1.0, got ", label_smoothing);
  check_arg(input.dim() == 1 || input.dim() == 2, "cross_entropy", "expected input of shape (N, C) or (C), got ",
            shape_str(input.sizes()));
  const std::int64_t class_dim = input.dim() - 1;
  const Tensor logp = input.log_softmax(class_dim);
  const Tensor nll = autograd::nll_loss(logp, target, reduction, ignore_index);
  if (label_smoothing == 0.0) return nll;
  // PyTorch: (1 − ε)·nll + ε·smooth, smooth = −Σ_c logp / C per sample, over non-ignored samples.
  const auto classes = static_cast<double>(input.size(class_dim));
  const Tensor mask = target.ne(ignore_index).to(input.dtype());  // 1 for samples that count
  const Tensor smooth = -(logp.sum({class_dim}) * mask) / classes;
  Tensor smooth_reduced = smooth;
  if (reduction == kSum) smooth_reduced = smooth.sum();
  if (reduction == kMean) smooth_reduced = smooth.sum() / mask.sum();
  return nll * (1.0 - label_smoothing) + smooth_reduced * label_smoothing;
}

Tensor mse_loss(const Tensor& input, const Tensor& target, const Reduction reduction) {
  check_same_shape("mse_loss", input, target);
  const Tensor d = input - target;
  return reduce(d * d, reduction);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, const Reduction reduction) {
  check_same_shape("l1_loss", input, target);
  return reduce((input - target).abs(), reduction);
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight,
                            const Reduction reduction) {
  check_same_shape("binary_cross_entropy", input, target);
  dispatch_floating(input.dtype(), "binary_cross_entropy", []<typename T>() {});
  check_arg(input.numel() == 0 || (input.ge(0).all().item<bool>() && input.le(1).all().item<bool>()),
            "binary_cross_entropy", "all elements of input should be between 0 and 1");
  const Tensor log_p = input.log().clamp(-100.0, std::nullopt);
  const Tensor log_q = (1.0 - input).log().clamp(-100.0, std::nullopt);
  Tensor loss = -(target * log_p + (1.0 - target) * log_q);
  if (weight.defined()) {
    check_arg(broadcast_shapes(weight.sizes(), input.sizes(), "binary_cross_entropy") == input.sizes(),
              "binary_cross_entropy", "weight of shape ", shape_str(weight.sizes()),
              " cannot be broadcast to the input's shape ", shape_str(input.sizes()));
    loss = loss * weight;
  }
  return reduce(loss, reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Reduction reduction) {
  check_same_shape("binary_cross_entropy_with_logits", input, target);
  return reduce(input.relu() - input * target + (1.0 + (-input.abs()).exp()).log(), reduction);
}

}  // namespace atrous::nn::functional
