#include "tensor/conv/conv_plan.h"

#include <algorithm>

#include "tensor/conv/geometry.h"
#include "tensor/conv/pad_index.h"

namespace atrous::native {

std::int64_t conv_weight_partials(const std::int64_t total, const std::int64_t weight_numel) {
  const std::int64_t by_work = total / 256;
  const std::int64_t by_memory = (std::int64_t{64} << 20) / (8 * std::max<std::int64_t>(weight_numel, 1));
  return std::clamp<std::int64_t>(std::min({std::int64_t{16}, by_work, by_memory}), 1, 16);
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
