// SIMD element-wise loops with one tail policy: whole vectors first, then the remainder through
// a vector-sized local buffer, so every element (tail included) goes through the same vector
// code and gets the same bits whatever its position. (Highway 1.0.3 has no LoadN, and masked
// loads may fault on AVX2, so the tail is copied rather than masked.)

#if defined(ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_
#undef ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_
#else
#define ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_
#endif

#include <cstdint>
#include <cstring>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// out[i] = fn(d, in[i]) for i < n; fn maps a vector to a vector.
template <class D, class Fn, typename T = hn::TFromD<D>>
HWY_INLINE void MapUnary(const D d, const T* HWY_RESTRICT in, T* HWY_RESTRICT out, const std::int64_t n,
                         const Fn& fn) {
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(fn(d, hn::LoadU(d, in + i)), d, out + i);
  if (i < n) {
    HWY_ALIGN T buf[hn::MaxLanes(d)] = {};
    const auto rest = static_cast<std::size_t>(n - i) * sizeof(T);
    std::memcpy(buf, in + i, rest);
    hn::Store(fn(d, hn::Load(d, buf)), d, buf);
    std::memcpy(out + i, buf, rest);
  }
}

// out[i] = fn(d, a[i * sa], b[i * sb]) for i < n, with sa and sb each 0 (broadcast) or 1.
template <class D, class Fn, typename T = hn::TFromD<D>>
HWY_INLINE void MapBinary(const D d, const T* HWY_RESTRICT a, const std::int64_t sa, const T* HWY_RESTRICT b,
                          const std::int64_t sb, T* HWY_RESTRICT out, const std::int64_t n, const Fn& fn) {
  const auto N = static_cast<std::int64_t>(hn::Lanes(d));
  const auto load = [&](const T* p, const std::int64_t s, const std::int64_t i) HWY_ATTR {
    return s == 0 ? hn::Set(d, p[0]) : hn::LoadU(d, p + i);
  };
  std::int64_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(fn(d, load(a, sa, i), load(b, sb, i)), d, out + i);
  if (i < n) {
    HWY_ALIGN T ba[hn::MaxLanes(d)] = {};
    HWY_ALIGN T bb[hn::MaxLanes(d)] = {};
    const auto rest = static_cast<std::size_t>(n - i) * sizeof(T);
    if (sa) std::memcpy(ba, a + i, rest);
    if (sb) std::memcpy(bb, b + i, rest);
    const auto va = sa ? hn::Load(d, ba) : hn::Set(d, a[0]);
    const auto vb = sb ? hn::Load(d, bb) : hn::Set(d, b[0]);
    hn::Store(fn(d, va, vb), d, ba);
    std::memcpy(out + i, ba, rest);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_OPS_ELEMENTWISE_INL_H_
