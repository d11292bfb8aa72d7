// SPDX-License-Identifier: Apache-2.0
#include "examples/playground/conv_view.h"

#include <sstream>

namespace playground {

using namespace atrous;
namespace F = nn::functional;

namespace {

PadMode pad_mode(const std::string& m) {
  if (m == "zeros") return kConstant;
  if (m == "reflect") return kReflect;
  if (m == "replicate") return kReplicate;
  if (m == "circular") return kCircular;
  throw std::invalid_argument("playground: --mode must be zeros, reflect, replicate or circular, got '" + m + "'");
}

// Padding before and after along one axis, as Conv2d resolves it.
std::pair<std::int64_t, std::int64_t> resolve_padding(const ConvParams& p) {
  if (p.padding == "same") return same_padding(p.kernel_size, p.dilation);
  if (p.padding == "valid") return {0, 0};
  std::size_t used = 0;
  std::int64_t v = -1;
  try {
    v = std::stoll(p.padding, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != p.padding.size() || v < 0) {
    throw std::invalid_argument("playground: --padding must be a non-negative integer, 'same' or 'valid', got '" +
                                p.padding + "'");
  }
  return {v, v};
}

Tensor input_grid(const ConvParams& p) {
  return arange(1.0, static_cast<double>(p.input * p.input + 1)).reshape({1, 1, p.input, p.input});
}

// The transposed view: the input itself (its "padding" crops the output instead), and the
// output, each cell the sum over the input cells that reach it times the tap they go through.
ConvView compute_transposed(const ConvParams& p) {
  check_arg(p.mode == "zeros", "playground", "a transposed convolution pads with zeros only, got --mode ", p.mode);
  check_arg(p.padding != "same" && p.padding != "valid", "playground",
            "a transposed convolution takes a number as --padding, got '", p.padding, "'");
  const std::int64_t padding = resolve_padding(p).first;
  ConvView v;
  v.weights = kernel_weights(p);
  const Tensor y = F::conv_transpose2d(input_grid(p), v.weights.reshape({1, 1, p.kernel_size, p.kernel_size}),
                                       F::ConvTranspose2dFuncOptions()
                                           .stride(p.stride)
                                           .padding(padding)
                                           .dilation(p.dilation)
                                           .output_padding(p.output_padding));
  v.out = y.size(3);
  v.output = y.reshape({v.out, v.out});
  v.padded = input_grid(p).reshape({p.input, p.input});
  v.formula = conv_transpose_output_formula(p.input, p.kernel_size, padding, p.output_padding, p.stride, p.dilation);
  v.before = padding;  // what the output crops on each side
  return v;
}

// Whether tap t of the kernel sits at offset `delta` along one axis (delta = t·D, 0 <= t < K): t or -1.
std::int64_t tap_at(const ConvParams& p, const std::int64_t delta) {
  return delta >= 0 && delta % p.dilation == 0 && delta / p.dilation < p.kernel_size ? delta / p.dilation : -1;
}

}  // namespace

void check(const ConvParams& p) {
  check_arg(p.input > 0 && p.input <= 64, "playground", "--input must be in [1, 64], got ", p.input);
  check_arg(p.kernel_size > 0 && p.kernel_size <= 64, "playground", "--kernel-size must be in [1, 64], got ",
            p.kernel_size);
  check_arg(p.stride > 0 && p.dilation > 0, "playground", "stride and dilation must be positive, got stride=", p.stride,
            ", dilation=", p.dilation);
  check_arg(p.weights == "chapter" || p.weights == "ones" || p.weights == "random", "playground",
            "--kernel must be chapter, ones or random, got '", p.weights, "'");
  pad_mode(p.mode);
  // Every grid on the screen stays drawable: at most kMaxSide cells a side.
  constexpr std::int64_t kMaxSide = 1024;
  check_arg(p.dilation <= kMaxSide, "playground", "--dilation must be at most ", kMaxSide, ", got ", p.dilation);
  const std::int64_t k_eff = effective_kernel_size(p.kernel_size, p.dilation);
  check_arg(k_eff <= kMaxSide, "playground", "the effective kernel D*(K-1)+1 = ", p.dilation, "*(", p.kernel_size,
            "-1)+1 = ", k_eff, " is more than ", kMaxSide, " cells wide");
  const auto [before, after] = resolve_padding(p);
  check_arg(before <= kMaxSide && after <= kMaxSide && p.output_padding <= kMaxSide, "playground",
            "--padding and --output-padding must be at most ", kMaxSide, ", got ", before, " and ", p.output_padding);
}

Tensor kernel_weights(const ConvParams& p) {
  const std::int64_t k = p.kernel_size;
  if (p.weights == "ones") return ones({k, k});
  if (p.weights == "random") {
    manual_seed(p.seed);
    return randint(-2, 3, {k, k}).to(kFloat);
  }
  std::vector<float> w(static_cast<std::size_t>(k * k));
  for (std::int64_t i = 0; i < k * k; ++i) w[static_cast<std::size_t>(i)] = (i / k + i % k) % 2 == 0 ? 1.0F : 0.0F;
  return from_vector(w, {k, k});
}

ConvView compute(const ConvParams& p) {
  const NoGradGuard no_grad;
  if (p.transposed) return compute_transposed(p);
  ConvView v;
  std::tie(v.before, v.after) = resolve_padding(p);
  nn::Conv2d conv(
      nn::Conv2dOptions(1, 1, p.kernel_size)
          .stride(p.stride)
          .dilation(p.dilation)
          .bias(false)
          .padding(p.padding == "same" || p.padding == "valid" ? nn::ConvPadding(p.padding) : nn::ConvPadding(v.before))
          .padding_mode(p.mode));
  v.weights = kernel_weights(p);
  conv->weight.copy_(v.weights.reshape({1, 1, p.kernel_size, p.kernel_size}));
  const Tensor x = input_grid(p);
  v.out = conv_output_size(p.input, p.kernel_size, v.before, v.after, p.stride, p.dilation);
  v.output = conv(x).reshape({v.out, v.out});
  v.padded = F::pad(x, F::PadFuncOptions({v.before, v.after, v.before, v.after}).mode(pad_mode(p.mode)));
  v.padded = v.padded.reshape({v.padded.size(2), v.padded.size(3)});
  v.formula = conv_output_formula(p.input, p.kernel_size, v.before, v.after, p.stride, p.dilation);
  return v;
}

std::int64_t output_side(const ConvParams& p) {
  const auto [before, after] = resolve_padding(p);
  return p.transposed
             ? conv_transpose_output_size(p.input, p.kernel_size, before, p.output_padding, p.stride, p.dilation)
             : conv_output_size(p.input, p.kernel_size, before, after, p.stride, p.dilation);
}

std::pair<std::int64_t, std::int64_t> tap_of(const ConvParams& p, const ConvView& v, const std::int64_t r,
                                             const std::int64_t c) {
  // A transposed convolution's input cell i reaches output o through tap t when o + P = i·S + t·D.
  const std::int64_t tr = p.transposed ? tap_at(p, p.row + v.before - r * p.stride) : tap_at(p, r - p.row * p.stride);
  const std::int64_t tc = p.transposed ? tap_at(p, p.col + v.before - c * p.stride) : tap_at(p, c - p.col * p.stride);
  return tr >= 0 && tc >= 0 ? std::pair{tr, tc} : std::pair<std::int64_t, std::int64_t>{-1, -1};
}

bool is_pad(const ConvParams& p, const ConvView& v, const std::int64_t r, const std::int64_t c) {
  if (p.transposed) return false;
  return r < v.before || c < v.before || r >= v.before + p.input || c >= v.before + p.input;
}

bool mode_active(const ConvParams& p, const ConvView& v) { return !p.transposed && v.before + v.after > 0; }

std::string parameters(const ConvParams& p, const ConvView* v) {
  std::ostringstream s;
  s << (p.transposed ? "transposed " : "") << "I=" << p.input << " K=" << p.kernel_size << " S=" << p.stride
    << " P=" << p.padding << " D=" << p.dilation;
  if (p.transposed)
    s << " output_padding=" << p.output_padding;
  else
    s << " mode=" << p.mode << (v != nullptr && !mode_active(p, *v) ? " (inactive: P=0)" : "");
  s << " weights=" << p.weights;
  if (p.weights == "random") s << " (seed " << p.seed << ")";
  return s.str();
}

const char* try_text(const int n) {
  switch (n) {
    case 1: return "S=2, P=1: ResNet's downsampling block; output is (5+2-3)/2+1 = 3";
    case 2: return "D=2 with P=2: 'same' dilated conv; output shape matches the input";
    case 3: return "D=2 with P=0: output collapses to 1x1, k_eff = 5 matches the input";
    case 4: return "P=1, mode reflect: the corner cells change (m: replicate, ...)";
    default: return "";
  }
}

void apply_try(ConvParams& p, const int n) {
  ConvParams start;
  start.weights = p.weights;
  start.seed = p.seed;
  switch (n) {
    case 1: start.stride = 2, start.padding = "1"; break;
    case 2: start.dilation = 2, start.padding = "2"; break;
    case 3: start.dilation = 2; break;
    case 4: start.padding = "1", start.mode = "reflect"; break;
    default: return;
  }
  p = start;
}

double value_at(const Tensor& t, const std::int64_t r, const std::int64_t c) {
  return t.select(0, r).select(0, c).item<double>();
}

std::string format_value(const double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

std::string step_text(const ConvParams& p, const ConvView& v) {
  return "step " + std::to_string(p.row * v.out + p.col + 1) + "/" + std::to_string(v.out * v.out);
}

}  // namespace playground
