// SPDX-License-Identifier: Apache-2.0
// Per-target row sums (Highway) and the reductions built on them.
#include "atrous/tensor/ops/reduce.h"

#include <cmath>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/ops/reduce.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/ops/magnitude-inl.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Sum of x[0..n) in a fixed order: four vector accumulators (two FMA/add ports × latency
// hide), then one vector, then the tail lane by lane, then the lanes left to right.
template <typename T>
T SumRowT(const T* HWY_RESTRICT x, const std::int64_t n) {
  const hn::ScalableTag<T> d;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  std::int64_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    s0 = hn::Add(s0, hn::LoadU(d, x + i));
    s1 = hn::Add(s1, hn::LoadU(d, x + i + N));
    s2 = hn::Add(s2, hn::LoadU(d, x + i + 2 * N));
    s3 = hn::Add(s3, hn::LoadU(d, x + i + 3 * N));
  }
  for (; i + N <= n; i += N) s0 = hn::Add(s0, hn::LoadU(d, x + i));
  s0 = hn::Add(hn::Add(s0, s1), hn::Add(s2, s3));
  HWY_ALIGN T lanes[hn::MaxLanes(d)];
  hn::Store(s0, d, lanes);
  T total = 0;
  for (std::int64_t l = 0; l < N; ++l) total += lanes[l];
  for (; i < n; ++i) total += x[i];
  return total;
}

// Index of the first maximum of x[0..n) (n >= 1), NaN counting as maximal: one vector pass for
// the maximum (and whether any NaN occurs), then the first block holding it. Max is exact, so
// the answer equals the scalar definition's on every target.
template <typename T>
std::int64_t ArgmaxRowT(const T* HWY_RESTRICT x, const std::int64_t n) {
  const hn::ScalableTag<T> d;
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  bool nan = false;
  T best = x[0];
  if (n >= N) {
    auto m = hn::LoadU(d, x);
    auto has_nan = hn::IsNaN(m);
    for (i = N; i + N <= n; i += N) {
      const auto v = hn::LoadU(d, x + i);
      m = hn::Max(m, v);
      has_nan = hn::Or(has_nan, hn::IsNaN(v));
    }
    nan = !hn::AllFalse(d, has_nan);
    best = hn::GetLane(hn::MaxOfLanes(d, m));
  }
  for (; i < n && !nan; ++i) {
    nan = std::isnan(x[i]);
    best = x[i] > best ? x[i] : best;
  }
  std::int64_t j = 0;
  if (n >= N) {  // skip whole vectors that cannot hold the answer
    const auto target = hn::Set(d, best);
    for (; j + N <= n; j += N) {
      const auto v = hn::LoadU(d, x + j);
      if (!hn::AllFalse(d, nan ? hn::IsNaN(v) : hn::Eq(v, target))) break;
    }
  }
  for (; j < n; ++j) {
    if (nan ? std::isnan(x[j]) : x[j] == best) return j;
  }
  return 0;  // unreachable: best is one of the elements
}

std::int64_t ArgmaxRowF32(const float* x, const std::int64_t n) { return ArgmaxRowT(x, n); }
std::int64_t ArgmaxRowF64(const double* x, const std::int64_t n) { return ArgmaxRowT(x, n); }

float SumRowF32(const float* x, const std::int64_t n) { return SumRowT(x, n); }
double SumRowF64(const double* x, const std::int64_t n) { return SumRowT(x, n); }

float LargestMagnitudeF32(const float* x, const std::int64_t n) {
  return LargestMagnitude(hn::ScalableTag<float>(), x, n);
}
double LargestMagnitudeF64(const double* x, const std::int64_t n) {
  return LargestMagnitude(hn::ScalableTag<double>(), x, n);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <algorithm>
#include <cmath>
#include <numeric>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

HWY_EXPORT(ArgmaxRowF32);
HWY_EXPORT(ArgmaxRowF64);
HWY_EXPORT(SumRowF32);
HWY_EXPORT(SumRowF64);
HWY_EXPORT(LargestMagnitudeF32);
HWY_EXPORT(LargestMagnitudeF64);

float largest_magnitude(const float* x, const std::int64_t n) {
  return HWY_DYNAMIC_DISPATCH(LargestMagnitudeF32)(x, n);
}
double largest_magnitude(const double* x, const std::int64_t n) {
  return HWY_DYNAMIC_DISPATCH(LargestMagnitudeF64)(x, n);
}

namespace {

// Chunk length for long sums: fixed, so the association order is a function of the shape only.
constexpr std::int64_t kSumChunk = 1 << 15;

float sum_row(const float* x, const std::int64_t n) { return HWY_DYNAMIC_DISPATCH(SumRowF32)(x, n); }
double sum_row(const double* x, const std::int64_t n) { return HWY_DYNAMIC_DISPATCH(SumRowF64)(x, n); }
template <typename T>
T sum_row(const T* x, const std::int64_t n) {
  return std::accumulate(x, x + n, T(0));
}

// Sums each row of a contiguous [rows, cols] matrix into out[rows].
template <typename T>
void sum_rows(const T* x, const std::int64_t rows, const std::int64_t cols, T* out) {
  if (rows == 1 && cols > kSumChunk) {
    std::vector<T> partial(static_cast<std::size_t>(num_chunks(cols, kSumChunk)));
    parallel_for(cols, kSumChunk, [&](const std::int64_t b, const std::int64_t e) {
      partial[static_cast<std::size_t>(b / kSumChunk)] = sum_row(x + b, e - b);
    });
    T total = 0;
    for (const T p : partial) total += p;  // index order: deterministic
    out[0] = total;
    return;
  }
  const std::int64_t grain = std::max<std::int64_t>(1, kSumChunk / std::max<std::int64_t>(cols, 1));
  parallel_for(rows, grain, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t r = b; r < e; ++r) out[r] = sum_row(x + r * cols, cols);
  });
}

}  // namespace

Shape reduction_dims(const Shape& dims, const std::int64_t ndim, const char* op) {
  Shape out;
  if (dims.empty()) {
    for (std::int64_t d = 0; d < ndim; ++d) out.push_back(d);
    return out;
  }
  for (const std::int64_t d : dims) out.push_back(wrap_dim(d, ndim, op));
  std::sort(out.begin(), out.end());
  const auto dup = std::adjacent_find(out.begin(), out.end());
  check_arg(dup == out.end(), op, "dim ", dup == out.end() ? 0 : *dup, " appears more than once in the dims ",
            shape_str(dims));
  if (ndim == 0) out.clear();
  return out;
}

Shape reduced_shape(const Shape& sizes, const Shape& dims, const bool keepdim) {
  Shape out;
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    const bool reduced = std::binary_search(dims.begin(), dims.end(), static_cast<std::int64_t>(d));
    if (!reduced)
      out.push_back(sizes[d]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

Tensor move_dims_last(const Tensor& x, const Shape& dims) {
  Shape perm;
  for (std::int64_t d = 0; d < x.dim(); ++d) {
    if (!std::binary_search(dims.begin(), dims.end(), d)) perm.push_back(d);
  }
  perm.insert(perm.end(), dims.begin(), dims.end());
  return contiguous(permute(x, perm));
}

Tensor sum(const Tensor& x, const Shape& dims_in, const bool keepdim) {
  const profile::Scope scope("sum");
  const Shape dims = reduction_dims(dims_in, x.dim(), "sum");
  Tensor out = empty(reduced_shape(x.sizes(), dims, keepdim), x.dtype());
  const Tensor m = move_dims_last(x, dims);
  const std::int64_t rows = out.numel();
  const std::int64_t cols = rows == 0 ? 0 : x.numel() / rows;
  dispatch_dtype(x.dtype(), [&]<typename T>() { sum_rows(m.data_ptr<T>(), rows, cols, out.data_ptr<T>()); });
  return out;
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.sizes() == shape) return x;
  const std::int64_t lead = x.dim() - static_cast<std::int64_t>(shape.size());
  check_arg(lead >= 0, "sum_to", "cannot sum shape ", shape_str(x.sizes()), " to the larger rank of ",
            shape_str(shape));
  Shape dims;
  for (std::int64_t d = 0; d < x.dim(); ++d) {
    if (d < lead || (shape[static_cast<std::size_t>(d - lead)] == 1 && x.sizes()[d] != 1)) dims.push_back(d);
  }
  if (dims.empty()) return view(x, shape);
  return reshape(native::sum(x, dims, true), shape);
}

Tensor mean(const Tensor& x, const Shape& dims_in, const bool keepdim) {
  const profile::Scope scope("mean");
  dispatch_floating(x.dtype(), "mean", []<typename T>() {});
  const Shape dims = reduction_dims(dims_in, x.dim(), "mean");
  Tensor s = native::sum(x, dims, keepdim);
  std::int64_t count = 1;
  for (const std::int64_t d : dims) count *= x.sizes()[d];
  // Empty reductions give NaN (0/0), as in PyTorch.
  return binary(BinaryOp::Div, s, full({}, static_cast<double>(count), x.dtype()));
}

namespace {

// Index of the first maximum of x[0..n) with NaN counting as maximal; n >= 1. Floating point
// goes through the vector kernel, int64 through the plain loop.
std::int64_t argmax_row(const float* x, const std::int64_t n) { return HWY_DYNAMIC_DISPATCH(ArgmaxRowF32)(x, n); }
std::int64_t argmax_row(const double* x, const std::int64_t n) { return HWY_DYNAMIC_DISPATCH(ArgmaxRowF64)(x, n); }
template <typename T>
std::int64_t argmax_row(const T* x, const std::int64_t n) {
  static_assert(std::is_integral_v<T>, "floating types take the vector kernel");
  std::int64_t best = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    if (x[i] > x[best]) best = i;
  }
  return best;
}

}  // namespace

std::tuple<Tensor, Tensor> max(const Tensor& x, const std::int64_t dim_in, const bool keepdim) {
  const profile::Scope scope("max");
  const std::int64_t dim = wrap_dim(dim_in, x.dim(), "max");
  const std::int64_t len = x.dim() == 0 ? 1 : x.sizes()[dim];
  check_arg(len > 0, "max", "cannot reduce dim ", dim, " of size 0 in shape ", shape_str(x.sizes()),
            ": a maximum of no elements is undefined");
  const Shape dims = x.dim() == 0 ? Shape{} : Shape{dim};
  Tensor values = empty(reduced_shape(x.sizes(), dims, keepdim), x.dtype());
  Tensor indices = empty(values.sizes(), kInt64);
  const Tensor m = move_dims_last(x, dims);
  dispatch_dtype(x.dtype(), [&]<typename T>() {
    const T* p = m.data_ptr<T>();
    T* v = values.data_ptr<T>();
    std::int64_t* idx = indices.data_ptr<std::int64_t>();
    parallel_for(values.numel(), std::max<std::int64_t>(1, kSumChunk / len),
                 [&](const std::int64_t b, const std::int64_t e) {
                   for (std::int64_t r = b; r < e; ++r) {
                     idx[r] = argmax_row(p + r * len, len);
                     v[r] = p[r * len + idx[r]];
                   }
                 });
  });
  return {values, indices};
}

Tensor index_put_along(const Tensor& g, const Tensor& indices, const Shape& sizes, const std::int64_t dim,
                       const bool keepdim) {
  Tensor out = zeros(sizes, g.dtype());
  if (out.numel() == 0) return out;
  const Shape dims = sizes.empty() ? Shape{} : Shape{dim};
  // Walk rows of the input with `dim` moved last; row r's maximum sits at indices[r].
  const Tensor gm = contiguous(keepdim || sizes.empty() ? g : unsqueeze(g, dim));
  const Tensor im = contiguous(keepdim || sizes.empty() ? indices : unsqueeze(indices, dim));
  const Tensor om = move_dims_last(out, dims);  // contiguous fresh zeros: a view of `out` only if dim is last
  const std::int64_t len = sizes.empty() ? 1 : sizes[static_cast<std::size_t>(dim)];
  const Tensor gl = move_dims_last(gm, dims), il = move_dims_last(im, dims);
  dispatch_dtype(g.dtype(), [&]<typename T>() {
    T* o = om.data_ptr<T>();
    const T* gv = gl.data_ptr<T>();
    const std::int64_t* iv = il.data_ptr<std::int64_t>();
    for (std::int64_t r = 0; r < gl.numel(); ++r) o[r * len + iv[r]] += gv[r];
  });
  if (om.is_same(out) || om.unsafe_impl()->storage == out.unsafe_impl()->storage) return out;
  Shape perm;  // move the last dim back to `dim`
  for (std::int64_t d = 0; d + 1 < static_cast<std::int64_t>(sizes.size()); ++d) perm.push_back(d);
  perm.insert(perm.begin() + dim, static_cast<std::int64_t>(sizes.size()) - 1);
  return contiguous(permute(om, perm));
}

Tensor argmax_all(const Tensor& x) {
  check_arg(x.numel() > 0, "argmax", "cannot take the argmax of an empty tensor of shape ", shape_str(x.sizes()));
  const Tensor flat = move_dims_last(x, reduction_dims({}, x.dim(), "argmax"));
  Tensor out = empty({}, kInt64);
  dispatch_dtype(x.dtype(),
                 [&]<typename T>() { *out.data_ptr<std::int64_t>() = argmax_row(flat.data_ptr<T>(), flat.numel()); });
  return out;
}

Tensor max_all(const Tensor& x) {
  check_arg(x.numel() > 0, "max", "cannot take the maximum of an empty tensor of shape ", shape_str(x.sizes()),
            "; use max(dim) on a non-empty dim");
  const Tensor flat = move_dims_last(x, reduction_dims({}, x.dim(), "max"));
  const std::int64_t i = *argmax_all(flat).data_ptr<std::int64_t>();
  Tensor out = empty({}, x.dtype());
  copy_into(out, as_strided(flat, {}, {}, flat.storage_offset() + i));
  return out;
}

}  // namespace atrous::native
#endif  // HWY_ONCE
