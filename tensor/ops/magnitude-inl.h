// SPDX-License-Identifier: Apache-2.0
// The largest magnitude of an array, NaN if it holds one: how the convolution kernels tell
// whether values are finite and within a bound that keeps a transform from overflowing. Per
// target, for use inside other kernels; native::largest_magnitude (reduce.h) dispatches it.

#if defined(ATROUS_TENSOR_OPS_MAGNITUDE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_OPS_MAGNITUDE_INL_H_
#undef ATROUS_TENSOR_OPS_MAGNITUDE_INL_H_
#else
#define ATROUS_TENSOR_OPS_MAGNITUDE_INL_H_
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// max |x[i]|, NaN if some x[i] is NaN. With the sign bit cleared, a float's bits order as
// integers the way its magnitude does, NaN's above infinity's, so one integer max serves: no
// branch, no NaN-ordering question for the float Max.
template <class D, typename T = hn::TFromD<D>>
T LargestMagnitude(const D d, const T* HWY_RESTRICT x, const std::int64_t n) {
  const hn::RebindToSigned<D> di;
  using I = hn::TFromD<decltype(di)>;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const auto magnitude = hn::Set(di, std::numeric_limits<I>::max());  // every bit but the sign
  auto most = hn::Zero(di);
  std::int64_t i = 0;
  for (; i + L <= n; i += L) most = hn::Max(most, hn::And(hn::BitCast(di, hn::LoadU(d, x + i)), magnitude));
  HWY_ALIGN I lanes[hn::MaxLanes(di)];
  hn::Store(most, di, lanes);
  I bits = *std::max_element(lanes, lanes + L);
  for (; i < n; ++i) {
    I v;
    std::memcpy(&v, x + i, sizeof v);
    bits = std::max<I>(bits, v & std::numeric_limits<I>::max());
  }
  T out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_OPS_MAGNITUDE_INL_H_
