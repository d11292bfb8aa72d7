// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/init.h"

#include <cmath>
#include <vector>

#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"

namespace atrous::nn::init {
namespace {

std::int64_t fan(const Tensor& t, const FanMode mode) {
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  return mode == kFanIn ? fan_in : fan_out;
}

// Fills `tensor` with `values` (same shape) without recording a graph.
Tensor fill_with(Tensor tensor, const Tensor& values) {
  const NoGradGuard no_grad;
  tensor.copy_(values);
  return tensor;
}

}  // namespace

std::pair<std::int64_t, std::int64_t> calculate_fan_in_and_fan_out(const Tensor& weight) {
  check_arg(weight.dim() >= 2, "calculate_fan_in_and_fan_out",
            "fan in and fan out need a tensor with at least "
            "2 dimensions, got shape ",
            shape_str(weight.sizes()));
  std::int64_t receptive = 1;
  for (std::int64_t d = 2; d < weight.dim(); ++d) receptive *= weight.sizes()[static_cast<std::size_t>(d)];
  return {weight.size(1) * receptive, weight.size(0) * receptive};
}

double calculate_gain(const Nonlinearity nonlinearity, const double param) {
  switch (nonlinearity) {
    case Nonlinearity::Linear:
    case Nonlinearity::Conv1D:
    case Nonlinearity::Conv2D:
    case Nonlinearity::Conv3D:
    case Nonlinearity::Sigmoid: return 1.0;
    case Nonlinearity::Tanh: return 5.0 / 3.0;
    case Nonlinearity::ReLU: return std::sqrt(2.0);
    case Nonlinearity::LeakyReLU: return std::sqrt(2.0 / (1.0 + param * param));
    case Nonlinearity::SELU: return 3.0 / 4.0;
  }
  return 1.0;
}

Tensor uniform_(Tensor tensor, const double low, const double high) {
  return fill_with(tensor, uniform(tensor.sizes(), low, high, tensor.dtype()));
}

Tensor normal_(Tensor tensor, const double mean, const double std) {
  return fill_with(tensor, normal(tensor.sizes(), mean, std, tensor.dtype()));
}

Tensor constant_(Tensor tensor, const Scalar& value) {
  const NoGradGuard no_grad;
  tensor.fill_(value);
  return tensor;
}

Tensor zeros_(Tensor tensor) { return constant_(std::move(tensor), 0); }
Tensor ones_(Tensor tensor) { return constant_(std::move(tensor), 1); }

Tensor xavier_uniform_(Tensor tensor, const double gain) {
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
  const double bound = gain * std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  return uniform_(std::move(tensor), -bound, bound);
}

Tensor xavier_normal_(Tensor tensor, const double gain) {
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
  return normal_(std::move(tensor), 0.0, gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out)));
}

Tensor kaiming_uniform_(Tensor tensor, const double a, const FanMode mode, const Nonlinearity nonlinearity) {
  const std::int64_t f = fan(tensor, mode);
  if (tensor.numel() == 0) return tensor;  // PyTorch warns and leaves zero-element tensors alone
  const double bound = calculate_gain(nonlinearity, a) * std::sqrt(3.0 / static_cast<double>(f));
  return uniform_(std::move(tensor), -bound, bound);
}

Tensor kaiming_normal_(Tensor tensor, const double a, const FanMode mode, const Nonlinearity nonlinearity) {
  const std::int64_t f = fan(tensor, mode);
  if (tensor.numel() == 0) return tensor;
  return normal_(std::move(tensor), 0.0, calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(f)));
}

Tensor orthogonal_(Tensor tensor, const double gain) {
  check_arg(tensor.dim() >= 2, "orthogonal_", "only tensors with 2 or more dimensions are supported, got shape ",
            shape_str(tensor.sizes()));
  if (tensor.numel() == 0) return tensor;
  const std::int64_t rows = tensor.size(0), cols = tensor.numel() / rows;
  // Work on the tall orientation (n ≥ k) in float64: modified Gram-Schmidt gives the Q whose R
  // has a positive diagonal, which is PyTorch's Q after its sign correction.
  const bool wide = rows < cols;
  const std::int64_t n = wide ? cols : rows, k = wide ? rows : cols;
  const Tensor normal_matrix = randn({rows, cols}, kFloat64);
  std::vector<double> q(static_cast<std::size_t>(n * k));
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < k; ++j) q[i * k + j] = value_at(normal_matrix, wide ? j * cols + i : i * cols + j);
  }
  for (std::int64_t j = 0; j < k; ++j) {
    for (std::int64_t p = 0; p < j; ++p) {
      double dot = 0;
      for (std::int64_t i = 0; i < n; ++i) dot += q[i * k + p] * q[i * k + j];
      for (std::int64_t i = 0; i < n; ++i) q[i * k + j] -= dot * q[i * k + p];
    }
    double norm = 0;
    for (std::int64_t i = 0; i < n; ++i) norm += q[i * k + j] * q[i * k + j];
    norm = std::sqrt(norm);
    for (std::int64_t i = 0; i < n; ++i) q[i * k + j] /= norm;
  }
  Tensor result = from_vector(q, {n, k});
  if (wide) result = result.t().contiguous();
  const Tensor values = (result * gain).reshape(tensor.sizes()).to(tensor.dtype());
  return fill_with(tensor, values);
}

}  // namespace atrous::nn::init
