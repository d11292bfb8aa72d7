// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/options/conv.h"

#include <cstring>

#include "atrous/tensor/conv/conv_params.h"

namespace atrous::nn {

Shape IntList::expand(const std::size_t dims, const std::string& op, const char* option) const {
  if (scalar_) return Shape(dims, values_[0]);
  check_arg(values_.size() == dims, op.c_str(), "expected ", option, " to be a single integer value or a list of ",
            dims, " values to match the convolution dimensions, but got ", option, "=", shape_str(values_));
  return values_;
}

ConvPadding::ConvPadding(const char* text) : values_(0) {
  if (std::strcmp(text, "same") == 0)
    kind_ = PaddingKind::Same;
  else if (std::strcmp(text, "valid") == 0)
    kind_ = PaddingKind::Valid;
  else if (std::strcmp(text, "causal") == 0)
    kind_ = PaddingKind::Causal;
  else
    unknown_ = text;
}

ConvPaddingMode::ConvPaddingMode(const char* text) : text_(text) {
  if (text_ == "zeros")
    mode_ = PadMode::Zeros;
  else if (text_ == "reflect")
    mode_ = PadMode::Reflect;
  else if (text_ == "replicate")
    mode_ = PadMode::Replicate;
  else if (text_ == "circular")
    mode_ = PadMode::Circular;
  else
    mode_ = PadMode::Constant;  // refused by padding_mode(), which names the text
}

namespace {

void check_positive(const std::string& op, const char* option, const Shape& v) {
  for (const std::int64_t x : v) {
    check_arg(x > 0, op.c_str(), option, " must be positive in every dimension, got ", option, "=",
              native::tuple_str(v));
  }
}

Shape checked_stride(const IntList& v, const std::size_t dims, const std::string& op) {
  const Shape stride = v.expand(dims, op, "stride");
  for (const std::int64_t x : stride) {
    check_arg(x > 0, op.c_str(), "non-positive stride is not supported, got stride=", native::tuple_str(stride));
  }
  return stride;
}

Shape checked_dilation(const IntList& v, const std::size_t dims, const std::string& op) {
  const Shape dilation = v.expand(dims, op, "dilation");
  check_positive(op, "dilation", dilation);
  return dilation;
}

Shape checked_padding(const IntList& v, const std::size_t dims, const std::string& op, const char* option) {
  const Shape padding = v.expand(dims, op, option);
  for (const std::int64_t x : padding) {
    check_arg(x >= 0, op.c_str(), "negative ", option, " is not supported, got ", option, "=",
              native::tuple_str(padding));
  }
  return padding;
}

// A module's kernel_size, checked with its channel counts.
Shape checked_kernel(const std::int64_t in_channels, const std::int64_t out_channels, const IntList& kernel_size,
                     const std::size_t dims, const std::string& op) {
  check_arg(in_channels >= 0 && out_channels >= 0, op.c_str(),
            "channel counts must be non-negative, got in_channels=", in_channels, ", out_channels=", out_channels);
  const Shape kernel = kernel_size.expand(dims, op, "kernel_size");
  check_positive(op, "kernel_size", kernel);
  return kernel;
}

// The padding setter shared by modules and functions.
ResolvedPadding resolve(const ConvPadding& p, const std::size_t dims, const std::string& op, const bool functional) {
  if (!p.unknown_string().empty()) {
    const char* allowed = dims == 1 ? "{'valid', 'same', 'causal'}" : "{'valid', 'same'}";
    check_arg(false, op.c_str(), functional ? "Invalid padding string: '" : "Invalid padding string '",
              p.unknown_string(), "', should be one of ", allowed);
  }
  check_arg(p.kind() != PaddingKind::Causal || dims == 1, op.c_str(),
            "padding='causal' pads the left of a sequence and is only defined for 1-D convolutions (Conv1d, conv1d)");
  if (p.kind() != PaddingKind::Explicit) return {p.kind(), Shape(dims, 0)};
  return {PaddingKind::Explicit, checked_padding(p.values(), dims, op, "padding")};
}

}  // namespace

template <std::size_t D>
ConvOptions<D>::ConvOptions(const std::int64_t in_channels, const std::int64_t out_channels, const IntList& kernel_size)
    : in_channels_(in_channels),
      out_channels_(out_channels),
      kernel_size_(checked_kernel(in_channels, out_channels, kernel_size, D, name())) {}

template <std::size_t D>
ConvOptions<D>& ConvOptions<D>::stride(const IntList& v) {
  stride_ = checked_stride(v, D, name());
  return *this;
}

template <std::size_t D>
ConvOptions<D>& ConvOptions<D>::padding(const ConvPadding& v) {
  padding_ = resolve(v, D, name(), false);
  return *this;
}

template <std::size_t D>
ConvOptions<D>& ConvOptions<D>::dilation(const IntList& v) {
  dilation_ = checked_dilation(v, D, name());
  return *this;
}

template <std::size_t D>
ConvOptions<D>& ConvOptions<D>::groups(const std::int64_t v) {
  check_arg(v > 0, name().c_str(), "groups must be a positive integer, got groups=", v);
  groups_ = v;
  return *this;
}

template <std::size_t D>
ConvOptions<D>& ConvOptions<D>::bias(const bool v) {
  bias_ = v;
  return *this;
}

template <std::size_t D>
ConvOptions<D>& ConvOptions<D>::padding_mode(const ConvPaddingMode& v) {
  check_arg(v.mode() != PadMode::Constant, name().c_str(),
            "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='",
            v.text().empty() ? "constant" : v.text(), "'");
  padding_mode_ = v.mode();
  return *this;
}

template class ConvOptions<1>;
template class ConvOptions<2>;

template <std::size_t D>
ConvTransposeOptions<D>::ConvTransposeOptions(const std::int64_t in_channels, const std::int64_t out_channels,
                                              const IntList& kernel_size)
    : in_channels_(in_channels),
      out_channels_(out_channels),
      kernel_size_(checked_kernel(in_channels, out_channels, kernel_size, D, name())) {}

template <std::size_t D>
ConvTransposeOptions<D>& ConvTransposeOptions<D>::stride(const IntList& v) {
  stride_ = checked_stride(v, D, name());
  return *this;
}

template <std::size_t D>
ConvTransposeOptions<D>& ConvTransposeOptions<D>::padding(const IntList& v) {
  padding_ = checked_padding(v, D, name(), "padding");
  return *this;
}

template <std::size_t D>
ConvTransposeOptions<D>& ConvTransposeOptions<D>::output_padding(const IntList& v) {
  output_padding_ = checked_padding(v, D, name(), "output_padding");
  return *this;
}

template <std::size_t D>
ConvTransposeOptions<D>& ConvTransposeOptions<D>::groups(const std::int64_t v) {
  check_arg(v > 0, name().c_str(), "groups must be a positive integer, got groups=", v);
  groups_ = v;
  return *this;
}

template <std::size_t D>
ConvTransposeOptions<D>& ConvTransposeOptions<D>::bias(const bool v) {
  bias_ = v;
  return *this;
}

template <std::size_t D>
ConvTransposeOptions<D>& ConvTransposeOptions<D>::dilation(const IntList& v) {
  dilation_ = checked_dilation(v, D, name());
  return *this;
}

template <std::size_t D>
ConvTransposeOptions<D>& ConvTransposeOptions<D>::padding_mode(const ConvPaddingMode& v) {
  check_arg(v.mode() == PadMode::Zeros, name().c_str(), "Only \"zeros\" padding mode is supported for ", name(),
            ", got padding_mode='", v.text().empty() ? pad_mode_name(v.mode()) : v.text(), "'");
  return *this;
}

template class ConvTransposeOptions<1>;
template class ConvTransposeOptions<2>;

namespace functional {

template <std::size_t D>
ConvFuncOptions<D>& ConvFuncOptions<D>::stride(const IntList& v) {
  stride_ = checked_stride(v, D, name());
  return *this;
}

template <std::size_t D>
ConvFuncOptions<D>& ConvFuncOptions<D>::padding(const ConvPadding& v) {
  padding_ = resolve(v, D, name(), true);
  return *this;
}

template <std::size_t D>
ConvFuncOptions<D>& ConvFuncOptions<D>::dilation(const IntList& v) {
  dilation_ = checked_dilation(v, D, name());
  return *this;
}

template <std::size_t D>
ConvFuncOptions<D>& ConvFuncOptions<D>::groups(const std::int64_t v) {
  check_arg(v > 0, name().c_str(), "non-positive groups is not supported, got groups=", v);
  groups_ = v;
  return *this;
}

template class ConvFuncOptions<1>;
template class ConvFuncOptions<2>;

template <std::size_t D>
ConvTransposeFuncOptions<D>& ConvTransposeFuncOptions<D>::stride(const IntList& v) {
  stride_ = checked_stride(v, D, name());
  return *this;
}

template <std::size_t D>
ConvTransposeFuncOptions<D>& ConvTransposeFuncOptions<D>::padding(const IntList& v) {
  padding_ = checked_padding(v, D, name(), "padding");
  return *this;
}

template <std::size_t D>
ConvTransposeFuncOptions<D>& ConvTransposeFuncOptions<D>::output_padding(const IntList& v) {
  output_padding_ = checked_padding(v, D, name(), "output_padding");
  return *this;
}

template <std::size_t D>
ConvTransposeFuncOptions<D>& ConvTransposeFuncOptions<D>::groups(const std::int64_t v) {
  check_arg(v > 0, name().c_str(), "non-positive groups is not supported, got groups=", v);
  groups_ = v;
  return *this;
}

template <std::size_t D>
ConvTransposeFuncOptions<D>& ConvTransposeFuncOptions<D>::dilation(const IntList& v) {
  dilation_ = checked_dilation(v, D, name());
  return *this;
}

template class ConvTransposeFuncOptions<1>;
template class ConvTransposeFuncOptions<2>;

}  // namespace functional
}  // namespace atrous::nn
