// SPDX-License-Identifier: Apache-2.0
// WaveNet (van den Oord et al. 2016): a causal input convolution over one-hot µ-law samples,
// residual layers of kernel-2 causal convolutions with dilations 1, 2, …, 512 (repeated per
// stack) and gated units tanh(f)·σ(g), residual and skip 1×1 convolutions, and a two-layer 1×1
// head giving 256-way logits. Output t predicts sample t + 1.
#pragma once

#include <cstdint>
#include <vector>

#include <atrous/atrous.h>

namespace atrous::examples {

struct WaveNetOptions {
  std::int64_t residual_channels = 64, skip_channels = 64, layers_per_stack = 10, stacks = 1, classes = 256;
};

class ResidualLayerImpl : public nn::Module {
 public:
  ResidualLayerImpl(std::int64_t residual, std::int64_t skip, std::int64_t dilation);
  // The gated unit z = tanh(f)·σ(g) of the dilated convolution's filter and gate halves; the
  // caller adds residual(z) to the input and skip(z) to the skip sum.
  Tensor forward(const Tensor& h);
  nn::Conv1d dilated{nullptr}, residual{nullptr}, skip{nullptr};
};

class ResidualLayer : public nn::ModuleHolder<ResidualLayerImpl> {
 public:
  using nn::ModuleHolder<ResidualLayerImpl>::ModuleHolder;
};

class WaveNetImpl : public nn::Module {
 public:
  explicit WaveNetImpl(const WaveNetOptions& options);

  // (N, classes, T) one-hot samples → (N, classes, T) logits.
  Tensor forward(const Tensor& one_hot);

  // The dilation of every residual layer, in order.
  std::vector<std::int64_t> dilations() const;

  WaveNetOptions options;
  nn::Conv1d input{nullptr}, head1{nullptr}, head2{nullptr};
  std::vector<ResidualLayer> layers;
};

class WaveNet : public nn::ModuleHolder<WaveNetImpl> {
 public:
  using nn::ModuleHolder<WaveNetImpl>::ModuleHolder;
};

// (N, T) classes → (N, classes, T) float32 one-hot.
Tensor one_hot(const std::vector<std::int64_t>& classes, std::int64_t batch, std::int64_t length,
               std::int64_t num_classes);

// The class whose cumulative softmax probability first exceeds u ∈ [0, 1).
std::int64_t sample_class(const float* logits, std::int64_t classes, double u);

}  // namespace atrous::examples
