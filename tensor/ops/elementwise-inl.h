// SPDX-License-Identifier: Apache-2.0
// SIMD element-wise loops: whole vectors, then the remainder as one vector (tensor/simd/tail-inl.h),
// so every element, tail included, goes through the same vector code and gets the same bits
// whatever its position.

#if defined(ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_
#undef ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_
#else
#define ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "atrous/tensor/simd/tail-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// out[i] = fn(d, in[i]) for i < n; fn maps a vector to a vector.
template <class D, class Fn, typename T = hn::TFromD<D>>
HWY_INLINE void MapUnary(const D d, const T* HWY_RESTRICT in, T* HWY_RESTRICT out, const std::int64_t n, const Fn& fn) {
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(fn(d, hn::LoadU(d, in + i)), d, out + i);
  if (i < n) {
    const auto rest = static_cast<std::size_t>(n - i);
    StoreTail(fn(d, LoadTail(d, in + i, rest)), d, out + i, rest);
  }
}

// out[i] = fn(d, a[i * sa], b[i * sb]) for i < n, with sa and sb each 0 (broadcast) or 1. out may
// be a or b itself (in-place ops): each vector is loaded before its own store, so no restrict.
template <class D, class Fn, typename T = hn::TFromD<D>>
HWY_INLINE void MapBinary(const D d, const T* a, const std::int64_t sa, const T* b, const std::int64_t sb, T* out,
                          const std::int64_t n, const Fn& fn) {
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  const auto load = [&](const T* p, const std::int64_t s, const std::int64_t i)
                        HWY_ATTR { return s == 0 ? hn::Set(d, p[0]) : hn::LoadU(d, p + i); };
  std::int64_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(fn(d, load(a, sa, i), load(b, sb, i)), d, out + i);
  if (i < n) {
    const auto rest = static_cast<std::size_t>(n - i);
    const auto va = sa ? LoadTail(d, a + i, rest) : hn::Set(d, a[0]);
    const auto vb = sb ? LoadTail(d, b + i, rest) : hn::Set(d, b[0]);
    StoreTail(fn(d, va, vb), d, out + i, rest);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_
