// SPDX-License-Identifier: Apache-2.0
#include "tests/reference/conv_reference.h"

#include "atrous/tensor/factory.h"
#include "tests/support/test_util.h"

namespace atrous::reference {

std::int64_t reference_pad_source(const PadMode mode, std::int64_t t, const std::int64_t n) {
  if (t >= 0 && t < n) return t;
  switch (mode) {
    case PadMode::Zeros:
    case PadMode::Constant: return -1;
    case PadMode::Replicate: return t < 0 ? 0 : n - 1;
    case PadMode::Circular:
      while (t < 0) t += n;
      return t % n;
    case PadMode::Reflect:
      // Bounce off the edges until inside (one bounce suffices for valid pads < n).
      while (t < 0 || t >= n) t = t < 0 ? -t : 2 * (n - 1) - t;
      return t;
  }
  return -1;
}

namespace {

// y (N, O, pixels...) = bias[o] everywhere, or left as it is without a bias.
void fill_with_bias(const Tensor& y, const Tensor& bias, const std::int64_t pixels) {
  if (!bias.defined()) return;
  double* py = y.data_ptr<double>();
  for (std::int64_t i = 0; i < y.numel(); ++i) py[i] = value_at(bias, (i / pixels) % bias.numel());
}

// out[o] += Σ over images and pixels of g[n, o, ...].
void sum_per_channel(const Tensor& g, const std::int64_t pixels, const Tensor& out) {
  double* po = out.data_ptr<double>();
  for (std::int64_t i = 0; i < g.numel(); ++i) po[(i / pixels) % out.numel()] += value_at(g, i);
}

struct Dims {
  std::int64_t N, C, O, Cg, Og, H, W, kH, kW, OH, OW;
};

Dims dims_of(const Tensor& x, const Tensor& w, const ConvConfig& c) {
  const bool one = c.dims == 1;
  Dims d{};
  d.N = x.size(0), d.C = x.size(1), d.O = w.size(0);
  d.Cg = w.size(1), d.Og = d.O / c.groups;
  d.H = one ? 1 : x.size(2), d.W = x.size(-1), d.kH = one ? 1 : w.size(2), d.kW = w.size(-1);
  // In long double (64-bit mantissa: exact for every int64) so that options near INT64_MAX give
  // the mathematical size; a size that does not fit in int64 is the caller's error to expect.
  const auto out = [](std::int64_t i, std::int64_t k, std::int64_t pb, std::int64_t pa, std::int64_t s,
                      std::int64_t dl) {
    using L = long double;
    const L span =
        static_cast<L>(i) + static_cast<L>(pb) + static_cast<L>(pa) - static_cast<L>(dl) * static_cast<L>(k - 1) - 1;
    if (span < 0) return std::int64_t{0};
    if (span >= 0x1p63L) throw std::overflow_error("reference conv: padded size does not fit in int64");
    return static_cast<std::int64_t>(span) / s + 1;
  };
  d.OH = one ? 1 : out(d.H, d.kH, c.pad_before[0], c.pad_after[0], c.stride[0], c.dilation[0]);
  d.OW = out(d.W, d.kW, c.pad_before.back(), c.pad_after.back(), c.stride.back(), c.dilation.back());
  return d;
}

// Calls fn(n, co, oh, ow, ci, i, j, ih, iw) for every product in the convolution sum; ih or iw
// is −1 where the tap reads a zero pad, whose product counts as 0·w (NaN for an infinite w, as in
// PyTorch, which multiplies its padded zeros).
template <typename Fn>
void for_each_tap(const Dims& d, const ConvConfig& c, const Fn& fn) {
  const bool one = c.dims == 1;
  const std::int64_t sH = one ? 1 : c.stride[0], sW = c.stride.back();
  const std::int64_t dH = one ? 1 : c.dilation[0], dW = c.dilation.back();
  const std::int64_t pT = one ? 0 : c.pad_before[0], pL = c.pad_before.back();
  for (std::int64_t n = 0; n < d.N; ++n)
    for (std::int64_t co = 0; co < d.O; ++co)
      for (std::int64_t oh = 0; oh < d.OH; ++oh)
        for (std::int64_t ow = 0; ow < d.OW; ++ow)
          for (std::int64_t c0 = 0; c0 < d.Cg; ++c0)
            for (std::int64_t i = 0; i < d.kH; ++i)
              for (std::int64_t j = 0; j < d.kW; ++j) {
                const std::int64_t ih = reference_pad_source(c.mode, oh * sH - pT + i * dH, d.H);
                const std::int64_t iw = reference_pad_source(c.mode, ow * sW - pL + j * dW, d.W);
                fn(n, co, oh, ow, (co / d.Og) * d.Cg + c0, c0, i, j, ih, iw);
              }
}

std::int64_t xi(const Dims& d, std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
  return ((n * d.C + c) * d.H + h) * d.W + w;
}
std::int64_t wi(const Dims& d, std::int64_t co, std::int64_t c, std::int64_t i, std::int64_t j) {
  return ((co * d.Cg + c) * d.kH + i) * d.kW + j;
}
std::int64_t yi(const Dims& d, std::int64_t n, std::int64_t co, std::int64_t oh, std::int64_t ow) {
  return ((n * d.O + co) * d.OH + oh) * d.OW + ow;
}

// The padded input's value: the source pixel, or 0 for a zero pad.
double x_at(const Tensor& x, const Dims& d, std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
  return h < 0 || w < 0 ? 0.0 : value_at(x, xi(d, n, c, h, w));
}

Shape out_shape(const Dims& d, const ConvConfig& c) {
  return c.dims == 1 ? Shape{d.N, d.O, d.OW} : Shape{d.N, d.O, d.OH, d.OW};
}

}  // namespace

Tensor conv_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvConfig& cfg) {
  const Dims d = dims_of(input, weight, cfg);
  Tensor y = zeros(out_shape(d, cfg), kFloat64);
  double* py = y.data_ptr<double>();
  fill_with_bias(y, bias, d.OH * d.OW);
  for_each_tap(d, cfg, [&](auto n, auto co, auto oh, auto ow, auto ci, auto c0, auto i, auto j, auto ih, auto iw) {
    py[yi(d, n, co, oh, ow)] += value_at(weight, wi(d, co, c0, i, j)) * x_at(input, d, n, ci, ih, iw);
  });
  return y;
}

ConvGrads conv_backward(const Tensor& input, const Tensor& weight, const Tensor& grad_output, const ConvConfig& cfg,
                        const bool has_bias) {
  const Dims d = dims_of(input, weight, cfg);
  ConvGrads g{zeros(input.sizes(), kFloat64), zeros(weight.sizes(), kFloat64),
              has_bias ? zeros({d.O}, kFloat64) : Tensor()};
  double* gx = g.input.data_ptr<double>();
  double* gw = g.weight.data_ptr<double>();
  for_each_tap(d, cfg, [&](auto n, auto co, auto oh, auto ow, auto ci, auto c0, auto i, auto j, auto ih, auto iw) {
    const double gy = value_at(grad_output, yi(d, n, co, oh, ow));
    if (ih >= 0 && iw >= 0) gx[xi(d, n, ci, ih, iw)] += gy * value_at(weight, wi(d, co, c0, i, j));
    gw[wi(d, co, c0, i, j)] += gy * x_at(input, d, n, ci, ih, iw);
  });
  if (has_bias) sum_per_channel(grad_output, d.OH * d.OW, g.bias);
  return g;
}

namespace {

// A transposed convolution's sizes, as 2-D (a 1-D one has H = kH = 1): input (N, C, H, W),
// weight (C, Og, kH, kW), output (N, G·Og, OH, OW).
struct TransposeDims {
  std::int64_t N, C, Cg, Og, O, H, W, kH, kW, OH, OW, sH, sW, dH, dW, pH, pW;
};

TransposeDims transpose_dims(const Tensor& x, const Tensor& w, const ConvConfig& c, const Shape& output_padding) {
  const bool one = c.dims == 1;
  TransposeDims d{};
  d.N = x.size(0), d.C = x.size(1), d.Cg = d.C / c.groups, d.Og = w.size(1), d.O = d.Og * c.groups;
  d.H = one ? 1 : x.size(2), d.W = x.size(-1), d.kH = one ? 1 : w.size(2), d.kW = w.size(-1);
  d.sH = one ? 1 : c.stride[0], d.sW = c.stride.back(), d.dH = one ? 1 : c.dilation[0], d.dW = c.dilation.back();
  d.pH = one ? 0 : c.pad_before[0], d.pW = c.pad_before.back();
  const std::int64_t opH = one ? 0 : output_padding[0], opW = output_padding.back();
  d.OH = (d.H - 1) * d.sH - 2 * d.pH + d.dH * (d.kH - 1) + opH + 1;
  d.OW = (d.W - 1) * d.sW - 2 * d.pW + d.dW * (d.kW - 1) + opW + 1;
  return d;
}

// Calls fn(x index, w index, y index) for every product of the scatter sum.
template <typename Fn>
void for_each_scatter(const TransposeDims& d, const Fn& fn) {
  for (std::int64_t n = 0; n < d.N; ++n)
    for (std::int64_t ci = 0; ci < d.C; ++ci)
      for (std::int64_t ih = 0; ih < d.H; ++ih)
        for (std::int64_t iw = 0; iw < d.W; ++iw)
          for (std::int64_t co = 0; co < d.Og; ++co)
            for (std::int64_t i = 0; i < d.kH; ++i)
              for (std::int64_t j = 0; j < d.kW; ++j) {
                const std::int64_t oh = ih * d.sH - d.pH + i * d.dH, ow = iw * d.sW - d.pW + j * d.dW;
                if (oh < 0 || oh >= d.OH || ow < 0 || ow >= d.OW) continue;
                const std::int64_t o = (ci / d.Cg) * d.Og + co;
                fn(((n * d.C + ci) * d.H + ih) * d.W + iw, ((ci * d.Og + co) * d.kH + i) * d.kW + j,
                   ((n * d.O + o) * d.OH + oh) * d.OW + ow);
              }
}

Shape transpose_out_shape(const TransposeDims& d, const ConvConfig& c) {
  return c.dims == 1 ? Shape{d.N, d.O, d.OW} : Shape{d.N, d.O, d.OH, d.OW};
}

}  // namespace

Tensor conv_transpose_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvConfig& cfg,
                              const Shape& output_padding) {
  const TransposeDims d = transpose_dims(input, weight, cfg, output_padding);
  Tensor y = zeros(transpose_out_shape(d, cfg), kFloat64);
  double* py = y.data_ptr<double>();
  fill_with_bias(y, bias, d.OH * d.OW);
  for_each_scatter(d, [&](auto x_index, auto w_index, auto y_index) {
    py[y_index] += value_at(input, x_index) * value_at(weight, w_index);
  });
  return y;
}

ConvGrads conv_transpose_backward(const Tensor& input, const Tensor& weight, const Tensor& grad_output,
                                  const ConvConfig& cfg, const Shape& output_padding, const bool has_bias) {
  const TransposeDims d = transpose_dims(input, weight, cfg, output_padding);
  ConvGrads g{zeros(input.sizes(), kFloat64), zeros(weight.sizes(), kFloat64),
              has_bias ? zeros({d.O}, kFloat64) : Tensor()};
  double* gx = g.input.data_ptr<double>();
  double* gw = g.weight.data_ptr<double>();
  for_each_scatter(d, [&](auto x_index, auto w_index, auto y_index) {
    const double gy = value_at(grad_output, y_index);
    gx[x_index] += gy * value_at(weight, w_index);
    gw[w_index] += gy * value_at(input, x_index);
  });
  if (has_bias) sum_per_channel(grad_output, d.OH * d.OW, g.bias);
  return g;
}

::testing::AssertionResult matches_oracle(const Tensor& y, const Tensor& x, const Tensor& weight, const Tensor& bias,
                                          const Tensor& oracle_y, const ConvGrads& oracle, const double tol) {
  if (auto r = test::all_close(y, oracle_y, tol, tol); !r) return r << " (output)";
  if (x.numel() > 0) {
    if (auto r = test::all_close(x.grad(), oracle.input, tol, tol); !r) return r << " (grad_input)";
  }
  if (auto r = test::all_close(weight.grad(), oracle.weight, tol, tol); !r) return r << " (grad_weight)";
  if (bias.defined()) {
    if (auto r = test::all_close(bias.grad(), oracle.bias, tol, tol); !r) return r << " (grad_bias)";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace atrous::reference
