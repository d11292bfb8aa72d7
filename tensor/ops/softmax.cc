// SPDX-License-Identifier: Apache-2.0
// Per-target softmax rows (Highway) and the Tensor-level entry point.
#include "atrous/tensor/ops/softmax.h"

#include <cmath>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/ops/softmax.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/ops/math-inl.h"
#include "atrous/tensor/simd/tail-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// One row: out = softmax(x) or log_softmax(x). A NaN anywhere makes the row NaN, as in PyTorch.
template <typename T>
void SoftmaxRowT(const T* HWY_RESTRICT x, T* HWY_RESTRICT out, const std::int64_t n, const bool log) {
  const hn::ScalableTag<T> d;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  T m = -std::numeric_limits<T>::infinity();
  for (std::int64_t i = 0; i < n; ++i) m = (x[i] > m || std::isnan(x[i])) ? x[i] : m;
  // A row of -inf: shift by 0 so exp gives 0s and the result is NaN, as torch gives. A +inf
  // maximum shifts by +inf: inf − inf is NaN, and NaN spreads over the row, as in torch.
  const T shift = m == -std::numeric_limits<T>::infinity() ? T(0) : m;
  const auto vshift = hn::Set(d, shift);
  auto acc = hn::Zero(d);
  std::int64_t i = 0;
  for (; i + N <= n; i += N) {
    const auto e = ExpIeee(d, hn::Sub(hn::LoadU(d, x + i), vshift));
    acc = hn::Add(acc, e);
    if (!log) hn::StoreU(e, d, out + i);
  }
  if (i < n) {  // lanes past the row read -inf, whose exp adds 0
    const auto rest = static_cast<std::size_t>(n - i);
    const auto e = ExpIeee(d, hn::Sub(LoadTail(d, x + i, rest, -std::numeric_limits<T>::infinity()), vshift));
    acc = hn::Add(acc, e);
    if (!log) StoreTail(e, d, out + i, rest);
  }
  HWY_ALIGN T lanes[hn::MaxLanes(d)];
  hn::Store(acc, d, lanes);
  T sum = 0;
  for (std::int64_t l = 0; l < N; ++l) sum += lanes[l];
  if (log) {
    const T lse = shift + std::log(sum);
    for (std::int64_t k = 0; k < n; ++k) out[k] = x[k] - lse;
  } else {
    for (std::int64_t k = 0; k < n; ++k) out[k] /= sum;
  }
}

void SoftmaxRowF32(const float* x, float* out, const std::int64_t n, const bool log) { SoftmaxRowT(x, out, n, log); }
void SoftmaxRowF64(const double* x, double* out, const std::int64_t n, const bool log) { SoftmaxRowT(x, out, n, log); }

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <algorithm>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/reduce.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

HWY_EXPORT(SoftmaxRowF32);
HWY_EXPORT(SoftmaxRowF64);

namespace {
void softmax_row(const float* x, float* out, const std::int64_t n, const bool log) {
  HWY_DYNAMIC_DISPATCH(SoftmaxRowF32)(x, out, n, log);
}
void softmax_row(const double* x, double* out, const std::int64_t n, const bool log) {
  HWY_DYNAMIC_DISPATCH(SoftmaxRowF64)(x, out, n, log);
}
}  // namespace

Tensor softmax(const Tensor& x, const std::int64_t dim_in, const bool log) {
  const profile::Scope scope(log ? "log_softmax" : "softmax");
  const char* op = log ? "log_softmax" : "softmax";
  const std::int64_t dim = wrap_dim(dim_in, x.dim(), op);
  const Shape dims = x.dim() == 0 ? Shape{} : Shape{dim};
  const Tensor m = move_dims_last(x, dims);  // [..., len], contiguous
  Tensor out_m = empty(m.sizes(), x.dtype());
  const std::int64_t len = x.dim() == 0 ? 1 : x.sizes()[dim];
  const std::int64_t rows = len == 0 ? 0 : x.numel() / len;
  dispatch_floating(x.dtype(), op, [&]<typename T>() {
    const T* in = m.data_ptr<T>();
    T* out = out_m.data_ptr<T>();
    parallel_for(rows, std::max<std::int64_t>(1, 8192 / std::max<std::int64_t>(len, 1)),
                 [&](const std::int64_t b, const std::int64_t e) {
                   for (std::int64_t r = b; r < e; ++r) {
                     softmax_row(in + r * len, out + r * len, len, log);
                   }
                 });
  });
  if (x.dim() == 0 || dim == x.dim() - 1) return out_m;
  // Move the softmax dim back from last to `dim`.
  Shape perm;
  for (std::int64_t d = 0; d < x.dim() - 1; ++d) perm.push_back(d);
  perm.insert(perm.begin() + dim, x.dim() - 1);
  return contiguous(permute(out_m, perm));
}

}  // namespace atrous::native
#endif  // HWY_ONCE
