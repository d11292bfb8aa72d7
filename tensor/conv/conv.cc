// The plain convolution: per image and group, im2col into a [C/g·kH·kW, OH·OW] matrix and one
// matmul. Every reduction runs in a fixed order (images one after another, matmul's fixed k
// order), so results are bit-identical for any thread count.
#include "tensor/conv/conv.h"

#include "tensor/conv/geometry.h"
#include "tensor/factory.h"
#include "tensor/ops/binary.h"
#include "tensor/ops/matmul.h"
#include "tensor/ops/reduce.h"
#include "tensor/ops/view.h"

namespace atrous::native {
namespace {

// A 1-D or 2-D convolution seen as 2-D (a 1-D conv has H = kH = 1).
struct Geometry {
  std::int64_t N, C, H, W, O, kH, kW, OH, OW, G;
  std::int64_t sH, sW, dH, dW, pT, pL;
  std::int64_t Cg() const { return C / G; }
  std::int64_t Og() const { return O / G; }
  std::int64_t rows() const { return Cg() * kH * kW; }  // im2col rows
  std::int64_t cols() const { return OH * OW; }
};

Geometry geometry(const Shape& x, const Shape& w, const ConvParams& p) {
  const bool one = p.dims == 1;
  Geometry g{};
  g.N = x[0], g.C = x[1], g.H = one ? 1 : x[2], g.W = x.back();
  g.O = w[0], g.kH = one ? 1 : w[2], g.kW = w.back(), g.G = p.groups;
  g.sH = one ? 1 : p.stride[0], g.sW = p.stride.back();
  g.dH = one ? 1 : p.dilation[0], g.dW = p.dilation.back();
  g.pT = one ? 0 : p.pad_before[0], g.pL = p.pad_before.back();
  g.OH = one ? 1 : conv_output_size(g.H, g.kH, p.pad_before[0], p.pad_after[0], g.sH, g.dH);
  g.OW = conv_output_size(g.W, g.kW, p.pad_before.back(), p.pad_after.back(), g.sW, g.dW);
  return g;
}

// cols[(c·kH + i)·kW + j, oh·OW + ow] = x[c, oh·sH − pT + i·dH, ow·sW − pL + j·dW], 0 outside.
template <typename T>
void im2col(const T* x, const Geometry& g, T* cols) {
  for (std::int64_t c = 0; c < g.Cg(); ++c) {
    for (std::int64_t i = 0; i < g.kH; ++i) {
      for (std::int64_t j = 0; j < g.kW; ++j) {
        T* row = cols + ((c * g.kH + i) * g.kW + j) * g.cols();
        for (std::int64_t oh = 0; oh < g.OH; ++oh) {
          const std::int64_t ih = oh * g.sH - g.pT + i * g.dH;
          for (std::int64_t ow = 0; ow < g.OW; ++ow) {
            const std::int64_t iw = ow * g.sW - g.pL + j * g.dW;
            const bool inside = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
            row[oh * g.OW + ow] = inside ? x[(c * g.H + ih) * g.W + iw] : T(0);
          }
        }
      }
    }
  }
}

// The adjoint of im2col: x[c, ih, iw] += cols[...] for every in-range position, in index order.
template <typename T>
void col2im(const T* cols, const Geometry& g, T* x) {
  for (std::int64_t c = 0; c < g.Cg(); ++c) {
    for (std::int64_t i = 0; i < g.kH; ++i) {
      for (std::int64_t j = 0; j < g.kW; ++j) {
        const T* row = cols + ((c * g.kH + i) * g.kW + j) * g.cols();
        for (std::int64_t oh = 0; oh < g.OH; ++oh) {
          const std::int64_t ih = oh * g.sH - g.pT + i * g.dH;
          if (ih < 0 || ih >= g.H) continue;
          for (std::int64_t ow = 0; ow < g.OW; ++ow) {
            const std::int64_t iw = ow * g.sW - g.pL + j * g.dW;
            if (iw >= 0 && iw < g.W) x[(c * g.H + ih) * g.W + iw] += row[oh * g.OW + ow];
          }
        }
      }
    }
  }
}

// The [rows, OH·OW] im2col matrix of image n, group grp.
Tensor columns(const Tensor& x, const Geometry& g, const std::int64_t n, const std::int64_t grp) {
  Tensor cols = empty({g.rows(), g.cols()}, x.dtype());
  dispatch_floating(x.dtype(), "conv", [&]<typename T>() {
    im2col(x.data_ptr<T>() + (n * g.C + grp * g.Cg()) * g.H * g.W, g, cols.data_ptr<T>());
  });
  return cols;
}

Shape output_shape(const Geometry& g, const ConvParams& p) {
  return p.dims == 1 ? Shape{g.N, g.O, g.OW} : Shape{g.N, g.O, g.OH, g.OW};
}

}  // namespace

Tensor conv_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& p) {
  const Geometry g = geometry(input.sizes(), weight.sizes(), p);
  if (g.C == 0) {  // PyTorch's empty-channel convolution yields zero channels
    Shape s = output_shape(g, p);
    s[1] = 0;
    return zeros(s, input.dtype());
  }
  Tensor out = empty(output_shape(g, p), input.dtype());
  const Tensor x = contiguous(input);
  const Tensor w = reshape(contiguous(weight), {g.O, g.rows()});
  const Tensor out3 = view(out, {g.N, g.O, g.cols()});
  for (std::int64_t n = 0; n < g.N; ++n) {
    for (std::int64_t grp = 0; grp < g.G; ++grp) {
      const Tensor y = native::matmul(narrow(w, 0, grp * g.Og(), g.Og()), columns(x, g, n, grp));
      copy_into(narrow(select(out3, 0, n), 0, grp * g.Og(), g.Og()), y);
    }
  }
  if (bias.defined() && out.numel() > 0) {
    const Tensor b = view(bias, {1, g.O, 1});
    copy_into(out3, binary(BinaryOp::Add, out3, b));
  }
  return out;
}

Tensor conv_backward_input(const Tensor& grad_output, const Tensor& weight, const Shape& input_sizes,
                           const ConvParams& p) {
  const Geometry g = geometry(input_sizes, weight.sizes(), p);
  Tensor gx = zeros(input_sizes, grad_output.dtype());
  if (gx.numel() == 0 || grad_output.numel() == 0) return gx;
  const Tensor wt = transpose(reshape(contiguous(weight), {g.O, g.rows()}), 0, 1);  // [rows, O]
  const Tensor gy = reshape(contiguous(grad_output), {g.N, g.O, g.cols()});
  dispatch_floating(gx.dtype(), "conv", [&]<typename T>() {
    for (std::int64_t n = 0; n < g.N; ++n) {
      for (std::int64_t grp = 0; grp < g.G; ++grp) {
        const Tensor cols = contiguous(native::matmul(narrow(wt, 1, grp * g.Og(), g.Og()), narrow(select(gy, 0, n), 0, grp * g.Og(), g.Og())));
        col2im(cols.data_ptr<T>(), g, gx.data_ptr<T>() + (n * g.C + grp * g.Cg()) * g.H * g.W);
      }
    }
  });
  return gx;
}

Tensor conv_backward_weight(const Tensor& grad_output, const Tensor& input, const Shape& weight_sizes,
                            const ConvParams& p) {
  const Geometry g = geometry(input.sizes(), weight_sizes, p);
  Tensor gw = zeros(weight_sizes, grad_output.dtype());
  if (gw.numel() == 0 || grad_output.numel() == 0) return gw;
  const Tensor x = contiguous(input);
  const Tensor gy = reshape(contiguous(grad_output), {g.N, g.O, g.cols()});
  const Tensor gw2 = view(gw, {g.O, g.rows()});
  for (std::int64_t n = 0; n < g.N; ++n) {  // images in order: a fixed summation order
    for (std::int64_t grp = 0; grp < g.G; ++grp) {
      const Tensor part = native::matmul(narrow(select(gy, 0, n), 0, grp * g.Og(), g.Og()), transpose(columns(x, g, n, grp), 0, 1));
      const Tensor slot = narrow(gw2, 0, grp * g.Og(), g.Og());
      copy_into(slot, binary(BinaryOp::Add, slot, part));
    }
  }
  return gw;
}

Tensor conv_backward_bias(const Tensor& grad_output) {
  Shape dims{0};
  for (std::int64_t d = 2; d < grad_output.dim(); ++d) dims.push_back(d);
  return native::sum(grad_output, dims, false);
}

}  // namespace atrous::native
