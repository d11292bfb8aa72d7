// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/functional/loss.h"

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"

namespace atrous::nn::functional {
namespace {

Tensor reduce(const Tensor& per_element, const Reduction reduction, const char* op) {
  switch (reduction) {
    case Reduction::None: return per_element;
    case Reduction::Sum: return per_element.sum();
    case Reduction::Mean: return per_element.mean();
    case Reduction::BatchMean: break;
  }
  check_arg(false, op, "reduction kBatchMean is kl_div's alone; use kMean, kSum or kNone");
  return per_element;
}

void check_not_batch_mean(const Reduction reduction, const char* op) {
  check_arg(reduction != kBatchMean, op, "reduction kBatchMean is kl_div's alone; use kMean, kSum or kNone");
}

void check_same_shape(const char* op, const Tensor& input, const Tensor& target) {
  check_arg(input.sizes() == target.sizes(), op, "input of shape ", shape_str(input.sizes()), " and target of shape ",
            shape_str(target.sizes()), " must have the same shape");
}

}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const Reduction reduction, const std::int64_t ignore_index) {
  check_not_batch_mean(reduction, "nll_loss");
  return autograd::nll_loss(input, target, reduction, ignore_index);
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options) {
  const Tensor& weight = options.weight();
  if (!weight.defined()) return nll_loss(input, target, options.reduction(), options.ignore_index());
  check_not_batch_mean(options.reduction(), "nll_loss");
  check_arg(input.dim() == 2 || input.dim() == 1, "nll_loss", "class weights need an (N, C) or (C) input, got ",
            shape_str(input.sizes()));
  const std::int64_t classes = input.size(-1);
  check_arg(weight.dim() == 1 && weight.size(0) == classes, "nll_loss", "weight must have one value per class (",
            classes, "), got shape ", shape_str(weight.sizes()));
  check_arg(target.dtype() == kInt64, "nll_loss", "expected int64 class indices as target, got ",
            dtype_name(target.dtype()));
  // The unweighted per-sample losses carry the range checks and the gradient; the weights scale them.
  const Tensor per_sample = autograd::nll_loss(input, target, kNone, options.ignore_index());
  const Tensor kept = target.ne(options.ignore_index());
  const Tensor safe_target = where(kept, target, zeros({}, kInt64));
  const Tensor picked = native::index_select(weight.to(input.dtype()), 0, safe_target.reshape({-1}));
  const Tensor w = picked.reshape(per_sample.sizes()) * kept.to(input.dtype());
  const Tensor weighted = per_sample * w;
  switch (options.reduction()) {
    case Reduction::None: return weighted;
    case Reduction::Sum: return weighted.sum();
    default: return weighted.sum() / w.sum();
  }
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Reduction reduction, const double label_smoothing,
                     const std::int64_t ignore_index) {
  check_not_batch_mean(reduction, "cross_entropy");
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
  return reduce(d * d, reduction, "mse_loss");
}

Tensor l1_loss(const Tensor& input, const Tensor& target, const Reduction reduction) {
  check_same_shape("l1_loss", input, target);
  return reduce((input - target).abs(), reduction, "l1_loss");
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
  return reduce(loss, reduction, "binary_cross_entropy");
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyFuncOptions& options) {
  if (!options.weight().defined()) {
    return cross_entropy(input, target, options.reduction(), options.label_smoothing(), options.ignore_index());
  }
  check_arg(options.label_smoothing() == 0.0, "cross_entropy",
            "class weights together with label_smoothing are not supported; use one of them");
  check_arg(input.dim() == 1 || input.dim() == 2, "cross_entropy", "expected input of shape (N, C) or (C), got ",
            shape_str(input.sizes()));
  return nll_loss(input.log_softmax(input.dim() - 1), target,
                  NLLLossFuncOptions()
                      .weight(options.weight())
                      .ignore_index(options.ignore_index())
                      .reduction(options.reduction()));
}

Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossFuncOptions& options) {
  return mse_loss(input, target, options.reduction());
}

Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossFuncOptions& options) {
  return l1_loss(input, target, options.reduction());
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const BinaryCrossEntropyFuncOptions& options) {
  return binary_cross_entropy(input, target, options.weight(), options.reduction());
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BinaryCrossEntropyWithLogitsFuncOptions& options) {
  const char* op = "binary_cross_entropy_with_logits";
  if (!options.pos_weight().defined() && !options.weight().defined()) {
    return binary_cross_entropy_with_logits(input, target, options.reduction());
  }
  check_same_shape(op, input, target);
  const Tensor softplus_neg = (1.0 + (-input.abs()).exp()).log() + (-input).relu();  // log(1 + exp(−x))
  Tensor loss;
  if (options.pos_weight().defined()) {
    const Tensor log_weight = (options.pos_weight() - 1.0) * target + 1.0;
    loss = (1.0 - target) * input + log_weight * softplus_neg;
  } else {
    loss = (1.0 - target) * input + softplus_neg;
  }
  if (options.weight().defined()) loss = loss * options.weight();
  return reduce(loss, options.reduction(), op);
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const SmoothL1LossFuncOptions& options) {
  check_same_shape("smooth_l1_loss", input, target);
  const double beta = options.beta();
  check_arg(beta >= 0.0, "smooth_l1_loss", "beta must be >= 0, got ", beta);
  const Tensor d = (input - target).abs();
  if (beta == 0.0) return reduce(d, options.reduction(), "smooth_l1_loss");
  return reduce(where(d < beta, d * d * (0.5 / beta), d - 0.5 * beta), options.reduction(), "smooth_l1_loss");
}

Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossFuncOptions& options) {
  check_same_shape("huber_loss", input, target);
  const double delta = options.delta();
  check_arg(delta > 0.0, "huber_loss", "delta must be > 0, got ", delta);
  const Tensor d = (input - target).abs();
  return reduce(where(d <= delta, d * d * 0.5, (d - 0.5 * delta) * delta), options.reduction(), "huber_loss");
}

Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& options) {
  check_arg(broadcast_shapes(input.sizes(), target.sizes(), "kl_div") == input.sizes(), "kl_div", "target of shape ",
            shape_str(target.sizes()), " does not broadcast to the input's shape ", shape_str(input.sizes()));
  Tensor loss;
  if (options.log_target()) {
    loss = target.exp() * (target - input);
  } else {
    // xlogy: 0·log 0 = 0, so zero-probability targets add nothing.
    const Tensor positive = target > 0;
    const Tensor log_target = where(positive, target, ones({}, target.dtype())).log();
    loss = where(positive, target * (log_target - input), zeros({}, input.dtype()));
  }
  if (options.reduction() == kBatchMean) {
    return input.dim() == 0 ? loss.sum() : loss.sum() / static_cast<double>(input.size(0));
  }
  return reduce(loss, options.reduction(), "kl_div");
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Reduction reduction) {
  check_same_shape("binary_cross_entropy_with_logits", input, target);
  return reduce(input.relu() - input * target + (1.0 + (-input.abs()).exp()).log(), reduction,
                "binary_cross_entropy_with_logits");
}

}  // namespace atrous::nn::functional
