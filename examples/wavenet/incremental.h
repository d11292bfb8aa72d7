// SPDX-License-Identifier: Apache-2.0
// Fast WaveNet generation (Paine et al. 2016, "Fast Wavenet"): each layer keeps a queue of its
// past inputs, so the next sample costs one matrix-vector step per layer instead of a forward
// pass over the whole receptive field. Weights are copied from a trained WaveNet and laid out
// input-major, so every product is a run of contiguous multiply-adds the compiler vectorises.
#pragma once

#include <cstdint>
#include <vector>

#include "examples/wavenet/wavenet_model.h"

namespace atrous::examples {

class IncrementalWaveNet {
 public:
  explicit IncrementalWaveNet(WaveNetImpl& net);

  // Feeds the class of the current sample and returns the logits for the next one.
  const std::vector<float>& step(std::int64_t sample);

 private:
  // y = b + Σ_i x[i]·W[i, :] for an input-major W (in × out).
  struct Affine {
    std::vector<float> w, b;
    std::int64_t in = 0, out = 0;
    void apply(const float* x, float* y) const;
    void accumulate(const float* x, float* y) const;  // y += Σ_i x[i]·W[i, :]
  };
  struct Layer {
    Affine past, now;  // the dilated kernel's taps at t − d and t (bias on `now`)
    Affine residual, skip;
    std::int64_t dilation = 1;
    std::vector<float> queue;  // the last `dilation` inputs, a ring buffer
    std::int64_t head = 0;
  };

  std::int64_t R_, S_, classes_;
  std::vector<float> input_past_, input_now_, input_bias_;  // (classes × R) per tap
  std::int64_t previous_ = -1;                              // the last sample's class; -1 before the first
  std::vector<Layer> layers_;
  Affine head1_, head2_;
  std::vector<float> h_, fg_, z_, skip_, hidden_, logits_, out_;
};

}  // namespace atrous::examples
