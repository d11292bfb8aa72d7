// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/conv_params.h"

#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/conv/pad.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

std::string tuple_str(const Shape& values) {
  std::string s = "(";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + (values.size() == 1 ? ",)" : ")");
}

namespace {

const char* axis_name(const std::int64_t dims, const std::size_t i) {
  if (dims == 1) return "length";
  return i == 0 ? "height" : "width";
}

std::string joined(const Shape& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + std::to_string(v[i]);
  return s;
}

// What conv and conv_transpose check alike: option lengths and signs, dtypes, ranks.
void check_common(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& p,
                  const char* weight_layout) {
  const std::int64_t d = p.dims;
  const auto n = static_cast<std::size_t>(d);
  for (const auto& [name, v] : {std::pair<const char*, const Shape*>{"stride", &p.stride},
                                {"dilation", &p.dilation},
                                {"padding", &p.pad_before}}) {
    check_arg(v->size() == n, op, "expected ", name, " to be a single integer value or a list of ", d,
              " values to match the convolution dimensions, but got ", name, "=", shape_str(*v));
  }
  check_arg(p.groups > 0, op, "groups must be a positive integer, got groups=", p.groups);
  for (std::size_t i = 0; i < n; ++i) {
    check_arg(p.pad_before[i] >= 0 && p.pad_after[i] >= 0, op, "negative padding is not supported, got padding ",
              tuple_str(p.pad_before), " before and ", tuple_str(p.pad_after), " after");
    check_arg(p.stride[i] > 0, op, "non-positive stride is not supported, got stride=", tuple_str(p.stride));
    check_arg(p.dilation[i] > 0, op, "dilation must be positive, got dilation=", tuple_str(p.dilation));
  }
  check_arg(input.dtype() == weight.dtype(), op, "Input type (", dtype_name(input.dtype()), ") and weight type (",
            dtype_name(weight.dtype()), ") should be the same");
  check_arg(is_floating(input.dtype()), op, "needs float32 or float64 tensors, got ", dtype_name(input.dtype()));
  if (bias.defined()) {
    check_arg(bias.dtype() == input.dtype(), op, "Input type (", dtype_name(input.dtype()), ") and bias type (",
              dtype_name(bias.dtype()), ") should be the same");
  }
  check_arg(weight.dim() == d + 2, op, "expected a ", d + 2, "-D weight (", weight_layout,
            d == 1 ? ", kernel" : ", kH, kW", "), but got weight of size ", shape_str(weight.sizes()));
  check_arg(input.dim() == d + 2, op, "Expected ", d + 2, "-dimensional input for ", d + 2, "-dimensional weight ",
            shape_str(weight.sizes()), ", but got ", input.dim(), "-dimensional input of size ",
            shape_str(input.sizes()), " instead");
  const std::int64_t w0 = weight.sizes()[0];
  check_arg(w0 >= p.groups, op, "Given groups=", p.groups, ", expected weight to be at least ", p.groups,
            " at dimension 0, but got weight of size ", shape_str(weight.sizes()), " instead");
  check_arg(w0 % p.groups == 0, op, "Given groups=", p.groups, ", expected weight to be divisible by ", p.groups,
            " at dimension 0, but got weight of size ", shape_str(weight.sizes()), " instead (", w0, " % ", p.groups,
            " = ", w0 % p.groups, ")");
  for (std::size_t i = 0; i < n; ++i) {
    check_arg(weight.sizes()[2 + i] > 0, op, "kernel size must be positive, got weight of size ",
              shape_str(weight.sizes()));
  }
}

// PyTorch accepts zero-size spatial axes only in an empty batch or an input without channels.
void check_spatial_sizes(const char* op, const Tensor& input) {
  if (input.sizes()[0] == 0 || input.sizes()[1] == 0) return;
  for (std::int64_t i = 2; i < input.dim(); ++i) {
    check_arg(input.sizes()[static_cast<std::size_t>(i)] > 0, op,
              "Only zero batch or zero channel inputs are supported, but got input shape: ", shape_str(input.sizes()));
  }
}

}  // namespace

Shape check_conv_forward(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                         const ConvParams& p) {
  check_common(op, input, weight, bias, p, "out_channels, in_channels/groups");
  const std::int64_t d = p.dims;
  const auto n = static_cast<std::size_t>(d);
  const std::int64_t out_channels = weight.sizes()[0];
  const std::int64_t channels = input.sizes()[1];
  check_arg(channels == weight.sizes()[1] * p.groups, op, "Given groups=", p.groups, ", weight of size ",
            shape_str(weight.sizes()), ", expected input", shape_str(input.sizes()), " to have ",
            weight.sizes()[1] * p.groups, " channels, but got ", channels, " channels instead");
  if (bias.defined()) {
    check_arg(bias.dim() == 1 && bias.sizes()[0] == out_channels, op, "Given weight of size ",
              shape_str(weight.sizes()), ", expected bias to be 1-dimensional with ", out_channels,
              " elements, but got bias of size ", shape_str(bias.sizes()), " instead");
  }
  Shape padded(n), kernel(n), out{input.sizes()[0], out_channels};
  bool fits = true;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t k = weight.sizes()[2 + i];
    with_op_name(str_cat(op, ": ", axis_name(d, i)), [&] {
      padded[i] = padded_size(input.sizes()[2 + i], p.pad_before[i], p.pad_after[i]);
      kernel[i] = effective_kernel_size(k, p.dilation[i]);
    });
    fits = fits && padded[i] >= kernel[i];
    out.push_back(
        fits ? conv_output_size(input.sizes()[2 + i], k, p.pad_before[i], p.pad_after[i], p.stride[i], p.dilation[i])
             : 0);
  }
  if (!fits) {
    std::string formulas;
    for (std::size_t i = 0; i < n; ++i) {
      formulas += str_cat(i ? "; " : "", "output ", axis_name(d, i), " ",
                          conv_output_formula(input.sizes()[2 + i], weight.sizes()[2 + i], p.pad_before[i],
                                              p.pad_after[i], p.stride[i], p.dilation[i]));
    }
    check_arg(false, op, "Calculated padded input size per channel: (", joined(padded, " x "), "). Kernel size: (",
              joined(kernel, " x "), "). Kernel size can't be greater than actual input size: ", formulas);
  }
  check_spatial_sizes(op, input);
  if (p.mode != PadMode::Zeros) {
    // The kernels read reflect/replicate/circular pads through index maps; the limits are pad()'s.
    std::vector<std::int64_t> pads;
    for (std::size_t i = n; i-- > 0;) {
      pads.push_back(p.pad_before[i]);
      pads.push_back(p.pad_after[i]);
    }
    with_op_name(op, [&] { check_pad(input.sizes(), pads, p.mode); });
  }
  if (channels == 0) out[1] = 0;  // PyTorch's empty-channel convolution yields zero channels
  return out;
}

Shape check_conv_transpose_forward(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                                   const ConvTransposeParams& t) {
  const ConvParams& p = t.conv;
  check_common(op, input, weight, bias, p, "in_channels, out_channels/groups");
  const std::int64_t d = p.dims;
  const auto n = static_cast<std::size_t>(d);
  const Shape& op_pad = t.output_padding;
  check_arg(op_pad.size() == n, op, "expected output_padding to be a single integer value or a list of ", d,
            " values to match the convolution dimensions, but got output_padding=", shape_str(op_pad));
  for (std::size_t i = 0; i < n; ++i) {
    check_arg(op_pad[i] >= 0, op, "negative output_padding is not supported, got output_padding=", tuple_str(op_pad));
    check_arg(op_pad[i] < std::max(p.stride[i], p.dilation[i]), op,
              "output_padding must be smaller than either stride or dilation, got output_padding=", tuple_str(op_pad),
              ", stride=", tuple_str(p.stride), ", dilation=", tuple_str(p.dilation), " (", axis_name(d, i), ": ",
              op_pad[i], " >= max(", p.stride[i], ", ", p.dilation[i], "))");
  }
  const std::int64_t channels = input.sizes()[1], out_channels = weight.sizes()[1] * p.groups;
  check_arg(channels == weight.sizes()[0], op, "Given transposed=1, weight of size ", shape_str(weight.sizes()),
            ", expected input", shape_str(input.sizes()), " to have ", weight.sizes()[0],
            " channels (a transposed convolution's weight is (in_channels, out_channels/groups, ...)), but got ",
            channels, " channels instead");
  if (bias.defined()) {
    check_arg(bias.dim() == 1 && bias.sizes()[0] == out_channels, op, "Given transposed=1, weight of size ",
              shape_str(weight.sizes()), " and groups=", p.groups, ", expected bias to be 1-dimensional with ",
              out_channels, " elements (out_channels = ", weight.sizes()[1], " * ", p.groups,
              "), but got bias of size ", shape_str(bias.sizes()), " instead");
  }
  check_spatial_sizes(op, input);
  Shape out{input.sizes()[0], out_channels}, spatial(n);
  std::string formulas;
  bool fits = true;
  for (std::size_t i = 0; i < n; ++i) {
    with_op_name(str_cat(op, ": ", axis_name(d, i)), [&] {
      spatial[i] = conv_transpose_output_size(input.sizes()[2 + i], weight.sizes()[2 + i], p.pad_before[i], op_pad[i],
                                              p.stride[i], p.dilation[i]);
      formulas += str_cat(i ? "; " : "", "output ", axis_name(d, i), " ",
                          conv_transpose_output_formula(input.sizes()[2 + i], weight.sizes()[2 + i], p.pad_before[i],
                                                        op_pad[i], p.stride[i], p.dilation[i]));
    });
    // An empty input axis (in an empty batch) may give an empty output axis, as in PyTorch.
    fits = fits && (spatial[i] > 0 || (spatial[i] == 0 && input.sizes()[2 + i] == 0));
  }
  std::vector<std::int64_t> in_spatial(input.sizes().begin() + 2, input.sizes().end());
  check_arg(fits, op, "Given input size per channel: (", joined(in_spatial, " x "),
            "). Calculated output size per channel: (", joined(spatial, " x "),
            "). Output size is too small: ", formulas);
  out.insert(out.end(), spatial.begin(), spatial.end());
  return out;
}

void note_conv_profile(const Shape& image, const Shape& weight, const Shape& output) {
  if (!profile::recording()) return;
  double flops = 2;
  for (const std::int64_t v : output) flops *= static_cast<double>(v);
  for (std::size_t i = 1; i < weight.size(); ++i) flops *= static_cast<double>(weight[i]);
  profile::note_shapes(shape_str(image) + " * " + shape_str(weight));
  profile::note_flops(flops);
}

}  // namespace atrous::native
