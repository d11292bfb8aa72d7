// SPDX-License-Identifier: Apache-2.0
// Options for Conv1d/Conv2d, ConvTranspose1d/2d and their functions, with libtorch's names: required arguments in the
// constructor, everything else a chainable setter with PyTorch's default. Setters check their
// own argument at once; the module checks how they combine when it is built.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous::nn {

// An int, meaning "this value in every spatial dimension", or one value per dimension:
// `stride(2)` or `stride({2, 1})`.
class IntList {
 public:
  IntList(const std::int64_t v) : values_{v}, scalar_(true) {}  // NOLINT: implicit, as in libtorch
  IntList(const std::initializer_list<std::int64_t> v) : values_(v) {}
  IntList(std::vector<std::int64_t> v) : values_(std::move(v)) {}  // NOLINT
  // `dims` values, or an exception naming op and option if the list has another length.
  Shape expand(std::size_t dims, const std::string& op, const char* option) const;

 private:
  std::vector<std::int64_t> values_;
  bool scalar_ = false;
};

// A conv's padding: explicit amounts, or kSame / kValid / kCausal, or the strings
// "same" / "valid" / "causal" (anything else is reported by the option that receives it).
class ConvPadding {
 public:
  ConvPadding(const std::int64_t v) : values_(v) {}  // NOLINT
  // An int literal, 0 included, is an amount, not a null string.
  ConvPadding(const int v) : values_(std::int64_t{v}) {}  // NOLINT
  ConvPadding(const std::initializer_list<std::int64_t> v) : values_(v) {}
  ConvPadding(std::vector<std::int64_t> v) : values_(std::move(v)) {}  // NOLINT
  ConvPadding(const PaddingKind kind) : kind_(kind), values_(0) {}     // NOLINT
  ConvPadding(const char* text);                                       // NOLINT
  ConvPadding(const std::string& text) : ConvPadding(text.c_str()) {}  // NOLINT

  PaddingKind kind() const noexcept { return kind_; }
  const IntList& values() const noexcept { return values_; }
  const std::string& unknown_string() const noexcept { return unknown_; }

 private:
  PaddingKind kind_ = PaddingKind::Explicit;
  IntList values_;
  std::string unknown_;
};

// padding_mode: kZeros / kReflect / kReplicate / kCircular or their names as strings.
class ConvPaddingMode {
 public:
  ConvPaddingMode(const PadMode mode) : mode_(mode) {}                         // NOLINT
  ConvPaddingMode(const char* text);                                           // NOLINT
  ConvPaddingMode(const std::string& text) : ConvPaddingMode(text.c_str()) {}  // NOLINT
  PadMode mode() const noexcept { return mode_; }
  const std::string& text() const noexcept { return text_; }

 private:
  PadMode mode_ = PadMode::Zeros;
  std::string text_;
};

// Padding as the layers use it: a kind, and the resolved explicit amounts (for Explicit).
struct ResolvedPadding {
  PaddingKind kind = PaddingKind::Explicit;
  Shape values;
};

template <std::size_t D>
class ConvOptions {
 public:
  // Conv{D}d(in_channels, out_channels, kernel_size).
  ConvOptions(std::int64_t in_channels, std::int64_t out_channels, const IntList& kernel_size);

  /// Step between kernel applications. Default 1.
  ConvOptions& stride(const IntList& v);
  /// Zero/mode padding per side, or kSame / kValid (and kCausal for Conv1d). Default 0.
  ConvOptions& padding(const ConvPadding& v);
  /// Spacing between kernel taps. Default 1.
  ConvOptions& dilation(const IntList& v);
  /// Channel groups; in and out channels must both be divisible by it. Default 1.
  ConvOptions& groups(std::int64_t v);
  /// Whether to learn an additive bias. Default true.
  ConvOptions& bias(bool v);
  /// How the border is filled: kZeros, kReflect, kReplicate or kCircular. Default kZeros.
  ConvOptions& padding_mode(const ConvPaddingMode& v);

  std::int64_t in_channels() const noexcept { return in_channels_; }
  std::int64_t out_channels() const noexcept { return out_channels_; }
  const Shape& kernel_size() const noexcept { return kernel_size_; }
  const Shape& stride() const noexcept { return stride_; }
  const ResolvedPadding& padding() const noexcept { return padding_; }
  const Shape& dilation() const noexcept { return dilation_; }
  std::int64_t groups() const noexcept { return groups_; }
  bool bias() const noexcept { return bias_; }
  PadMode padding_mode() const noexcept { return padding_mode_; }

  // "Conv1d" / "Conv2d", for messages.
  static std::string name() { return "Conv" + std::to_string(D) + "d"; }

 private:
  std::int64_t in_channels_, out_channels_;
  Shape kernel_size_;
  Shape stride_ = Shape(D, 1);
  ResolvedPadding padding_{PaddingKind::Explicit, Shape(D, 0)};
  Shape dilation_ = Shape(D, 1);
  std::int64_t groups_ = 1;
  bool bias_ = true;
  PadMode padding_mode_ = PadMode::Zeros;
};

using Conv1dOptions = ConvOptions<1>;
using Conv2dOptions = ConvOptions<2>;

template <std::size_t D>
class ConvTransposeOptions {
 public:
  // ConvTranspose{D}d(in_channels, out_channels, kernel_size).
  ConvTransposeOptions(std::int64_t in_channels, std::int64_t out_channels, const IntList& kernel_size);

  /// Step between the input's positions in the output. Default 1.
  ConvTransposeOptions& stride(const IntList& v);
  /// Removed from both ends of each output axis (dilation·(kernel − 1) − padding zeros of the
  /// equivalent convolution). Default 0.
  ConvTransposeOptions& padding(const IntList& v);
  /// Added to one end of each output axis; smaller than stride or dilation. Default 0.
  ConvTransposeOptions& output_padding(const IntList& v);
  /// Channel groups; in and out channels must both be divisible by it. Default 1.
  ConvTransposeOptions& groups(std::int64_t v);
  /// Whether to learn an additive bias. Default true.
  ConvTransposeOptions& bias(bool v);
  /// Spacing between kernel taps. Default 1.
  ConvTransposeOptions& dilation(const IntList& v);
  /// Only kZeros, as in PyTorch; other modes are refused here.
  ConvTransposeOptions& padding_mode(const ConvPaddingMode& v);

  std::int64_t in_channels() const noexcept { return in_channels_; }
  std::int64_t out_channels() const noexcept { return out_channels_; }
  const Shape& kernel_size() const noexcept { return kernel_size_; }
  const Shape& stride() const noexcept { return stride_; }
  const Shape& padding() const noexcept { return padding_; }
  const Shape& output_padding() const noexcept { return output_padding_; }
  std::int64_t groups() const noexcept { return groups_; }
  bool bias() const noexcept { return bias_; }
  const Shape& dilation() const noexcept { return dilation_; }
  PadMode padding_mode() const noexcept { return PadMode::Zeros; }

  // "ConvTranspose1d" / "ConvTranspose2d", for messages.
  static std::string name() { return "ConvTranspose" + std::to_string(D) + "d"; }

 private:
  std::int64_t in_channels_, out_channels_;
  Shape kernel_size_;
  Shape stride_ = Shape(D, 1);
  Shape padding_ = Shape(D, 0);
  Shape output_padding_ = Shape(D, 0);
  std::int64_t groups_ = 1;
  bool bias_ = true;
  Shape dilation_ = Shape(D, 1);
};

using ConvTranspose1dOptions = ConvTransposeOptions<1>;
using ConvTranspose2dOptions = ConvTransposeOptions<2>;

namespace functional {

// Options of conv1d/conv2d; the functional form always pads with zeros, as in libtorch.
template <std::size_t D>
class ConvFuncOptions {
 public:
  ConvFuncOptions& bias(const Tensor& v) { return bias_ = v, *this; }
  ConvFuncOptions& stride(const IntList& v);
  ConvFuncOptions& padding(const ConvPadding& v);
  ConvFuncOptions& dilation(const IntList& v);
  ConvFuncOptions& groups(std::int64_t v);

  const Tensor& bias() const noexcept { return bias_; }
  const Shape& stride() const noexcept { return stride_; }
  const ResolvedPadding& padding() const noexcept { return padding_; }
  const Shape& dilation() const noexcept { return dilation_; }
  std::int64_t groups() const noexcept { return groups_; }

  static std::string name() { return "conv" + std::to_string(D) + "d"; }

 private:
  Tensor bias_;
  Shape stride_ = Shape(D, 1);
  ResolvedPadding padding_{PaddingKind::Explicit, Shape(D, 0)};
  Shape dilation_ = Shape(D, 1);
  std::int64_t groups_ = 1;
};

using Conv1dFuncOptions = ConvFuncOptions<1>;
using Conv2dFuncOptions = ConvFuncOptions<2>;

// Options of conv_transpose1d/conv_transpose2d.
template <std::size_t D>
class ConvTransposeFuncOptions {
 public:
  ConvTransposeFuncOptions& bias(const Tensor& v) { return bias_ = v, *this; }
  ConvTransposeFuncOptions& stride(const IntList& v);
  ConvTransposeFuncOptions& padding(const IntList& v);
  ConvTransposeFuncOptions& output_padding(const IntList& v);
  ConvTransposeFuncOptions& groups(std::int64_t v);
  ConvTransposeFuncOptions& dilation(const IntList& v);

  const Tensor& bias() const noexcept { return bias_; }
  const Shape& stride() const noexcept { return stride_; }
  const Shape& padding() const noexcept { return padding_; }
  const Shape& output_padding() const noexcept { return output_padding_; }
  std::int64_t groups() const noexcept { return groups_; }
  const Shape& dilation() const noexcept { return dilation_; }

  static std::string name() { return "conv_transpose" + std::to_string(D) + "d"; }

 private:
  Tensor bias_;
  Shape stride_ = Shape(D, 1);
  Shape padding_ = Shape(D, 0);
  Shape output_padding_ = Shape(D, 0);
  std::int64_t groups_ = 1;
  Shape dilation_ = Shape(D, 1);
};

using ConvTranspose1dFuncOptions = ConvTransposeFuncOptions<1>;
using ConvTranspose2dFuncOptions = ConvTransposeFuncOptions<2>;

}  // namespace functional
}  // namespace atrous::nn
