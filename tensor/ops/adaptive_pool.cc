// SPDX-License-Identifier: Apache-2.0
// Adaptive average pooling: output cell (oh, ow) averages input rows ⌊oh·H/OH⌋ … ⌈(oh + 1)·H/OH⌉ − 1
// and the columns alike, as PyTorch does; cells may overlap, and the backward adds each cell's
// share to every input it averaged.
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/pool.h"
#include "atrous/tensor/ops/pool_planes.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {
namespace {

std::int64_t start_index(const std::int64_t i, const std::int64_t in, const std::int64_t out) { return (i * in) / out; }
std::int64_t end_index(const std::int64_t i, const std::int64_t in, const std::int64_t out) {
  return ((i + 1) * in + out - 1) / out;
}

}  // namespace

Tensor adaptive_avg_pool2d(const Tensor& input, const std::int64_t OH, const std::int64_t OW) {
  const profile::Scope scope("adaptive_avg_pool2d");
  check_arg(input.dim() == 4, "adaptive_avg_pool2d", "expected a 4-D (N, C, H, W) input, got shape ",
            shape_str(input.sizes()));
  check_arg(OH > 0 && OW > 0, "adaptive_avg_pool2d", "output_size must be positive, got (", OH, ", ", OW, ")");
  check_arg(input.size(2) > 0 && input.size(3) > 0, "adaptive_avg_pool2d", "input spatial size must be positive, got ",
            shape_str(input.sizes()));
  const Tensor x = contiguous(input);
  const std::int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  Tensor out = empty({N, C, OH, OW}, x.dtype());
  dispatch_floating(x.dtype(), "adaptive_avg_pool2d", [&]<typename T>() {
    const T* src = x.data_ptr<T>();
    T* dst = out.data_ptr<T>();
    for_each_plane(N * C, H * W, [&](const std::int64_t plane) {
      const T* in = src + plane * H * W;
      for (std::int64_t oh = 0; oh < OH; ++oh) {
        const std::int64_t h0 = start_index(oh, H, OH), h1 = end_index(oh, H, OH);
        for (std::int64_t ow = 0; ow < OW; ++ow) {
          const std::int64_t w0 = start_index(ow, W, OW), w1 = end_index(ow, W, OW);
          T sum = 0;
          for (std::int64_t h = h0; h < h1; ++h) {
            for (std::int64_t w = w0; w < w1; ++w) sum += in[h * W + w];
          }
          dst[(plane * OH + oh) * OW + ow] = sum / static_cast<T>((h1 - h0) * (w1 - w0));
        }
      }
    });
  });
  return out;
}

Tensor adaptive_avg_pool2d_backward(const Tensor& grad, const Shape& input_sizes) {
  const profile::Scope scope("adaptive_avg_pool2d_backward");
  Tensor gx = zeros(input_sizes, grad.dtype());
  const Tensor g = contiguous(grad);
  const std::int64_t H = input_sizes[2], W = input_sizes[3], OH = g.size(2), OW = g.size(3);
  dispatch_floating(grad.dtype(), "adaptive_avg_pool2d", [&]<typename T>() {
    const T* src = g.data_ptr<T>();
    T* dst = gx.data_ptr<T>();
    for_each_plane(input_sizes[0] * input_sizes[1], H * W, [&](const std::int64_t plane) {
      T* out = dst + plane * H * W;
      for (std::int64_t oh = 0; oh < OH; ++oh) {
        const std::int64_t h0 = start_index(oh, H, OH), h1 = end_index(oh, H, OH);
        for (std::int64_t ow = 0; ow < OW; ++ow) {
          const std::int64_t w0 = start_index(ow, W, OW), w1 = end_index(ow, W, OW);
          const T share = src[(plane * OH + oh) * OW + ow] / static_cast<T>((h1 - h0) * (w1 - w0));
          for (std::int64_t h = h0; h < h1; ++h) {
            for (std::int64_t w = w0; w < w1; ++w) out[h * W + w] += share;
          }
        }
      }
    });
  });
  return gx;
}

}  // namespace atrous::native
