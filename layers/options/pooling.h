// SPDX-License-Identifier: Apache-2.0
// Options for MaxPool1d/2d, AvgPool1d/2d and AdaptiveAvgPool2d, with libtorch's names.
#pragma once

#include <optional>

#include "atrous/layers/options/conv.h"

namespace atrous::nn {

template <std::size_t D>
class MaxPoolOptions {
 public:
  MaxPoolOptions(const IntList& kernel_size) : kernel_size_(kernel_size.expand(D, name(), "kernel_size")) {}  // NOLINT
  /// Default: kernel_size.
  MaxPoolOptions& stride(const IntList& v) { return stride_ = v.expand(D, name(), "stride"), *this; }
  MaxPoolOptions& padding(const IntList& v) { return padding_ = v.expand(D, name(), "padding"), *this; }
  MaxPoolOptions& dilation(const IntList& v) { return dilation_ = v.expand(D, name(), "dilation"), *this; }
  MaxPoolOptions& ceil_mode(const bool v) { return ceil_mode_ = v, *this; }
  const Shape& kernel_size() const noexcept { return kernel_size_; }
  const Shape& stride() const noexcept { return stride_.empty() ? kernel_size_ : stride_; }
  const Shape& padding() const noexcept { return padding_; }
  const Shape& dilation() const noexcept { return dilation_; }
  bool ceil_mode() const noexcept { return ceil_mode_; }
  static std::string name() { return "MaxPool" + std::to_string(D) + "d"; }

 private:
  Shape kernel_size_, stride_;
  Shape padding_ = Shape(D, 0), dilation_ = Shape(D, 1);
  bool ceil_mode_ = false;
};
using MaxPool1dOptions = MaxPoolOptions<1>;
using MaxPool2dOptions = MaxPoolOptions<2>;

template <std::size_t D>
class AvgPoolOptions {
 public:
  AvgPoolOptions(const IntList& kernel_size) : kernel_size_(kernel_size.expand(D, name(), "kernel_size")) {}  // NOLINT
  /// Default: kernel_size.
  AvgPoolOptions& stride(const IntList& v) { return stride_ = v.expand(D, name(), "stride"), *this; }
  AvgPoolOptions& padding(const IntList& v) { return padding_ = v.expand(D, name(), "padding"), *this; }
  AvgPoolOptions& ceil_mode(const bool v) { return ceil_mode_ = v, *this; }
  /// Whether padded zeros count in the divisor. Default true.
  AvgPoolOptions& count_include_pad(const bool v) { return count_include_pad_ = v, *this; }
  const Shape& kernel_size() const noexcept { return kernel_size_; }
  const Shape& stride() const noexcept { return stride_.empty() ? kernel_size_ : stride_; }
  const Shape& padding() const noexcept { return padding_; }
  bool ceil_mode() const noexcept { return ceil_mode_; }
  bool count_include_pad() const noexcept { return count_include_pad_; }
  static std::string name() { return "AvgPool" + std::to_string(D) + "d"; }

 private:
  Shape kernel_size_, stride_;
  Shape padding_ = Shape(D, 0);
  bool ceil_mode_ = false, count_include_pad_ = true;
};
using AvgPool1dOptions = AvgPoolOptions<1>;
using AvgPool2dOptions = AvgPoolOptions<2>;

class AdaptiveAvgPool2dOptions {
 public:
  AdaptiveAvgPool2dOptions(const IntList& output_size)  // NOLINT
      : output_size_(output_size.expand(2, "AdaptiveAvgPool2d", "output_size")) {}
  const Shape& output_size() const noexcept { return output_size_; }

 private:
  Shape output_size_;
};

namespace functional {
// libtorch's functional options are the module options.
using MaxPool1dFuncOptions = MaxPool1dOptions;
using MaxPool2dFuncOptions = MaxPool2dOptions;
using AvgPool1dFuncOptions = AvgPool1dOptions;
using AvgPool2dFuncOptions = AvgPool2dOptions;
using AdaptiveAvgPool2dFuncOptions = AdaptiveAvgPool2dOptions;
}  // namespace functional

}  // namespace atrous::nn
