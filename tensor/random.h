// SPDX-License-Identifier: Apache-2.0
// Seeded random tensors. Values come from a counter-based generator keyed by (seed, draw, element),
// so a tensor's values do not depend on how many threads filled it.
#pragma once

#include <cstdint>

#include "atrous/tensor/options.h"
#include "atrous/tensor/tensor.h"

namespace atrous {

// Seeds the global generator; the same seed replays the same sequence of random tensors.
void manual_seed(std::uint64_t seed);

// Uniform on [0, 1).
Tensor rand(IntArrayRef shape, ScalarType dtype = kFloat32);
// Uniform on [low, high).
Tensor uniform(IntArrayRef shape, double low, double high, ScalarType dtype = kFloat32);
// Standard normal.
Tensor randn(IntArrayRef shape, ScalarType dtype = kFloat32);
// Normal with the given mean and standard deviation.
Tensor normal(IntArrayRef shape, double mean, double std, ScalarType dtype = kFloat32);
// Integers uniform on [low, high), int64 unless dtype is given.
Tensor randint(std::int64_t low, std::int64_t high, IntArrayRef shape, ScalarType dtype = kInt64);
Tensor randint(std::int64_t high, IntArrayRef shape, ScalarType dtype = kInt64);
// 1 with probability p and 0 otherwise, per element.
Tensor bernoulli(IntArrayRef shape, double p, ScalarType dtype = kFloat32);
Tensor rand_like(const Tensor& t);
Tensor randn_like(const Tensor& t);

// With TensorOptions (defined in autograd/options_factories.cc).
Tensor rand(IntArrayRef shape, const TensorOptions& options);
Tensor randn(IntArrayRef shape, const TensorOptions& options);
Tensor randint(std::int64_t low, std::int64_t high, IntArrayRef shape, const TensorOptions& options);
Tensor randint(std::int64_t high, IntArrayRef shape, const TensorOptions& options);
Tensor randperm(std::int64_t n, const TensorOptions& options);
Tensor rand_like(const Tensor& t, const TensorOptions& options);
Tensor randn_like(const Tensor& t, const TensorOptions& options);
// A permutation of 0 .. n-1, int64 (Fisher-Yates on the global generator).
Tensor randperm(std::int64_t n);

}  // namespace atrous
