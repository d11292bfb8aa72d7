// SPDX-License-Identifier: Apache-2.0
// Conv1d and Conv2d modules: learnable weight (out, in/groups, kernel...) and bias (out),
// initialised as PyTorch does, any padding mode, and 'same' / 'valid' / (Conv1d) 'causal';
// and their transposes, ConvTranspose1d and ConvTranspose2d.
#pragma once

#include <optional>
#include <ostream>

#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"
#include "atrous/layers/options/conv.h"

namespace atrous::nn {

template <std::size_t D>
class ConvNdImpl : public Cloneable<ConvNdImpl<D>> {
 public:
  explicit ConvNdImpl(ConvOptions<D> options);
  ConvNdImpl(std::int64_t in_channels, std::int64_t out_channels, const IntList& kernel_size)
      : ConvNdImpl(ConvOptions<D>(in_channels, out_channels, kernel_size)) {}

  Tensor forward(const Tensor& input);
  // Creates weight and bias and draws their values.
  void reset() override;
  // Re-draws weight and bias from U(−1/√fan_in, 1/√fan_in), fan_in = in/groups · prod(kernel).
  void reset_parameters();
  // "Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False, padding_mode=reflect)"
  void pretty_print(std::ostream& os) const override;

  ConvOptions<D> options;
  Tensor weight;
  Tensor bias;  // undefined when options.bias() is false
};

using Conv1dImpl = ConvNdImpl<1>;
using Conv2dImpl = ConvNdImpl<2>;

class Conv1d : public ModuleHolder<Conv1dImpl> {
 public:
  using ModuleHolder<Conv1dImpl>::ModuleHolder;
};

class Conv2d : public ModuleHolder<Conv2dImpl> {
 public:
  using ModuleHolder<Conv2dImpl>::ModuleHolder;
};

// ConvTranspose1d and ConvTranspose2d: learnable weight (in, out/groups, kernel...) and bias
// (out), initialised as PyTorch does (fan_in = out/groups · prod(kernel)); zero padding only.
template <std::size_t D>
class ConvTransposeNdImpl : public Cloneable<ConvTransposeNdImpl<D>> {
 public:
  explicit ConvTransposeNdImpl(ConvTransposeOptions<D> options);
  ConvTransposeNdImpl(std::int64_t in_channels, std::int64_t out_channels, const IntList& kernel_size)
      : ConvTransposeNdImpl(ConvTransposeOptions<D>(in_channels, out_channels, kernel_size)) {}

  // output_size (spatial sizes, or with the batch and channel sizes in front) picks the
  // output_padding that gives it, as PyTorch does; without it options.output_padding() applies.
  Tensor forward(const Tensor& input, const std::optional<IntArrayRef>& output_size = std::nullopt);
  void reset() override;
  void reset_parameters();
  // "ConvTranspose2d(16, 8, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))"
  void pretty_print(std::ostream& os) const override;

  ConvTransposeOptions<D> options;
  Tensor weight;
  Tensor bias;  // undefined when options.bias() is false
};

using ConvTranspose1dImpl = ConvTransposeNdImpl<1>;
using ConvTranspose2dImpl = ConvTransposeNdImpl<2>;

class ConvTranspose1d : public ModuleHolder<ConvTranspose1dImpl> {
 public:
  using ModuleHolder<ConvTranspose1dImpl>::ModuleHolder;
};

class ConvTranspose2d : public ModuleHolder<ConvTranspose2dImpl> {
 public:
  using ModuleHolder<ConvTranspose2dImpl>::ModuleHolder;
};

}  // namespace atrous::nn
