// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/geometry.h"

#include <numeric>

#include "atrous/tensor/error.h"

namespace atrous {
namespace {

// Floor division, also for negative numerators (C++ truncates toward zero).
std::int64_t floor_div(const std::int64_t a, const std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// a·b + c, or std::invalid_argument naming `op` and the formula `what` with the values filled in.
// Geometry takes user-given values up to INT64_MAX: a wrapped result would index memory.
std::int64_t mul_add(const std::int64_t a, const std::int64_t b, const std::int64_t c, const char* op,
                     const char* what) {
  std::int64_t ab = 0, r = 0;
  check_arg(!__builtin_mul_overflow(a, b, &ab) && !__builtin_add_overflow(ab, c, &r), op, what, " = ", a, "*", b, " + ",
            c, " does not fit in 64-bit integers (largest 9223372036854775807)");
  return r;
}

void check_kernel_dilation(const std::int64_t kernel, const std::int64_t dilation, const char* op) {
  check_arg(kernel >= 1 && dilation >= 1, op, "kernel and dilation must be >= 1, got kernel=", kernel,
            ", dilation=", dilation);
}

}  // namespace

std::int64_t effective_kernel_size(const std::int64_t kernel, const std::int64_t dilation) {
  check_kernel_dilation(kernel, dilation, "effective_kernel_size");
  return mul_add(dilation, kernel - 1, 1, "effective_kernel_size", "dilation*(kernel-1) + 1");
}

std::int64_t conv_output_size(const std::int64_t input, const std::int64_t kernel, const std::int64_t padding,
                              const std::int64_t stride, const std::int64_t dilation) {
  return conv_output_size(input, kernel, padding, padding, stride, dilation);
}

std::int64_t padded_size(const std::int64_t input, const std::int64_t pad_before, const std::int64_t pad_after) {
  std::int64_t once = 0, twice = 0;
  check_arg(!__builtin_add_overflow(input, pad_before, &once) && !__builtin_add_overflow(once, pad_after, &twice),
            "padded_size", "input + pad_before + pad_after = ", input, " + ", pad_before, " + ", pad_after,
            " does not fit in 64-bit integers (largest 9223372036854775807)");
  return twice;
}

std::int64_t conv_output_size(const std::int64_t input, const std::int64_t kernel, const std::int64_t pad_before,
                              const std::int64_t pad_after, const std::int64_t stride, const std::int64_t dilation) {
  check_arg(stride > 0, "conv_output_size", "stride must be positive, got ", stride);
  check_kernel_dilation(kernel, dilation, "conv_output_size");
  const std::int64_t padded = padded_size(input, pad_before, pad_after);
  const std::int64_t span = mul_add(dilation, kernel - 1, 1, "conv_output_size", "dilation*(kernel-1) + 1");
  // Both are non-negative when the padding is, so padded - span cannot wrap; negative pads (a
  // caller's arithmetic, never a layer's) are checked the same way.
  std::int64_t room = 0;
  check_arg(!__builtin_sub_overflow(padded, span, &room), "conv_output_size",
            "input + pads - (dilation*(kernel-1) + 1) = ", padded, " - ", span, " does not fit in 64-bit integers");
  return floor_div(room, stride) + 1;
}

std::int64_t conv_transpose_output_size(const std::int64_t input, const std::int64_t kernel, const std::int64_t padding,
                                        const std::int64_t output_padding, const std::int64_t stride,
                                        const std::int64_t dilation) {
  const char* op = "conv_transpose_output_size";
  check_arg(stride > 0, op, "stride must be positive, got ", stride);
  check_kernel_dilation(kernel, dilation, op);
  check_arg(input >= 0 && padding >= 0 && output_padding >= 0, op,
            "input, padding and output_padding must be >= 0, got input=", input, ", padding=", padding,
            ", output_padding=", output_padding);
  const std::int64_t spread =
      mul_add(input - 1, stride, 1 + output_padding, op, "(input-1)*stride + output_padding + 1");
  const std::int64_t grown = mul_add(dilation, kernel - 1, spread, op, "dilation*(kernel-1) + (input-1)*stride + ...");
  return mul_add(-2, padding, grown, op, "... - 2*padding");
}

std::pair<std::int64_t, std::int64_t> same_padding(const std::int64_t kernel, const std::int64_t dilation) {
  check_kernel_dilation(kernel, dilation, "same_padding");
  const std::int64_t total = mul_add(dilation, kernel - 1, 0, "same_padding", "dilation*(kernel-1)");
  return {total / 2, total - total / 2};
}

std::pair<std::int64_t, std::int64_t> causal_padding(const std::int64_t kernel, const std::int64_t dilation) {
  check_kernel_dilation(kernel, dilation, "causal_padding");
  return {mul_add(dilation, kernel - 1, 0, "causal_padding", "dilation*(kernel-1)"), 0};
}

std::string conv_output_formula(const std::int64_t input, const std::int64_t kernel, const std::int64_t pad_before,
                                const std::int64_t pad_after, const std::int64_t stride, const std::int64_t dilation) {
  const std::string pads = pad_before == pad_after ? str_cat("2*", pad_before) : str_cat(pad_before, " + ", pad_after);
  return str_cat("floor((", input, " + ", pads, " - ", dilation, "*(", kernel, "-1) - 1)/", stride,
                 ") + 1 = ", conv_output_size(input, kernel, pad_before, pad_after, stride, dilation));
}

std::string conv_transpose_output_formula(const std::int64_t input, const std::int64_t kernel,
                                          const std::int64_t padding, const std::int64_t output_padding,
                                          const std::int64_t stride, const std::int64_t dilation) {
  return str_cat("(", input, " - 1)*", stride, " - 2*", padding, " + ", dilation, "*(", kernel, "-1) + ",
                 output_padding,
                 " + 1 = ", conv_transpose_output_size(input, kernel, padding, output_padding, stride, dilation));
}

namespace {

// The most outputs of a period receptive_field evaluates exactly: the product of the transposed
// strides, after which every unit's window repeats shifted.
constexpr std::int64_t kMaxTransposedPeriod = std::int64_t{1} << 16;

std::int64_t ceil_div(const std::int64_t a, const std::int64_t b) { return -floor_div(-a, b); }

// The previous layer's units [lo, hi] that units [lo, hi] of layer l read, borders ignored: a
// convolution reads o·s − p + t·d; a transposed one (dilation 1, kernel >= stride) the i with
// o + p − t = i·s, never none. Both ends are non-decreasing in o, so an interval's reads are its
// ends' reads, holes between dilated taps included: the extent is the same.
std::pair<std::int64_t, std::int64_t> reads(const LayerGeometry& l, const std::int64_t lo, const std::int64_t hi) {
  const char* op = "receptive_field";
  if (l.transposed) {
    return {ceil_div(mul_add(1, lo, l.padding - (l.kernel - 1), op, "unit + padding - (kernel-1)"), l.stride),
            floor_div(mul_add(1, hi, l.padding, op, "unit + padding"), l.stride)};
  }
  const std::int64_t first = mul_add(lo, l.stride, -l.padding, op, "unit*stride - padding");
  const std::int64_t last = mul_add(hi, l.stride, -l.padding, op, "unit*stride - padding");
  return {first, mul_add(l.dilation, l.kernel - 1, last, op, "dilation*(kernel-1) + unit*stride - padding")};
}

// Why receptive_field cannot take layer i of `layers` (its prefix being fine), or "".
std::string unsupported(const std::vector<LayerGeometry>& layers, const std::size_t i, const std::int64_t period) {
  const LayerGeometry& l = layers[i];
  if (!l.transposed) return "";
  if (l.dilation != 1 || l.kernel < l.stride) {
    // Dilated taps reach the inputs out of order, and a kernel shorter than the stride leaves
    // outputs that read nothing: the windows are no longer intervals that grow with the unit.
    return str_cat("layer ", i, " (transposed, kernel ", l.kernel, ", stride ", l.stride, ", dilation ", l.dilation,
                   ") reads its inputs unevenly; receptive fields are defined here for dilation 1 and kernel >= "
                   "stride");
  }
  std::int64_t grown = 0;
  if (__builtin_mul_overflow(period, l.stride, &grown) || grown > kMaxTransposedPeriod) {
    return str_cat("layer ", i, ": the transposed strides multiply to more than ", kMaxTransposedPeriod,
                   ", the period receptive_field evaluates");
  }
  return "";
}

}  // namespace

std::vector<ReceptiveField> receptive_field(const std::vector<LayerGeometry>& layers) {
  std::vector<ReceptiveField> out;
  ReceptiveField rf;
  std::int64_t period = 1;  // product of the transposed strides so far
  bool exact = false;       // past a transposed layer, stride 1 included: windows unit by unit
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerGeometry& l = layers[i];
    check_arg(l.kernel >= 1 && l.stride >= 1 && l.dilation >= 1, "receptive_field", "layer ", i,
              " needs kernel, stride and dilation >= 1, got kernel=", l.kernel, ", stride=", l.stride,
              ", dilation=", l.dilation);
    const std::string why = unsupported(layers, i, period);
    check_arg(why.empty(), "receptive_field", why);
    exact = exact || l.transposed;
    if (l.transposed) period *= l.stride;
    if (exact) {
      // Units of an up-sampled layer sit unevenly over the input (outputs 2m and 2m+1 of a k2 s2
      // layer read the same unit), so the field is each unit's window through the stack, the
      // widest over one period of units; the start is unit 0's centre.
      rf.size = 0;
      for (std::int64_t o = 0; o < period; ++o) {
        std::pair<std::int64_t, std::int64_t> window{o, o};
        for (std::size_t m = i + 1; m-- > 0;) window = reads(layers[m], window.first, window.second);
        if (o == 0) rf.start = (static_cast<double>(window.first) + static_cast<double>(window.second)) / 2.0;
        rf.size = std::max(rf.size, window.second - window.first + 1);
      }
      if (l.transposed)
        rf.jump_divisor *= l.stride;  // within the period's bound
      else
        rf.jump = mul_add(rf.jump, l.stride, 0, "receptive_field", "jump*stride");
      const std::int64_t common = std::gcd(rf.jump, rf.jump_divisor);
      rf.jump /= common;
      rf.jump_divisor /= common;
      out.push_back(rf);
      continue;
    }
    const std::int64_t span = mul_add(l.dilation, l.kernel - 1, 0, "receptive_field", "dilation*(kernel-1)");
    rf.start += (static_cast<double>(span) / 2.0 - static_cast<double>(l.padding)) * static_cast<double>(rf.jump);
    std::int64_t grown = 0, jump = 0;
    check_arg(!__builtin_mul_overflow(span, rf.jump, &grown) && !__builtin_add_overflow(rf.size, grown, &rf.size) &&
                  !__builtin_mul_overflow(rf.jump, l.stride, &jump),
              "receptive_field", "layer ", i, ": size + dilation*(kernel-1)*jump = ", rf.size, " + ", span, "*",
              rf.jump, " or jump*stride = ", rf.jump, "*", l.stride,
              " does not fit in 64-bit integers (largest 9223372036854775807)");
    rf.jump = jump;
    out.push_back(rf);
  }
  return out;
}

bool receptive_field_defined(const std::vector<LayerGeometry>& layers) {
  std::int64_t period = 1;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerGeometry& l = layers[i];
    if (l.stride < 1 || !unsupported(layers, i, period).empty()) return false;
    if (l.transposed) period *= l.stride;
  }
  return true;
}

}  // namespace atrous
