// SPDX-License-Identifier: Apache-2.0
#include "examples/wavenet/wavenet_model.h"

#include <algorithm>
#include <cmath>

namespace atrous::examples {

ResidualLayerImpl::ResidualLayerImpl(const std::int64_t res, const std::int64_t sk, const std::int64_t dilation)
    : nn::Module("ResidualLayer") {
  // One convolution gives the filter (first half) and gate (second half) channels.
  dilated =
      register_module("dilated", nn::Conv1d(nn::Conv1dOptions(res, 2 * res, 2).dilation(dilation).padding(kCausal)));
  residual = register_module("residual", nn::Conv1d(nn::Conv1dOptions(res, res, 1)));
  skip = register_module("skip", nn::Conv1d(nn::Conv1dOptions(res, sk, 1)));
}

Tensor ResidualLayerImpl::forward(const Tensor& h) {
  const Tensor fg = dilated(h);
  const std::int64_t R = fg.size(1) / 2;
  return fg.narrow(1, 0, R).tanh() * fg.narrow(1, R, R).sigmoid();
}

WaveNetImpl::WaveNetImpl(const WaveNetOptions& opts) : nn::Module("WaveNet"), options(opts) {
  check_arg(opts.residual_channels > 0 && opts.skip_channels > 0 && opts.layers_per_stack > 0 && opts.stacks > 0 &&
                opts.layers_per_stack < 31,
            "WaveNet", "channels, layers_per_stack (< 31) and stacks must be positive, got residual_channels=",
            opts.residual_channels, ", skip_channels=", opts.skip_channels,
            ", layers_per_stack=", opts.layers_per_stack, ", stacks=", opts.stacks);
  input =
      register_module("input", nn::Conv1d(nn::Conv1dOptions(opts.classes, opts.residual_channels, 2).padding(kCausal)));
  nn::ModuleList list;
  for (std::int64_t s = 0; s < opts.stacks; ++s) {
    for (std::int64_t l = 0; l < opts.layers_per_stack; ++l) {
      layers.emplace_back(opts.residual_channels, opts.skip_channels, std::int64_t{1} << l);
      list->push_back(layers.back());
    }
  }
  register_module("layers", list);
  head1 = register_module("head1", nn::Conv1d(nn::Conv1dOptions(opts.skip_channels, opts.skip_channels, 1)));
  head2 = register_module("head2", nn::Conv1d(nn::Conv1dOptions(opts.skip_channels, opts.classes, 1)));
}

Tensor WaveNetImpl::forward(const Tensor& x) {
  Tensor h = input(x), skip;
  for (const ResidualLayer& layer : layers) {
    const Tensor z = layer(h);
    const Tensor s = layer->skip(z);
    skip = skip.defined() ? skip + s : s;
    h = h + layer->residual(z);
  }
  return head2(head1(skip.relu()).relu());
}

std::vector<std::int64_t> WaveNetImpl::dilations() const {
  std::vector<std::int64_t> d;
  for (const ResidualLayer& layer : layers) d.push_back(layer->dilated->options.dilation()[0]);
  return d;
}

Tensor one_hot(const std::vector<std::int64_t>& classes, const std::int64_t batch, const std::int64_t length,
               const std::int64_t num_classes) {
  check_arg(static_cast<std::int64_t>(classes.size()) == batch * length, "one_hot", "got ", classes.size(),
            " classes for batch × length = ", batch, " × ", length, " = ", batch * length);
  Tensor out = zeros({batch, num_classes, length});
  float* p = out.data_ptr<float>();
  for (std::int64_t n = 0; n < batch; ++n) {
    for (std::int64_t t = 0; t < length; ++t) {
      const std::int64_t c = classes[static_cast<std::size_t>(n * length + t)];
      check_arg(c >= 0 && c < num_classes, "one_hot", "class ", c, " outside [0, ", num_classes, ")");
      p[(n * num_classes + c) * length + t] = 1.0f;
    }
  }
  return out;
}

std::int64_t sample_class(const float* logits, const std::int64_t classes, const double u) {
  const float top = *std::max_element(logits, logits + classes);
  double total = 0;
  for (std::int64_t c = 0; c < classes; ++c) total += std::exp(static_cast<double>(logits[c] - top));
  double cdf = 0;
  for (std::int64_t c = 0; c < classes; ++c) {
    cdf += std::exp(static_cast<double>(logits[c] - top)) / total;
    if (u < cdf) return c;
  }
  return classes - 1;
}

}  // namespace atrous::examples
