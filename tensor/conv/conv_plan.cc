// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/conv_plan.h"

#include <algorithm>

#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/conv/pad_index.h"

namespace atrous::native {

std::int64_t conv_weight_partials(const std::int64_t total, const std::int64_t weight_numel) {
  const std::int64_t by_work = total / 256;
  const std::int64_t by_memory = (std::int64_t{64} << 20) / (8 * std::max<std::int64_t>(weight_numel, 1));
  return std::clamp<std::int64_t>(std::min({std::int64_t{16}, by_work, by_memory}), 1, 16);
}

namespace {

// One spatial axis of a convolution: input, kernel, pads, stride, dilation (canonical or not).
struct Axis {
  std::int64_t input, kernel, before, after, stride, dilation;
  std::int64_t padded() const { return input + before + after; }  // validated to fit
  std::int64_t span() const { return dilation * (kernel - 1) + 1; }
  std::int64_t outputs() const { return (padded() - span()) / stride + 1; }
};

Axis axis(const Shape& x, const Shape& w, const ConvParams& p, const std::size_t i) {
  return {x[2 + i], w[2 + i], p.pad_before[i], p.pad_after[i], p.stride[i], p.dilation[i]};
}

}  // namespace

Shape conv_output_shape(const Shape& x, const Shape& w, const ConvParams& p) {
  Shape out{x[0], x[1] == 0 ? 0 : w[0]};
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.dims); ++i) {
    out.push_back(conv_output_size(x[2 + i], w[2 + i], p.pad_before[i], p.pad_after[i], p.stride[i], p.dilation[i]));
  }
  return out;
}

ConvParams canonical_conv_params(const Shape& x, const Shape& w, const ConvParams& p) {
  ConvParams c = p;
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.dims); ++i) {
    const Axis a = axis(x, w, p, i);
    if (a.kernel == 1) c.dilation[i] = 1;
    if (a.padded() >= a.span() && a.outputs() == 1) c.stride[i] = std::min(a.stride, a.padded() - a.span() + 1);
  }
  return c;
}

bool conv_is_compact(const Shape& x, const Shape& w, const ConvParams& p) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.dims); ++i) {
    const Axis a = axis(x, w, p, i);
    if (a.padded() < a.span()) continue;  // no output
    // In double: outputs × kernel may not fit in int64 (the output then fails to allocate).
    const double work = static_cast<double>(a.outputs()) * static_cast<double>(a.kernel) + static_cast<double>(a.input);
    if (static_cast<double>(a.padded()) > 4 * work + 64) return false;
  }
  return true;
}

ConvPlan make_conv_plan(const Shape& x, const Shape& w, const ConvParams& p) {
  const bool one = p.dims == 1;
  ConvPlan c{};
  c.N = x[0], c.C = x[1], c.H = one ? 1 : x[2], c.W = x.back();
  c.O = w[0], c.G = p.groups, c.kH = one ? 1 : w[2], c.kW = w.back();
  c.sH = one ? 1 : p.stride[0], c.sW = p.stride.back();
  c.dH = one ? 1 : p.dilation[0], c.dW = p.dilation.back();
  const std::int64_t pt = one ? 0 : p.pad_before[0], pb = one ? 0 : p.pad_after[0];
  const std::int64_t pl = p.pad_before.back(), pr = p.pad_after.back();
  c.OH = conv_output_size(c.H, c.kH, pt, pb, c.sH, c.dH);
  c.OW = conv_output_size(c.W, c.kW, pl, pr, c.sW, c.dW);
  c.Cg = c.C / c.G, c.Og = c.O / c.G, c.K = c.Cg * c.kH * c.kW, c.P = c.OH * c.OW;
  c.map_h = pad_map(p.mode, c.H, pt, pb);
  c.map_w = pad_map(p.mode, c.W, pl, pr);
  c.pad_left = pl;
  c.pad_top = pt;
  c.interior_lo = pl;
  c.interior_hi = pl + c.W;
  return c;
}

}  // namespace atrous::native
