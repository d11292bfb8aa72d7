// SPDX-License-Identifier: Apache-2.0
// Non-SIMD planning of the direct convolution (see direct_conv.h): a forward's plan, the phase
// plans of a grad_input, whether the direct path pays and whether it takes the depthwise kernels. Target-independent,
// so plans never depend on the machine's vector width or on the thread count.
#include <algorithm>
#include <numeric>
#include <utility>

#include "atrous/tensor/conv/depthwise_conv.h"
#include "atrous/tensor/conv/direct_conv.h"
#include "atrous/tensor/conv/pad_index.h"

namespace atrous::native {

bool DirectConvPlan::virtual_is_source() const {
  const auto identity = [](const std::vector<std::int64_t>& map, const std::int64_t n) {
    if (static_cast<std::int64_t>(map.size()) != n) return false;
    for (std::int64_t i = 0; i < n; ++i) {
      if (map[static_cast<std::size_t>(i)] != i) return false;
    }
    return true;
  };
  return sH == 1 && sW == 1 && identity(map_h, src_h) && identity(map_w, src_w);
}

namespace {

DirectConvPlan with_phases(DirectConvPlan p) {
  for (std::int64_t ky = 0; ky < p.kH; ++ky) {
    for (std::int64_t kx = 0; kx < p.kW; ++kx) {
      const std::int64_t phase = ky * p.dH % p.sH * p.sW + kx * p.dW % p.sW;
      if (std::find(p.phases.begin(), p.phases.end(), phase) == p.phases.end()) p.phases.push_back(phase);
    }
  }
  std::sort(p.phases.begin(), p.phases.end());
  return p;
}

std::vector<std::int64_t> all_taps(const std::int64_t n) {
  std::vector<std::int64_t> taps(static_cast<std::size_t>(n));
  std::iota(taps.begin(), taps.end(), 0);
  return taps;
}

}  // namespace

DirectConvPlan direct_forward_plan(const ConvPlan& p) {
  return with_phases({.N = p.N,
                      .G = p.G,
                      .Ci = p.Cg,
                      .Co = p.Og,
                      .src_h = p.H,
                      .src_w = p.W,
                      .kH = p.kH,
                      .kW = p.kW,
                      .sH = p.sH,
                      .sW = p.sW,
                      .dH = p.dH,
                      .dW = p.dW,
                      .map_h = p.map_h,
                      .map_w = p.map_w,
                      .copy_lo = p.interior_lo,
                      .copy_hi = p.interior_hi,
                      .copy_shift = p.pad_left,
                      .OH = p.OH,
                      .OW = p.OW,
                      .out_plane = p.OH * p.OW,
                      .out_row = p.OW,
                      .out_col = 1,
                      .out_offset = 0,
                      .phases = {},
                      .w_group = p.Og * p.Cg * p.kH * p.kW,
                      .w_out = p.Cg * p.kH * p.kW,
                      .w_in = p.kH * p.kW,
                      .w_taps = all_taps(p.kH * p.kW)});
}

namespace {

std::int64_t floor_div(const std::int64_t a, const std::int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// One axis of one grad_input phase: input coordinates i with (i + pad) ≡ rho (mod stride).
struct PhaseAxis {
  std::vector<std::int64_t> taps;     // kernel taps reaching the phase, flipped (last first)
  std::int64_t dilation = 1;          // between consecutive taps, in dY pixels
  std::int64_t first = 0, count = 0;  // phase index m of the first input, number of inputs
  std::vector<std::int64_t> map;      // virtual coordinate → dY coordinate, or −1
  std::int64_t border = 0;            // virtual v reads dY v − border
};

// Input coordinate i = rho + stride·m − pad receives dY[m − j(k)] · w[k] for every tap k with
// k·d ≡ rho, j(k) = (k·d − rho) / stride. Those taps are evenly spaced, so the phase is a
// stride-1 convolution of dY with them flipped: output r (m = first + r) reads virtual
// r + t·dilation = dY[r + first − j(last tap) + t·dilation].
PhaseAxis phase_axis(const std::int64_t rho, const std::int64_t stride, const std::int64_t kernel,
                     const std::int64_t dil, const std::int64_t pad, const std::int64_t in, const std::int64_t out) {
  PhaseAxis a;
  for (std::int64_t k = kernel - 1; k >= 0; --k) {
    if (k * dil % stride == rho) a.taps.push_back(k);
  }
  if (a.taps.empty()) return a;
  const auto j = [&](const std::int64_t k) { return (k * dil - rho) / stride; };
  if (a.taps.size() > 1) a.dilation = j(a.taps[0]) - j(a.taps[1]);
  a.first = floor_div(pad - rho + stride - 1, stride);
  a.count = std::max<std::int64_t>(0, floor_div(in - 1 + pad - rho, stride) - a.first + 1);
  a.border = j(a.taps[0]) - a.first;
  // dY zero-padded by `border` (negative: cropped) to the phase's virtual size.
  const std::int64_t size = a.count + (static_cast<std::int64_t>(a.taps.size()) - 1) * a.dilation;
  a.map = pad_map(PadMode::Zeros, out, a.border, size - out - a.border);
  return a;
}

}  // namespace

std::vector<DirectConvPlan> direct_backward_input_phases(const ConvPlan& p) {
  std::vector<DirectConvPlan> phases;
  for (std::int64_t rh = 0; rh < p.sH; ++rh) {
    const PhaseAxis h = phase_axis(rh, p.sH, p.kH, p.dH, p.pad_top, p.H, p.OH);
    if (h.taps.empty() || h.count == 0) continue;
    for (std::int64_t rw = 0; rw < p.sW; ++rw) {
      const PhaseAxis w = phase_axis(rw, p.sW, p.kW, p.dW, p.pad_left, p.W, p.OW);
      if (w.taps.empty() || w.count == 0) continue;
      const auto Wv = static_cast<std::int64_t>(w.map.size());
      std::vector<std::int64_t> taps;
      for (const std::int64_t ky : h.taps) {
        for (const std::int64_t kx : w.taps) taps.push_back(ky * p.kW + kx);
      }
      DirectConvPlan plan{.N = p.N,
                          .G = p.G,
                          .Ci = p.Og,
                          .Co = p.Cg,
                          .src_h = p.OH,
                          .src_w = p.OW,
                          .kH = static_cast<std::int64_t>(h.taps.size()),
                          .kW = static_cast<std::int64_t>(w.taps.size()),
                          .sH = 1,
                          .sW = 1,
                          .dH = h.dilation,
                          .dW = w.dilation,
                          .map_h = h.map,
                          .map_w = w.map,
                          .copy_lo = std::clamp<std::int64_t>(w.border, 0, Wv),
                          .copy_hi = std::clamp<std::int64_t>(w.border + p.OW, 0, Wv),
                          .copy_shift = w.border,
                          .OH = h.count,
                          .OW = w.count,
                          .out_plane = p.H * p.W,
                          .out_row = p.sH * p.W,
                          .out_col = p.sW,
                          .out_offset = (rh + p.sH * h.first - p.pad_top) * p.W + rw + p.sW * w.first - p.pad_left,
                          .phases = {},
                          .w_group = p.Og * p.Cg * p.kH * p.kW,
                          .w_out = p.kH * p.kW,
                          .w_in = p.Cg * p.kH * p.kW,
                          .w_taps = std::move(taps)};
      phases.push_back(with_phases(std::move(plan)));
    }
  }
  return phases;
}

bool depthwise_conv_applies(const DirectConvPlan& p, const std::size_t element_size) {
  if (p.Ci > kNarrowChannels || p.Co > kNarrowChannels) return false;
  // A task's bands, with room for the last vector block's wrap-around columns.
  const double band = static_cast<double>(p.phases.size()) * static_cast<double>(kLaneTile + p.max_offset() + 64);
  // Each task fills its band, and a tile's outputs read kH·kW taps each: a dilation or padding far
  // wider than the tile (2 taps 65536 apart) would make every task fill 65 times what it reads.
  const bool cheaper = band <= static_cast<double>(2 * p.kH * p.kW * kLaneTile);
  return cheaper && static_cast<double>(p.Ci) * band * static_cast<double>(element_size) <= double{4 << 20};
}

bool direct_conv_pays(const DirectConvPlan& p, const std::size_t element_size) {
  if (depthwise_conv_applies(p, element_size)) return true;
  const auto copied = static_cast<double>(p.phases.size()) * static_cast<double>(kConvPixelTile + p.max_offset());
  // The packed path copies every im2col element twice (gathered into a row, then into panels).
  const bool cheaper = copied <= static_cast<double>(2 * p.kH * p.kW * kConvPixelTile);
  const bool bounded = static_cast<double>(p.Ci) * copied * static_cast<double>(element_size) <= double{4 << 20};
  return cheaper && bounded;
}

}  // namespace atrous::native
