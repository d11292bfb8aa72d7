// SPDX-License-Identifier: Apache-2.0
#include "examples/wavenet/incremental.h"

#include <algorithm>
#include <cmath>

namespace atrous::examples {
namespace {

// Copies tap k of a (out, in, K) convolution weight, transposed to (in × out).
std::vector<float> tap_input_major(const Tensor& weight, const std::int64_t k) {
  const Tensor w = weight.detach().select(2, k).t().contiguous();
  return {w.data_ptr<float>(), w.data_ptr<float>() + w.numel()};
}

std::vector<float> values(const Tensor& t) {
  const Tensor c = t.detach().contiguous();
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

}  // namespace

void IncrementalWaveNet::Affine::apply(const float* x, float* y) const {
  std::copy(b.begin(), b.end(), y);
  accumulate(x, y);
}

void IncrementalWaveNet::Affine::accumulate(const float* x, float* y) const {
  for (std::int64_t i = 0; i < in; ++i) {
    const float xi = x[i];
    const float* row = w.data() + i * out;
    for (std::int64_t o = 0; o < out; ++o) y[o] += xi * row[o];
  }
}

IncrementalWaveNet::IncrementalWaveNet(WaveNetImpl& net)
    : R_(net.options.residual_channels), S_(net.options.skip_channels), classes_(net.options.classes) {
  check_arg(net.input->weight.dtype() == kFloat32, "IncrementalWaveNet", "expects a float32 model, got ",
            dtype_name(net.input->weight.dtype()));
  input_past_ = tap_input_major(net.input->weight, 0);
  input_now_ = tap_input_major(net.input->weight, 1);
  input_bias_ = values(net.input->bias);
  for (const ResidualLayer& l : net.layers) {
    Layer layer;
    layer.past = {tap_input_major(l->dilated->weight, 0), std::vector<float>(static_cast<std::size_t>(2 * R_)), R_,
                  2 * R_};
    layer.now = {tap_input_major(l->dilated->weight, 1), values(l->dilated->bias), R_, 2 * R_};
    layer.residual = {tap_input_major(l->residual->weight, 0), values(l->residual->bias), R_, R_};
    layer.skip = {tap_input_major(l->skip->weight, 0), values(l->skip->bias), R_, S_};
    layer.dilation = l->dilated->options.dilation()[0];
    layer.queue.assign(static_cast<std::size_t>(layer.dilation * R_), 0.0f);  // causal zero padding
    layers_.push_back(std::move(layer));
  }
  head1_ = {tap_input_major(net.head1->weight, 0), values(net.head1->bias), S_, S_};
  head2_ = {tap_input_major(net.head2->weight, 0), values(net.head2->bias), S_, classes_};
  h_.resize(static_cast<std::size_t>(R_));
  fg_.resize(static_cast<std::size_t>(2 * R_));
  z_.resize(static_cast<std::size_t>(R_));
  skip_.resize(static_cast<std::size_t>(S_));
  hidden_.resize(static_cast<std::size_t>(S_));
  logits_.resize(static_cast<std::size_t>(classes_));
  out_.resize(static_cast<std::size_t>(std::max(R_, S_)));
}

const std::vector<float>& IncrementalWaveNet::step(const std::int64_t sample) {
  check_arg(sample >= 0 && sample < classes_, "IncrementalWaveNet::step", "class ", sample, " outside [0, ", classes_,
            ")");
  // The input convolution of one-hot samples is a sum of two weight columns.
  for (std::int64_t r = 0; r < R_; ++r) {
    float v = input_bias_[static_cast<std::size_t>(r)];
    if (previous_ >= 0) v += input_past_[static_cast<std::size_t>(previous_ * R_ + r)];
    h_[static_cast<std::size_t>(r)] = v + input_now_[static_cast<std::size_t>(sample * R_ + r)];
  }
  previous_ = sample;
  std::fill(skip_.begin(), skip_.end(), 0.0f);
  for (Layer& l : layers_) {
    float* past = l.queue.data() + l.head * R_;  // the input `dilation` steps ago
    l.now.apply(h_.data(), fg_.data());
    l.past.accumulate(past, fg_.data());
    std::copy(h_.begin(), h_.end(), past);  // becomes the oldest entry `dilation` steps from now
    l.head = (l.head + 1) % l.dilation;
    for (std::int64_t r = 0; r < R_; ++r) {
      const auto i = static_cast<std::size_t>(r);
      z_[i] = std::tanh(fg_[i]) * (1.0f / (1.0f + std::exp(-fg_[i + static_cast<std::size_t>(R_)])));
    }
    // (bias + W·z) first, then added, in the order of the full model's skip + s and h + res.
    l.skip.apply(z_.data(), out_.data());
    for (std::int64_t k = 0; k < S_; ++k) skip_[static_cast<std::size_t>(k)] += out_[static_cast<std::size_t>(k)];
    l.residual.apply(z_.data(), out_.data());
    for (std::int64_t r = 0; r < R_; ++r) h_[static_cast<std::size_t>(r)] += out_[static_cast<std::size_t>(r)];
  }
  for (float& v : skip_) v = std::max(v, 0.0f);
  head1_.apply(skip_.data(), hidden_.data());
  for (float& v : hidden_) v = std::max(v, 0.0f);
  head2_.apply(hidden_.data(), logits_.data());
  return logits_;
}

}  // namespace atrous::examples
