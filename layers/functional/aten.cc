// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/functional/aten.h"

#include "atrous/layers/functional/conv.h"
#include "atrous/layers/functional/loss.h"
#include "atrous/layers/functional/pooling.h"
#include "atrous/layers/modules/dropout.h"

namespace atrous {
namespace {

namespace F = nn::functional;

// One value means "every spatial dimension", as ATen expands it.
nn::IntList to_list(const IntArrayRef v) { return v.size() == 1 ? nn::IntList(v[0]) : nn::IntList(v.vec()); }

template <typename Options>
Options conv_options(const Tensor& bias, const IntArrayRef stride, const IntArrayRef padding,
                     const IntArrayRef dilation, const std::int64_t groups) {
  const nn::ConvPadding pad = padding.size() == 1 ? nn::ConvPadding(padding[0]) : nn::ConvPadding(padding.vec());
  return Options().bias(bias).stride(to_list(stride)).padding(pad).dilation(to_list(dilation)).groups(groups);
}

template <typename Options>
Options max_pool_options(const IntArrayRef kernel_size, const IntArrayRef stride, const IntArrayRef padding,
                         const IntArrayRef dilation, const bool ceil_mode) {
  Options options(to_list(kernel_size));
  if (!stride.empty()) options.stride(to_list(stride));
  return options.padding(to_list(padding)).dilation(to_list(dilation)).ceil_mode(ceil_mode);
}

template <typename Options>
Options avg_pool_options(const IntArrayRef kernel_size, const IntArrayRef stride, const IntArrayRef padding,
                         const bool ceil_mode, const bool count_include_pad) {
  Options options(to_list(kernel_size));
  if (!stride.empty()) options.stride(to_list(stride));
  return options.padding(to_list(padding)).ceil_mode(ceil_mode).count_include_pad(count_include_pad);
}

}  // namespace

Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, const IntArrayRef stride,
              const IntArrayRef padding, const IntArrayRef dilation, const std::int64_t groups) {
  return F::conv1d(input, weight, conv_options<F::Conv1dFuncOptions>(bias, stride, padding, dilation, groups));
}

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const IntArrayRef stride,
              const IntArrayRef padding, const IntArrayRef dilation, const std::int64_t groups) {
  return F::conv2d(input, weight, conv_options<F::Conv2dFuncOptions>(bias, stride, padding, dilation, groups));
}

Tensor max_pool1d(const Tensor& input, const IntArrayRef kernel_size, const IntArrayRef stride,
                  const IntArrayRef padding, const IntArrayRef dilation, const bool ceil_mode) {
  return F::max_pool1d(input,
                       max_pool_options<nn::MaxPool1dOptions>(kernel_size, stride, padding, dilation, ceil_mode));
}

Tensor max_pool2d(const Tensor& input, const IntArrayRef kernel_size, const IntArrayRef stride,
                  const IntArrayRef padding, const IntArrayRef dilation, const bool ceil_mode) {
  return F::max_pool2d(input,
                       max_pool_options<nn::MaxPool2dOptions>(kernel_size, stride, padding, dilation, ceil_mode));
}

Tensor avg_pool1d(const Tensor& input, const IntArrayRef kernel_size, const IntArrayRef stride,
                  const IntArrayRef padding, const bool ceil_mode, const bool count_include_pad) {
  return F::avg_pool1d(
      input, avg_pool_options<nn::AvgPool1dOptions>(kernel_size, stride, padding, ceil_mode, count_include_pad));
}

Tensor avg_pool2d(const Tensor& input, const IntArrayRef kernel_size, const IntArrayRef stride,
                  const IntArrayRef padding, const bool ceil_mode, const bool count_include_pad) {
  return F::avg_pool2d(
      input, avg_pool_options<nn::AvgPool2dOptions>(kernel_size, stride, padding, ceil_mode, count_include_pad));
}

Tensor dropout(const Tensor& input, const double p, const bool train) { return F::dropout(input, p, train); }

Tensor nll_loss(const Tensor& input, const Tensor& target, const Reduction reduction, const std::int64_t ignore_index) {
  return F::nll_loss(input, target, reduction, ignore_index);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, const Reduction reduction) {
  return F::mse_loss(input, target, reduction);
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight,
                            const Reduction reduction) {
  return F::binary_cross_entropy(input, target, weight, reduction);
}

}  // namespace atrous
