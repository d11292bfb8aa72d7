// SPDX-License-Identifier: Apache-2.0
// The one tail policy of atrous's vector loops: whole vectors first, then the last n < Lanes
// values as one more vector, loaded by LoadTail and stored by StoreTail. A tail value so goes
// through the same vector code as every other and gets the same bits wherever it lies; lanes
// past n read as `fill` and are never written.
//
// On AVX2 and AVX-512 the tail is a masked load and store. For 32- and 64-bit lanes Highway
// 1.0.3 implements them with vmaskmovps/pd and vpmaskmovd/q (AVX2) and with AVX-512 masked moves:
// masked-off lanes are never accessed, so they cannot fault past the end of an array and do not
// race with another thread writing there. On SSE4, SSSE3 and scalar targets its MaskedLoad is a
// full load and a blend, which may fault, and BlendedStore rewrites the masked-off lanes: there
// the tail goes through a vector-sized buffer instead. Only float and double use these.
//
// One kind of loop keeps its own tail, because the tail is part of what it computes: a reduction
// adds its tail lane by lane after the lanes (reduce.cc; a vector tail would change its order of
// additions, so its bits).

#if defined(ATROUS_TENSOR_SIMD_TAIL_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_SIMD_TAIL_INL_H_
#undef ATROUS_TENSOR_SIMD_TAIL_INL_H_
#else
#define ATROUS_TENSOR_SIMD_TAIL_INL_H_
#endif

#include <cstddef>
#include <cstring>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// Values [0, n) of p, n <= Lanes(d); the other lanes hold `fill`.
template <class D, typename T = hwy::HWY_NAMESPACE::TFromD<D>>
HWY_INLINE hwy::HWY_NAMESPACE::Vec<D> LoadTail(const D d, const T* HWY_RESTRICT p, const std::size_t n,
                                               const T fill = T(0)) {
  namespace hn = hwy::HWY_NAMESPACE;
  static_assert(sizeof(T) == 4 || sizeof(T) == 8, "masked moves are fault-free for 32- and 64-bit lanes only");
  HWY_DASSERT(n <= hn::Lanes(d));
#if HWY_TARGET <= HWY_AVX2
  const auto m = hn::FirstN(d, n);
  const auto v = hn::MaskedLoad(m, d, p);
  return fill == T(0) ? v : hn::IfThenElse(m, v, hn::Set(d, fill));
#else
  HWY_ALIGN T buf[hn::MaxLanes(d)];
  for (std::size_t i = 0; i < hn::Lanes(d); ++i) buf[i] = fill;
  if (n != 0) std::memcpy(buf, p, n * sizeof(T));
  return hn::Load(d, buf);
#endif
}

// Lanes [0, n) of v to p, n <= Lanes(d); p[n …] untouched.
template <class D, typename T = hwy::HWY_NAMESPACE::TFromD<D>>
HWY_INLINE void StoreTail(const hwy::HWY_NAMESPACE::Vec<D> v, const D d, T* HWY_RESTRICT p, const std::size_t n) {
  namespace hn = hwy::HWY_NAMESPACE;
  static_assert(sizeof(T) == 4 || sizeof(T) == 8, "masked moves are fault-free for 32- and 64-bit lanes only");
  HWY_DASSERT(n <= hn::Lanes(d));
#if HWY_TARGET <= HWY_AVX2
  hn::BlendedStore(v, hn::FirstN(d, n), d, p);
#else
  HWY_ALIGN T buf[hn::MaxLanes(d)];
  hn::Store(v, d, buf);
  if (n != 0) std::memcpy(p, buf, n * sizeof(T));
#endif
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_SIMD_TAIL_INL_H_
