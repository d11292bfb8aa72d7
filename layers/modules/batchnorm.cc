// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/modules/batchnorm.h"

#include <ostream>

#include "atrous/autograd/grad_mode.h"
#include "atrous/autograd/ops/batch_norm.h"
#include "atrous/tensor/factory.h"

namespace atrous::nn {

template <std::size_t D>
BatchNormImpl<D>::BatchNormImpl(BatchNormOptions opts)
    : Cloneable<BatchNormImpl<D>>("BatchNorm" + std::to_string(D) + "d"), options(opts) {
  reset();
}

template <std::size_t D>
void BatchNormImpl<D>::reset() {
  check_arg(options.num_features() > 0, this->name().c_str(), "num_features must be positive, got ",
            options.num_features());
  const std::int64_t c = options.num_features();
  if (options.affine()) {
    weight = this->register_parameter("weight", ones({c}));
    bias = this->register_parameter("bias", zeros({c}));
  }
  if (options.track_running_stats()) {
    running_mean = this->register_buffer("running_mean", zeros({c}));
    running_var = this->register_buffer("running_var", ones({c}));
    num_batches_tracked = this->register_buffer("num_batches_tracked", zeros({}, kInt64));
  }
}

template <std::size_t D>
void BatchNormImpl<D>::reset_running_stats() {
  if (!options.track_running_stats()) return;
  const NoGradGuard no_grad;
  running_mean.zero_();
  running_var.fill_(1.0);
  num_batches_tracked.zero_();
}

template <std::size_t D>
void BatchNormImpl<D>::reset_parameters() {
  reset_running_stats();
  if (!options.affine()) return;
  const NoGradGuard no_grad;
  weight.fill_(1.0);
  bias.zero_();
}

template <std::size_t D>
Tensor BatchNormImpl<D>::forward(const Tensor& input) {
  // BatchNorm1d takes (N, C) or (N, C, L); BatchNorm2d takes (N, C, H, W).
  const bool ok = D == 2 ? input.dim() == 4 : (input.dim() == 2 || input.dim() == 3);
  check_arg(ok, this->name().c_str(), "expected ",
            D == 2 ? "4D input (N, C, H, W)" : "2D or 3D input (N, C) or (N, C, L)", ", got shape ",
            shape_str(input.sizes()));
  const std::int64_t c = options.num_features();
  check_arg(input.size(1) == c, this->name().c_str(), "expected ", c, " channels (num_features) at dim 1, got shape ",
            shape_str(input.sizes()));
  const std::int64_t count = input.numel() / c;
  const bool batch_stats = this->is_training() || !options.track_running_stats();
  if (batch_stats) {
    check_arg(count > 1, this->name().c_str(), "expected more than 1 value per channel when training, got input size ",
              shape_str(input.sizes()));
  }
  native::BatchNormForward f =
      autograd::batch_norm(input, weight, bias, running_mean, running_var, batch_stats, options.eps());
  if (this->is_training() && options.track_running_stats()) {
    const NoGradGuard no_grad;
    const double m = options.momentum();
    const double unbias = static_cast<double>(count) / static_cast<double>(count - 1);
    running_mean.mul_(1.0 - m).add_(f.mean.to(running_mean.dtype()), m);
    running_var.mul_(1.0 - m).add_(f.var.to(running_var.dtype()), m * unbias);
    num_batches_tracked.add_(ones({}, kInt64));
  }
  return f.output;
}

template <std::size_t D>
void BatchNormImpl<D>::pretty_print(std::ostream& os) const {
  os << this->name() << "(" << options.num_features() << ", eps=" << options.eps()
     << ", momentum=" << options.momentum() << ", affine=" << (options.affine() ? "True" : "False")
     << ", track_running_stats=" << (options.track_running_stats() ? "True" : "False") << ")";
}

template class BatchNormImpl<1>;
template class BatchNormImpl<2>;

}  // namespace atrous::nn
