#include "tensor/conv/geometry.h"

#include "tensor/error.h"

namespace atrous {
namespace {

// Floor division, also for negative numerators (C++ truncates toward zero).
std::int64_t floor_div(const std::int64_t a, const std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

std::int64_t effective_kernel_size(const std::int64_t kernel, const std::int64_t dilation) {
  return dilation * (kernel - 1) + 1;
}

std::int64_t conv_output_size(const std::int64_t input, const std::int64_t kernel, const std::int64_t padding,
                              const std::int64_t stride, const std::int64_t dilation) {
  return conv_output_size(input, kernel, padding, padding, stride, dilation);
}

std::int64_t conv_output_size(const std::int64_t input, const std::int64_t kernel, const std::int64_t pad_before,
                              const std::int64_t pad_after, const std::int64_t stride, const std::int64_t dilation) {
  check_arg(stride > 0, "conv_output_size", "stride must be positive, got ", stride);
  return floor_div(input + pad_before + pad_after - dilation * (kernel - 1) - 1, stride) + 1;
}

std::pair<std::int64_t, std::int64_t> same_padding(const std::int64_t kernel, const std::int64_t dilation) {
  const std::int64_t total = dilation * (kernel - 1);
  return {total / 2, total - total / 2};
}

std::pair<std::int64_t, std::int64_t> causal_padding(const std::int64_t kernel, const std::int64_t dilation) {
  return {dilation * (kernel - 1), 0};
}

std::string conv_output_formula(const std::int64_t input, const std::int64_t kernel, const std::int64_t pad_before,
                                const std::int64_t pad_after, const std::int64_t stride, const std::int64_t dilation) {
  const std::string pads = pad_before == pad_after ? str_cat("2*", pad_before) : str_cat(pad_before, " + ", pad_after);
  return str_cat("floor((", input, " + ", pads, " - ", dilation, "*(", kernel, "-1) - 1)/", stride, ") + 1 = ",
                 conv_output_size(input, kernel, pad_before, pad_after, stride, dilation));
}

std::vector<ReceptiveField> receptive_field(const std::vector<LayerGeometry>& layers) {
  std::vector<ReceptiveField> out;
  ReceptiveField rf;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerGeometry& l = layers[i];
    check_arg(l.kernel >= 1 && l.stride >= 1 && l.dilation >= 1, "receptive_field", "layer ", i,
              " needs kernel, stride and dilation >= 1, got kernel=", l.kernel, ", stride=", l.stride,
              ", dilation=", l.dilation);
    const std::int64_t span = l.dilation * (l.kernel - 1);
    rf.start += (static_cast<double>(span) / 2.0 - static_cast<double>(l.padding)) * static_cast<double>(rf.jump);
    rf.size += span * rf.jump;
    rf.jump *= l.stride;
    out.push_back(rf);
  }
  return out;
}

}  // namespace atrous
