// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/scattered_conv.h"

#include <vector>

#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/conv/pad_index.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/parallel.h"

namespace atrous::native {
namespace {

// source[o·kernel + k]: the input coordinate output o reads through tap k on one axis, or −1 for
// a zero pad. o·stride + k·dilation stays below the padded size, which validation bounded.
struct Taps {
  std::int64_t outputs = 1, kernel = 1;
  std::vector<std::int64_t> source{0};

  std::int64_t at(const std::int64_t o, const std::int64_t k) const {
    return source[static_cast<std::size_t>(o * kernel + k)];
  }
};

Taps axis_taps(const ConvParams& p, const std::size_t i, const std::int64_t input, const std::int64_t kernel) {
  Taps t;
  t.outputs = conv_output_size(input, kernel, p.pad_before[i], p.pad_after[i], p.stride[i], p.dilation[i]);
  t.kernel = kernel;
  t.source.resize(static_cast<std::size_t>(t.outputs * kernel));
  for (std::int64_t o = 0; o < t.outputs; ++o) {
    for (std::int64_t k = 0; k < kernel; ++k) {
      t.source[static_cast<std::size_t>(o * kernel + k)] =
          pad_source(p.mode, o * p.stride[i] + k * p.dilation[i], p.pad_before[i], input);
    }
  }
  return t;
}

// A convolution as 2-D numbers (a 1-D one has H = kH = 1, its row tap table one entry).
struct Geometry {
  std::int64_t N, C, H, W, O, Cg, Og, kH, kW;
  Taps rows, cols;

  Geometry(const Shape& x, const Shape& w, const ConvParams& p) {
    const bool one = p.dims == 1;
    N = x[0], C = x[1], H = one ? 1 : x[2], W = x.back();
    O = w[0], Cg = w[1], Og = O / p.groups;  // groups validated positive
    kH = one ? 1 : w[2], kW = w.back();
    if (!one) rows = axis_taps(p, 0, H, kH);
    cols = axis_taps(p, p.dims == 1 ? 0 : 1, W, kW);
  }
  std::int64_t OH() const { return rows.outputs; }
  std::int64_t OW() const { return cols.outputs; }
  Shape output(const ConvParams& p) const { return p.dims == 1 ? Shape{N, O, OW()} : Shape{N, O, OH(), OW()}; }
};

template <typename T>
T padded_value(const T* plane, const Geometry& g, const std::int64_t sy, const std::int64_t sx) {
  return sy < 0 || sx < 0 ? T(0) : plane[sy * g.W + sx];
}

}  // namespace

Tensor scattered_conv_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& params) {
  const Geometry g(input.sizes(), weight.sizes(), params);
  Tensor out = empty(g.output(params), input.dtype());
  if (out.numel() == 0) return out;
  const Tensor x = contiguous(input), w = contiguous(weight);
  const Tensor b = bias.defined() ? contiguous(bias) : Tensor();
  dispatch_floating(input.dtype(), "conv", [&]<typename T>() {
    const T *xp = x.data_ptr<T>(), *wp = w.data_ptr<T>(), *bp = b.defined() ? b.data_ptr<T>() : nullptr;
    T* yp = out.data_ptr<T>();
    parallel_for(g.N * g.O, 1, [&](const std::int64_t begin, const std::int64_t end) {
      for (std::int64_t id = begin; id < end; ++id) {
        const std::int64_t n = id / g.O, co = id % g.O, c0 = co / g.Og * g.Cg;
        T* y = yp + id * g.OH() * g.OW();
        for (std::int64_t oy = 0; oy < g.OH(); ++oy) {
          for (std::int64_t ox = 0; ox < g.OW(); ++ox) {
            T acc = bp != nullptr ? bp[co] : T(0);
            for (std::int64_t c = 0; c < g.Cg; ++c) {
              const T* plane = xp + (n * g.C + c0 + c) * g.H * g.W;
              const T* taps = wp + (co * g.Cg + c) * g.kH * g.kW;
              for (std::int64_t ky = 0; ky < g.kH; ++ky) {
                for (std::int64_t kx = 0; kx < g.kW; ++kx) {
                  acc += taps[ky * g.kW + kx] * padded_value(plane, g, g.rows.at(oy, ky), g.cols.at(ox, kx));
                }
              }
            }
            y[oy * g.OW() + ox] = acc;
          }
        }
      }
    });
  });
  return out;
}

Tensor scattered_conv_backward_input(const Tensor& grad_output, const Tensor& weight, const Shape& input_sizes,
                                     const ConvParams& params) {
  const Geometry g(input_sizes, weight.sizes(), params);
  Tensor gx = zeros(input_sizes, grad_output.dtype());
  if (gx.numel() == 0 || grad_output.numel() == 0) return gx;
  const Tensor gy = contiguous(grad_output), w = contiguous(weight);
  dispatch_floating(gx.dtype(), "conv", [&]<typename T>() {
    const T *gyp = gy.data_ptr<T>(), *wp = w.data_ptr<T>();
    T* gxp = gx.data_ptr<T>();
    // A task owns dX planes (n, c); every tap that reads a source pixel, padded copies of it
    // included, adds to it in the order (output channel, row, tap row, column, tap column).
    parallel_for(g.N * g.C, 1, [&](const std::int64_t begin, const std::int64_t end) {
      for (std::int64_t id = begin; id < end; ++id) {
        const std::int64_t n = id / g.C, c = id % g.C, group = c / g.Cg;
        T* plane = gxp + id * g.H * g.W;
        for (std::int64_t co = group * g.Og; co < (group + 1) * g.Og; ++co) {
          const T* dy = gyp + (n * g.O + co) * g.OH() * g.OW();
          const T* taps = wp + (co * g.Cg + c % g.Cg) * g.kH * g.kW;
          for (std::int64_t oy = 0; oy < g.OH(); ++oy) {
            for (std::int64_t ky = 0; ky < g.kH; ++ky) {
              const std::int64_t sy = g.rows.at(oy, ky);
              if (sy < 0) continue;
              for (std::int64_t ox = 0; ox < g.OW(); ++ox) {
                for (std::int64_t kx = 0; kx < g.kW; ++kx) {
                  const std::int64_t sx = g.cols.at(ox, kx);
                  if (sx >= 0) plane[sy * g.W + sx] += taps[ky * g.kW + kx] * dy[oy * g.OW() + ox];
                }
              }
            }
          }
        }
      }
    });
  });
  return gx;
}

Tensor scattered_conv_backward_weight(const Tensor& grad_output, const Tensor& input, const Shape& weight_sizes,
                                      const ConvParams& params) {
  const Geometry g(input.sizes(), weight_sizes, params);
  Tensor gw = zeros(weight_sizes, grad_output.dtype());
  if (gw.numel() == 0 || grad_output.numel() == 0) return gw;
  const Tensor gy = contiguous(grad_output), x = contiguous(input);
  dispatch_floating(gw.dtype(), "conv", [&]<typename T>() {
    const T *gyp = gy.data_ptr<T>(), *xp = x.data_ptr<T>();
    T* gwp = gw.data_ptr<T>();
    parallel_for(g.O * g.Cg, 1, [&](const std::int64_t begin, const std::int64_t end) {
      for (std::int64_t id = begin; id < end; ++id) {
        const std::int64_t co = id / g.Cg, c = co / g.Og * g.Cg + id % g.Cg;
        for (std::int64_t ky = 0; ky < g.kH; ++ky) {
          for (std::int64_t kx = 0; kx < g.kW; ++kx) {
            T acc(0);
            for (std::int64_t n = 0; n < g.N; ++n) {
              const T* dy = gyp + (n * g.O + co) * g.OH() * g.OW();
              const T* plane = xp + (n * g.C + c) * g.H * g.W;
              for (std::int64_t oy = 0; oy < g.OH(); ++oy) {
                for (std::int64_t ox = 0; ox < g.OW(); ++ox) {
                  acc += dy[oy * g.OW() + ox] * padded_value(plane, g, g.rows.at(oy, ky), g.cols.at(ox, kx));
                }
              }
            }
            gwp[id * g.kH * g.kW + ky * g.kW + kx] = acc;
          }
        }
      }
    });
  });
  return gw;
}

}  // namespace atrous::native
