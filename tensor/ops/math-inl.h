// SPDX-License-Identifier: Apache-2.0
// Exp and Log with IEEE edge behaviour, on top of Highway's contrib math, for every kernel
// that needs them (unary ops, softmax, losses).

#if defined(ATROUS_TENSOR_OPS_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_OPS_MATH_INL_H_
#undef ATROUS_TENSOR_OPS_MATH_INL_H_
#else
#define ATROUS_TENSOR_OPS_MATH_INL_H_
#endif

#include <limits>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Highway's Exp is only specified up to log(max) and Log only on (0, max]; these restore
// IEEE results at the edges (overflow to inf, log(0) = -inf, log(<0) = NaN, NaN in, NaN out),
// as PyTorch gives.
template <class D, class V>
HWY_INLINE V ExpIeee(const D d, const V x) {
  using T = hn::TFromD<D>;
  const T hi = sizeof(T) == 4 ? T(88.72283935546875) : T(709.782712893384);
  const T lo = sizeof(T) == 4 ? T(-103.97208) : T(-745.1332191019412);
  V r = hn::Exp(d, x);
  r = hn::IfThenElse(hn::Gt(x, hn::Set(d, hi)), hn::Set(d, std::numeric_limits<T>::infinity()), r);
  r = hn::IfThenZeroElse(hn::Lt(x, hn::Set(d, lo)), r);
  return hn::IfThenElse(hn::IsNaN(x), x, r);
}

template <class D, class V>
HWY_INLINE V LogIeee(const D d, const V x) {
  using T = hn::TFromD<D>;
  const V zero = hn::Zero(d);
  const V inf = hn::Set(d, std::numeric_limits<T>::infinity());
  V r = hn::Log(d, x);
  r = hn::IfThenElse(hn::Eq(x, zero), hn::Neg(inf), r);
  r = hn::IfThenElse(hn::Lt(x, zero), hn::Set(d, std::numeric_limits<T>::quiet_NaN()), r);
  r = hn::IfThenElse(hn::Eq(x, inf), inf, r);
  return hn::IfThenElse(hn::IsNaN(x), x, r);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_OPS_MATH_INL_H_
