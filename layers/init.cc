#include "layers/init.h"

#include <cmath>

#include "autograd/grad_mode.h"
#include "tensor/random.h"

namespace atrous::nn::init {

std::pair<std::int64_t, std::int64_t> calculate_fan_in_and_fan_out(const Tensor& weight) {
  check_arg(weight.dim() >= 2, "calculate_fan_in_and_fan_out", "fan in and fan out need a tensor with at least "
            "2 dimensions, got shape ", shape_str(weight.sizes()));
  std::int64_t receptive = 1;
  for (std::int64_t d = 2; d < weight.dim(); ++d) receptive *= weight.sizes()[static_cast<std::size_t>(d)];
  return {weight.size(1) * receptive, weight.size(0) * receptive};
}

void uniform_(Tensor& t, const double low, const double high) {
  const NoGradGuard no_grad;
  t.copy_(uniform(t.sizes(), low, high, t.dtype()));
}

void kaiming_uniform_(Tensor& t, const double a) {
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  if (t.numel() == 0) return;  // PyTorch warns and leaves zero-element tensors alone
  const double gain = std::sqrt(2.0 / (1.0 + a * a));
  const double bound = gain * std::sqrt(3.0 / static_cast<double>(fan_in));
  uniform_(t, -bound, bound);
}

void zeros_(Tensor& t) {
  const NoGradGuard no_grad;
  t.zero_();
}

void ones_(Tensor& t) {
  const NoGradGuard no_grad;
  t.fill_(1.0);
}

}  // namespace atrous::nn::init
