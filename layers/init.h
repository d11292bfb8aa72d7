// SPDX-License-Identifier: Apache-2.0
// nn::init: PyTorch's initialisers with libtorch's signatures, drawing from the global
// generator (atrous::manual_seed). Each fills its tensor in place without recording a graph
// and returns it.
#pragma once

#include <cstdint>
#include <utility>

#include "atrous/tensor/tensor.h"

namespace atrous {

// Which fan kaiming_* scale by, and the nonlinearity whose gain they use (libtorch's names).
enum class FanMode : std::uint8_t { FanIn, FanOut };
inline constexpr FanMode kFanIn = FanMode::FanIn;
inline constexpr FanMode kFanOut = FanMode::FanOut;

enum class Nonlinearity : std::uint8_t { Linear, Conv1D, Conv2D, Conv3D, Sigmoid, Tanh, ReLU, LeakyReLU, SELU };
inline constexpr Nonlinearity kLinear = Nonlinearity::Linear;
inline constexpr Nonlinearity kConv1D = Nonlinearity::Conv1D;
inline constexpr Nonlinearity kConv2D = Nonlinearity::Conv2D;
inline constexpr Nonlinearity kConv3D = Nonlinearity::Conv3D;
inline constexpr Nonlinearity kSigmoid = Nonlinearity::Sigmoid;
inline constexpr Nonlinearity kTanh = Nonlinearity::Tanh;
inline constexpr Nonlinearity kReLU = Nonlinearity::ReLU;
inline constexpr Nonlinearity kLeakyReLU = Nonlinearity::LeakyReLU;
inline constexpr Nonlinearity kSELU = Nonlinearity::SELU;

namespace nn::init {

// (fan_in, fan_out) of a weight: dim 1 (resp. 0) times the product of dims >= 2, as PyTorch.
std::pair<std::int64_t, std::int64_t> calculate_fan_in_and_fan_out(const Tensor& weight);
// PyTorch's recommended gain: 1 (linear, conv, sigmoid), 5/3 (tanh), √2 (relu),
// √(2 / (1 + slope²)) (leaky_relu, slope = param), 3/4 (selu).
double calculate_gain(Nonlinearity nonlinearity, double param = 0.01);

Tensor uniform_(Tensor tensor, double low = 0.0, double high = 1.0);
Tensor normal_(Tensor tensor, double mean = 0.0, double std = 1.0);
Tensor constant_(Tensor tensor, const Scalar& value);
Tensor zeros_(Tensor tensor);
Tensor ones_(Tensor tensor);
// U(−b, b), b = gain·√(6 / (fan_in + fan_out)).
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0);
// N(0, σ²), σ = gain·√(2 / (fan_in + fan_out)).
Tensor xavier_normal_(Tensor tensor, double gain = 1.0);
// U(−b, b), b = gain·√(3 / fan) with gain = calculate_gain(nonlinearity, a). PyTorch's layers
// use a = √5, i.e. b = 1/√fan_in.
Tensor kaiming_uniform_(Tensor tensor, double a = 0.0, FanMode mode = kFanIn, Nonlinearity nonlinearity = kLeakyReLU);
// N(0, σ²), σ = gain / √fan.
Tensor kaiming_normal_(Tensor tensor, double a = 0.0, FanMode mode = kFanIn, Nonlinearity nonlinearity = kLeakyReLU);
// A (semi-)orthogonal matrix (rows = dim 0, columns = the rest flattened), times gain: the Q of
// the QR decomposition of a standard normal matrix, with R's diagonal made positive.
Tensor orthogonal_(Tensor tensor, double gain = 1.0);

}  // namespace nn::init
}  // namespace atrous
