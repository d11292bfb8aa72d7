// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/functional/pooling.h"

namespace atrous::nn::functional {
namespace detail {

Tensor pool_nd(const std::string& op, const std::size_t dims, const Tensor& input,
               const std::function<Tensor(const Tensor&)>& pool4d) {
  const auto d = static_cast<std::int64_t>(dims);
  check_arg(input.dim() == d + 1 || input.dim() == d + 2, op.c_str(), "expected ", d + 1, "-D (unbatched) or ", d + 2,
            "-D (batched) input, got shape ", shape_str(input.sizes()));
  const bool unbatched = input.dim() == d + 1;
  Tensor x = unbatched ? input.unsqueeze(0) : input;
  if (dims == 1) x = x.unsqueeze(2);
  Tensor y = pool4d(x);
  if (dims == 1) y = y.squeeze(2);
  return unbatched ? y.squeeze(0) : y;
}

native::PoolParams pool_params(const Shape& kernel, const Shape& stride, const Shape& padding, const Shape& dilation,
                               const bool ceil_mode, const bool count_include_pad) {
  native::PoolParams p;
  const bool one = kernel.size() == 1;
  p.kH = one ? 1 : kernel[0], p.kW = kernel.back();
  p.sH = one ? 1 : stride[0], p.sW = stride.back();
  p.pH = one ? 0 : padding[0], p.pW = padding.back();
  p.dH = one ? 1 : dilation[0], p.dW = dilation.back();
  p.ceil_mode = ceil_mode;
  p.count_include_pad = count_include_pad;
  return p;
}

}  // namespace detail

namespace {

template <std::size_t D>
Tensor max_pool(const Tensor& input, const MaxPoolOptions<D>& o) {
  const native::PoolParams p =
      detail::pool_params(o.kernel_size(), o.stride(), o.padding(), o.dilation(), o.ceil_mode(), true);
  return detail::pool_nd(D == 1 ? "max_pool1d" : "max_pool2d", D, input,
                         [&](const Tensor& x) { return autograd::max_pool2d(x, p); });
}

template <std::size_t D>
Tensor avg_pool(const Tensor& input, const AvgPoolOptions<D>& o) {
  const native::PoolParams p =
      detail::pool_params(o.kernel_size(), o.stride(), o.padding(), Shape(D, 1), o.ceil_mode(), o.count_include_pad());
  return detail::pool_nd(D == 1 ? "avg_pool1d" : "avg_pool2d", D, input,
                         [&](const Tensor& x) { return autograd::avg_pool2d(x, p); });
}

}  // namespace

Tensor max_pool1d(const Tensor& input, const MaxPool1dOptions& options) { return max_pool(input, options); }
Tensor max_pool2d(const Tensor& input, const MaxPool2dOptions& options) { return max_pool(input, options); }
Tensor avg_pool1d(const Tensor& input, const AvgPool1dOptions& options) { return avg_pool(input, options); }
Tensor avg_pool2d(const Tensor& input, const AvgPool2dOptions& options) { return avg_pool(input, options); }

Tensor adaptive_avg_pool2d(const Tensor& input, const AdaptiveAvgPool2dOptions& options) {
  return detail::pool_nd("adaptive_avg_pool2d", 2, input, [&](const Tensor& x) {
    return autograd::adaptive_avg_pool2d(x, options.output_size()[0], options.output_size()[1]);
  });
}

}  // namespace atrous::nn::functional
