// Seeded random tensors. Values come from a counter-based generator keyed by (seed, draw, element),
// so a tensor's values do not depend on how many threads filled it.
#pragma once

#include <cstdint>

#include "tensor/tensor.h"

namespace atrous {

// Seeds the global generator; the same seed replays the same sequence of random tensors.
void manual_seed(std::uint64_t seed);

// Uniform on [0, 1).
Tensor rand(const Shape& shape, ScalarType dtype = kFloat32);
// Uniform on [low, high).
Tensor uniform(const Shape& shape, double low, double high, ScalarType dtype = kFloat32);
// Standard normal.
Tensor randn(const Shape& shape, ScalarType dtype = kFloat32);
// Integers uniform on [low, high), int64.
Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape);
// 1 with probability p and 0 otherwise, per element.
Tensor bernoulli(const Shape& shape, double p, ScalarType dtype = kFloat32);
// A permutation of 0 .. n-1, int64 (Fisher-Yates on the global generator).
Tensor randperm(std::int64_t n);

}  // namespace atrous
