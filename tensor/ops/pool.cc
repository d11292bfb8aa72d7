#include "tensor/ops/pool.h"

#include <cmath>
#include <limits>

#include "tensor/factory.h"
#include "tensor/ops/view.h"
#include "tensor/parallel.h"

namespace atrous::native {
namespace {

// Runs fn(plane) for every (n, c) plane in parallel; planes are independent, so any split gives
// the same bits.
template <typename Fn>
void for_each_plane(const std::int64_t planes, const std::int64_t work_per_plane, const Fn& fn) {
  parallel_for(planes, std::max<std::int64_t>(1, (1 << 16) / std::max<std::int64_t>(1, work_per_plane)),
               [&](const std::int64_t b, const std::int64_t e) {
                 for (std::int64_t i = b; i < e; ++i) fn(i);
               });
}

std::int64_t start_index(const std::int64_t i, const std::int64_t in, const std::int64_t out) {
  return (i * in) / out;
}
std::int64_t end_index(const std::int64_t i, const std::int64_t in, const std::int64_t out) {
  return ((i + 1) * in + out - 1) / out;
}

}  // namespace

std::int64_t pool_output_size(const std::int64_t input, const std::int64_t kernel, const std::int64_t pad,
                              const std::int64_t stride, const std::int64_t dilation, const bool ceil_mode) {
  const std::int64_t span = input + 2 * pad - dilation * (kernel - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  std::int64_t out = (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1;
  if (ceil_mode && (out - 1) * stride >= input + pad) --out;
  return out;
}

std::pair<std::int64_t, std::int64_t> check_pool(const char* op, const Tensor& x, const PoolParams& p) {
  check_arg(x.dim() == 4, op, "expected a 4-D (N, C, H, W) input, got shape ", shape_str(x.sizes()));
  check_arg(is_floating(x.dtype()), op, "needs float32 or float64 input, got ", dtype_name(x.dtype()));
  check_arg(p.kH > 0 && p.kW > 0, op, "kernel_size must be positive, got (", p.kH, ", ", p.kW, ")");
  check_arg(p.sH > 0 && p.sW > 0, op, "stride must be positive, got (", p.sH, ", ", p.sW, ")");
  check_arg(p.dH > 0 && p.dW > 0, op, "dilation must be positive, got (", p.dH, ", ", p.dW, ")");
  check_arg(p.pH >= 0 && p.pW >= 0 && p.pH <= p.kH / 2 && p.pW <= p.kW / 2, op,
            "pad should be at most half of kernel size, but got pad=(", p.pH, ", ", p.pW, ") and kernel_size=(", p.kH,
            ", ", p.kW, ")");
  const std::int64_t H = x.size(2), W = x.size(3);
  const std::int64_t OH = pool_output_size(H, p.kH, p.pH, p.sH, p.dH, p.ceil_mode);
  const std::int64_t OW = pool_output_size(W, p.kW, p.pW, p.sW, p.dW, p.ceil_mode);
  check_arg(OH >= 1 && OW >= 1, op, "output size is too small: input ", H, "x", W, " with kernel (", p.kH, ", ", p.kW,
            "), stride (", p.sH, ", ", p.sW, "), padding (", p.pH, ", ", p.pW, "), dilation (", p.dH, ", ", p.dW,
            ") gives ", OH, "x", OW);
  return {OH, OW};
}

std::pair<Tensor, Tensor> max_pool2d(const Tensor& input, const PoolParams& p) {
  const auto [OH, OW] = check_pool("max_pool2d", input, p);
  const Tensor x = contiguous(input);
  const std::int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  Tensor out = empty({N, C, OH, OW}, x.dtype()), idx = empty({N, C, OH, OW}, kInt64);
  dispatch_floating(x.dtype(), "max_pool2d", [&]<typename T>() {
    const T* src = x.data_ptr<T>();
    T* dst = out.data_ptr<T>();
    std::int64_t* ind = idx.data_ptr<std::int64_t>();
    for_each_plane(N * C, OH * OW * p.kH * p.kW, [&](const std::int64_t plane) {
      const T* in = src + plane * H * W;
      for (std::int64_t oh = 0; oh < OH; ++oh) {
        for (std::int64_t ow = 0; ow < OW; ++ow) {
          T best = -std::numeric_limits<T>::infinity();
          std::int64_t best_i = -1;
          for (std::int64_t i = 0; i < p.kH; ++i) {
            const std::int64_t h = oh * p.sH - p.pH + i * p.dH;
            if (h < 0 || h >= H) continue;
            for (std::int64_t j = 0; j < p.kW; ++j) {
              const std::int64_t w = ow * p.sW - p.pW + j * p.dW;
              if (w < 0 || w >= W) continue;
              const T v = in[h * W + w];
              if (best_i < 0 || v > best || std::isnan(v)) {
                best = v;
                best_i = h * W + w;
                if (std::isnan(v)) i = p.kH, j = p.kW;  // NaN is the maximum
              }
            }
          }
          const std::int64_t o = (plane * OH + oh) * OW + ow;
          dst[o] = best;
          ind[o] = best_i;
        }
      }
    });
  });
  return {out, idx};
}

Tensor max_pool2d_backward(const Tensor& grad, const Tensor& indices, const Shape& input_sizes) {
  Tensor gx = zeros(input_sizes, grad.dtype());
  const Tensor g = contiguous(grad);
  const std::int64_t planes = input_sizes[0] * input_sizes[1], HW = input_sizes[2] * input_sizes[3];
  const std::int64_t OHW = g.size(2) * g.size(3);
  dispatch_floating(grad.dtype(), "max_pool2d", [&]<typename T>() {
    const T* src = g.data_ptr<T>();
    const std::int64_t* ind = indices.data_ptr<std::int64_t>();
    T* dst = gx.data_ptr<T>();
    for_each_plane(planes, OHW, [&](const std::int64_t plane) {
      for (std::int64_t o = 0; o < OHW; ++o) {
        const std::int64_t i = ind[plane * OHW + o];
        if (i >= 0) dst[plane * HW + i] += src[plane * OHW + o];
      }
    });
  });
  return gx;
}

namespace {

// The divisor of average window (oh, ow): PyTorch counts padded positions inside the padded
// input when count_include_pad, never the ceil-mode overhang beyond it.
template <typename Fn>
void for_each_avg_window(const PoolParams& p, const std::int64_t H, const std::int64_t W, const std::int64_t OH,
                         const std::int64_t OW, const Fn& fn) {
  for (std::int64_t oh = 0; oh < OH; ++oh) {
    for (std::int64_t ow = 0; ow < OW; ++ow) {
      std::int64_t h0 = oh * p.sH - p.pH, w0 = ow * p.sW - p.pW;
      std::int64_t h1 = std::min(h0 + p.kH, H + p.pH), w1 = std::min(w0 + p.kW, W + p.pW);
      const std::int64_t padded = (h1 - h0) * (w1 - w0);
      h0 = std::max<std::int64_t>(h0, 0), w0 = std::max<std::int64_t>(w0, 0);
      h1 = std::min(h1, H), w1 = std::min(w1, W);
      const std::int64_t count = p.count_include_pad ? padded : (h1 - h0) * (w1 - w0);
      fn(oh * OW + ow, h0, h1, w0, w1, count);
    }
  }
}

}  // namespace

Tensor avg_pool2d(const Tensor& input, const PoolParams& p) {
  const auto [OH, OW] = check_pool("avg_pool2d", input, p);
  const Tensor x = contiguous(input);
  const std::int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  Tensor out = empty({N, C, OH, OW}, x.dtype());
  dispatch_floating(x.dtype(), "avg_pool2d", [&]<typename T>() {
    const T* src = x.data_ptr<T>();
    T* dst = out.data_ptr<T>();
    for_each_plane(N * C, OH * OW * p.kH * p.kW, [&](const std::int64_t plane) {
      const T* in = src + plane * H * W;
      for_each_avg_window(p, H, W, OH, OW, [&](auto o, auto h0, auto h1, auto w0, auto w1, auto count) {
        T sum = 0;
        for (std::int64_t h = h0; h < h1; ++h) {
          for (std::int64_t w = w0; w < w1; ++w) sum += in[h * W + w];
        }
        dst[plane * OH * OW + o] = count > 0 ? sum / static_cast<T>(count) : T(0);
      });
    });
  });
  return out;
}

Tensor avg_pool2d_backward(const Tensor& grad, const Shape& input_sizes, const PoolParams& p) {
  Tensor gx = zeros(input_sizes, grad.dtype());
  const Tensor g = contiguous(grad);
  const std::int64_t H = input_sizes[2], W = input_sizes[3], OH = g.size(2), OW = g.size(3);
  dispatch_floating(grad.dtype(), "avg_pool2d", [&]<typename T>() {
    const T* src = g.data_ptr<T>();
    T* dst = gx.data_ptr<T>();
    for_each_plane(input_sizes[0] * input_sizes[1], OH * OW * p.kH * p.kW, [&](const std::int64_t plane) {
      T* out = dst + plane * H * W;
      for_each_avg_window(p, H, W, OH, OW, [&](auto o, auto h0, auto h1, auto w0, auto w1, auto count) {
        if (count == 0) return;
        const T share = src[plane * OH * OW + o] / static_cast<T>(count);
        for (std::int64_t h = h0; h < h1; ++h) {
          for (std::int64_t w = w0; w < w1; ++w) out[h * W + w] += share;
        }
      });
    });
  });
  return gx;
}

Tensor adaptive_avg_pool2d(const Tensor& input, const std::int64_t OH, const std::int64_t OW) {
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
