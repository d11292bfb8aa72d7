// nn::init: PyTorch's initialisers, drawing from the global generator (atrous::manual_seed).
#pragma once

#include <cstdint>
#include <utility>

#include "tensor/tensor.h"

namespace atrous::nn::init {

// (fan_in, fan_out) of a weight: dim 1 (resp. 0) times the product of dims >= 2, as PyTorch.
std::pair<std::int64_t, std::int64_t> calculate_fan_in_and_fan_out(const Tensor& weight);

// Fills `t` in place (without recording a graph) from U(low, high).
void uniform_(Tensor& t, double low, double high);
// kaiming_uniform_ with mode fan_in and leaky_relu gain sqrt(2 / (1 + a²)): U(−b, b) with
// b = gain·sqrt(3 / fan_in). PyTorch's layers use a = sqrt(5), i.e. b = 1/sqrt(fan_in).
void kaiming_uniform_(Tensor& t, double a = 0.0);
void zeros_(Tensor& t);
void ones_(Tensor& t);

}  // namespace atrous::nn::init
