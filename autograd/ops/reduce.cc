// SPDX-License-Identifier: Apache-2.0
// Differentiable reductions and softmax, each with its gradient right below.
#include "atrous/tensor/ops/reduce.h"
#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/softmax.h"
#include "atrous/tensor/ops/view.h"

namespace atrous {

using autograd::SavedTensor;

namespace {

// A reduced gradient broadcast back over the dims that were reduced away.
Tensor unreduce(const Tensor& g, const Shape& sizes, const Shape& dims, const bool keepdim) {
  Tensor out = g;
  if (!keepdim) {
    for (const std::int64_t d : dims) out = native::unsqueeze(out, d);
  }
  return native::expand(out, sizes);
}

}  // namespace

Tensor sum(const Tensor& x, const IntArrayRef dims_in, const bool keepdim) {
  // Integer and bool tensors sum in int64, as PyTorch's.
  if (!is_compute_type(x.dtype())) return sum(x.to(kInt64), dims_in, keepdim);
  const Shape dims = native::reduction_dims(dims_in, x.dim(), "sum");
  return autograd::record("SumBackward1", {x}, native::sum(x, dims, keepdim),
                          [sizes = x.sizes(), dims, keepdim](const Tensor& g) {
                            return std::vector<Tensor>{unreduce(g, sizes, dims, keepdim)};
                          });
}

Tensor sum(const Tensor& x) {
  if (!is_compute_type(x.dtype())) return sum(x.to(kInt64));
  return autograd::record(
      "SumBackward0", {x}, native::sum(x, native::reduction_dims({}, x.dim(), "sum"), false),
      [sizes = x.sizes()](const Tensor& g) { return std::vector<Tensor>{native::expand(g, sizes)}; });
}

Tensor mean(const Tensor& x, const IntArrayRef dims_in, const bool keepdim) {
  const Shape dims = native::reduction_dims(dims_in, x.dim(), "mean");
  std::int64_t count = 1;
  for (const std::int64_t d : dims) count *= x.sizes()[d];
  return autograd::record("MeanBackward1", {x}, native::mean(x, dims, keepdim),
                          [sizes = x.sizes(), dims, keepdim, count](const Tensor& g) {
                            return std::vector<Tensor>{unreduce(g / static_cast<double>(count), sizes, dims, keepdim)};
                          });
}

Tensor mean(const Tensor& x) {
  const auto count = static_cast<double>(x.numel());
  return autograd::record(
      "MeanBackward0", {x}, native::mean(x, native::reduction_dims({}, x.dim(), "mean"), false),
      [sizes = x.sizes(), count](const Tensor& g) { return std::vector<Tensor>{native::expand(g / count, sizes)}; });
}

Tensor var(const Tensor& x, const IntArrayRef dims_in, const bool unbiased, const bool keepdim) {
  dispatch_floating(x.dtype(), "var", []<typename T>() {});
  const Shape dims = native::reduction_dims(dims_in, x.dim(), "var");
  std::int64_t count = 1;
  for (const std::int64_t d : dims) count *= x.sizes()[static_cast<std::size_t>(d)];
  const Tensor centred = x - mean(x, dims, true);
  // n − 1 = 0 gives NaN (0/0) or Inf, as PyTorch does.
  return sum(centred * centred, dims, keepdim) / static_cast<double>(unbiased ? count - 1 : count);
}

Tensor std(const Tensor& x, const IntArrayRef dims, const bool unbiased, const bool keepdim) {
  return var(x, dims, unbiased, keepdim).sqrt();
}

Tensor norm(const Tensor& x) { return sum(x * x).sqrt(); }

Tensor min(const Tensor& x) { return -max(-x); }

std::tuple<Tensor, Tensor> min(const Tensor& x, const std::int64_t dim, const bool keepdim) {
  auto [values, indices] = max(-x, dim, keepdim);
  return {-values, indices};
}

std::tuple<Tensor, Tensor> max(const Tensor& x, const std::int64_t dim, const bool keepdim) {
  auto [values, indices] = native::max(x, dim, keepdim);
  const std::int64_t d = wrap_dim(dim, x.dim(), "max");
  values =
      autograd::record("MaxBackward0", {x}, values, [sizes = x.sizes(), d, keepdim, idx = indices](const Tensor& g) {
        return std::vector<Tensor>{native::index_put_along(g, idx, sizes, d, keepdim)};
      });
  return {values, indices};
}

Tensor max(const Tensor& x) {
  Tensor y = native::max_all(x);
  return autograd::record("MaxBackward1", {x}, y, [sx = SavedTensor(x), sy = SavedTensor(y)](const Tensor& g) {
    // PyTorch 1.13 shares the gradient evenly among all elements equal to the maximum.
    const Tensor v = sx.unpack();
    const Tensor mask = native::binary(native::BinaryOp::Eq, v, sy.unpack());
    return std::vector<Tensor>{mask * (g / native::sum(mask, {}, false))};
  });
}

Tensor argmax(const Tensor& x) { return native::argmax_all(x); }

Tensor argmax(const Tensor& x, const std::int64_t dim, const bool keepdim) {
  return std::get<1>(native::max(x, dim, keepdim));
}

Tensor softmax(const Tensor& x, const std::int64_t dim) {
  Tensor y = native::softmax(x, dim, false);
  const std::int64_t d = x.dim() == 0 ? 0 : wrap_dim(dim, x.dim(), "softmax");
  return autograd::record("SoftmaxBackward0", {x}, y, [sy = SavedTensor(y), d](const Tensor& g) {
    const Tensor out = sy.unpack();
    const Shape dims = out.dim() == 0 ? Shape{} : Shape{d};
    return std::vector<Tensor>{out * (g - native::sum(g * out, dims, true))};
  });
}

Tensor log_softmax(const Tensor& x, const std::int64_t dim) {
  Tensor y = native::softmax(x, dim, true);
  const std::int64_t d = x.dim() == 0 ? 0 : wrap_dim(dim, x.dim(), "log_softmax");
  return autograd::record("LogSoftmaxBackward0", {x}, y, [sy = SavedTensor(y), d](const Tensor& g) {
    const Tensor out = sy.unpack();
    const Shape dims = out.dim() == 0 ? Shape{} : Shape{d};
    return std::vector<Tensor>{g - exp(out) * native::sum(g, dims, true)};
  });
}

Tensor Tensor::sum() const { return atrous::sum(*this); }
Tensor Tensor::sum(const IntArrayRef dims, const bool keepdim) const { return atrous::sum(*this, dims, keepdim); }
Tensor Tensor::mean() const { return atrous::mean(*this); }
Tensor Tensor::mean(const IntArrayRef dims, const bool keepdim) const { return atrous::mean(*this, dims, keepdim); }
Tensor Tensor::var(const bool unbiased) const { return atrous::var(*this, {}, unbiased, false); }
Tensor Tensor::var(const IntArrayRef dims, const bool unbiased, const bool keepdim) const {
  return atrous::var(*this, dims, unbiased, keepdim);
}
Tensor Tensor::std(const bool unbiased) const { return atrous::std(*this, {}, unbiased, false); }
Tensor Tensor::std(const IntArrayRef dims, const bool unbiased, const bool keepdim) const {
  return atrous::std(*this, dims, unbiased, keepdim);
}
Tensor Tensor::norm() const { return atrous::norm(*this); }
Tensor Tensor::min() const { return atrous::min(*this); }
std::tuple<Tensor, Tensor> Tensor::min(const std::int64_t dim, const bool keepdim) const {
  return atrous::min(*this, dim, keepdim);
}
Tensor Tensor::max() const { return atrous::max(*this); }
std::tuple<Tensor, Tensor> Tensor::max(const std::int64_t dim, const bool keepdim) const {
  return atrous::max(*this, dim, keepdim);
}
Tensor Tensor::argmax() const { return atrous::argmax(*this); }
Tensor Tensor::argmax(const std::int64_t dim, const bool keepdim) const { return atrous::argmax(*this, dim, keepdim); }
Tensor Tensor::softmax(const std::int64_t dim) const { return atrous::softmax(*this, dim); }
Tensor Tensor::log_softmax(const std::int64_t dim) const { return atrous::log_softmax(*this, dim); }

}  // namespace atrous
