// SPDX-License-Identifier: Apache-2.0
// Winograd F(m×m, 3×3)'s transforms, m = 2 or 4 (see winograd_conv.h): the weight matrix G, how
// far the transforms may grow a value, and per target the input (Bᵀ), output (Aᵀ) and output
// gradient (A) transforms along one axis.

#ifndef ATROUS_TENSOR_CONV_WINOGRAD_MATRICES
#define ATROUS_TENSOR_CONV_WINOGRAD_MATRICES
namespace atrous::native::winograd {
// G of F(m×m, 3×3): U = G·g·Gᵀ, (m + 2) × 3, computed in float64 and rounded once.
inline constexpr double kG2[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
inline constexpr double kG4[6][3] = {{1.0 / 4, 0, 0},
                                     {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                     {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                     {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                     {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                     {0, 0, 1}};
// How much larger than w_max·|d|·Ci an output's transforms may grow: the largest row sums of
// |Bᵀ|, |G| and |Aᵀ|, each squared (F(2×2): 2, 1.5, 3; F(4×4): 10, 1, 19).
inline constexpr double kGrowth2 = 4 * 2.25 * 9;
inline constexpr double kGrowth4 = 100 * 1 * 361;
// … and grad_weight's: how much larger than |d|·|dY| per tile its sums may grow, the largest row
// sums of |A|, |Bᵀ| and |Gᵀ|, each squared (F(2×2): 2, 2, 2; F(4×4): 15, 10, 5/3, rounded up to 2).
inline constexpr double kGradGrowth2 = 4 * 4 * 4;
inline constexpr double kGradGrowth4 = 225 * 100 * 4;
}  // namespace atrous::native::winograd
#endif  // ATROUS_TENSOR_CONV_WINOGRAD_MATRICES

#if defined(ATROUS_TENSOR_CONV_WINOGRAD_TRANSFORMS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ATROUS_TENSOR_CONV_WINOGRAD_TRANSFORMS_INL_H_
#undef ATROUS_TENSOR_CONV_WINOGRAD_TRANSFORMS_INL_H_
#else
#define ATROUS_TENSOR_CONV_WINOGRAD_TRANSFORMS_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Bᵀ·x of one (m + 2)-vector of a tile: the input transform along either axis.
template <int M, class V>
HWY_INLINE void InputCombine(const V* x, V* out) {
  if constexpr (M == 2) {
    out[0] = hn::Sub(x[0], x[2]);
    out[1] = hn::Add(x[1], x[2]);
    out[2] = hn::Sub(x[2], x[1]);
    out[3] = hn::Sub(x[1], x[3]);
  } else {
    const hn::DFromV<V> d;
    const V two = hn::Set(d, 2), four = hn::Set(d, 4), five = hn::Set(d, 5);
    const V d42 = hn::Sub(x[4], x[2]), d31 = hn::Sub(x[3], x[1]);
    out[0] = hn::MulAdd(four, x[0], hn::NegMulAdd(five, x[2], x[4]));
    out[1] = hn::NegMulAdd(four, hn::Add(x[1], x[2]), hn::Add(x[3], x[4]));
    out[2] = hn::MulAdd(four, hn::Sub(x[1], x[2]), hn::Sub(x[4], x[3]));
    out[3] = hn::MulAdd(two, d31, d42);
    out[4] = hn::NegMulAdd(two, d31, d42);
    out[5] = hn::MulAdd(four, x[1], hn::NegMulAdd(five, x[3], x[5]));
  }
}

// Aᵀ·x of one (m + 2)-vector of M: the output transform along either axis.
template <int M, class V>
HWY_INLINE void OutputCombine(const V* x, V* out) {
  if constexpr (M == 2) {
    out[0] = hn::Add(hn::Add(x[0], x[1]), x[2]);
    out[1] = hn::Sub(hn::Sub(x[1], x[2]), x[3]);
  } else {
    const hn::DFromV<V> d;
    const V a = hn::Add(x[1], x[2]), b = hn::Sub(x[1], x[2]), c = hn::Add(x[3], x[4]), e = hn::Sub(x[3], x[4]);
    out[0] = hn::Add(hn::Add(x[0], a), c);
    out[1] = hn::MulAdd(hn::Set(d, 2), e, b);
    out[2] = hn::MulAdd(hn::Set(d, 4), c, a);
    out[3] = hn::Add(hn::MulAdd(hn::Set(d, 8), e, b), x[5]);
  }
}

// A·x of one m-vector of dY: grad_weight's transform of an output tile along either axis, the
// transpose of Aᵀ (dU = Σ (A·dY·Aᵀ) ⊙ V over the tiles, then dW = Gᵀ·dU·G).
template <int M, class V>
HWY_INLINE void GradCombine(const V* x, V* out) {
  if constexpr (M == 2) {
    out[0] = x[0];
    out[1] = hn::Add(x[0], x[1]);
    out[2] = hn::Sub(x[0], x[1]);
    out[3] = hn::Neg(x[1]);
  } else {
    const hn::DFromV<V> d;
    const V even = hn::Add(x[0], x[2]), odd = hn::Add(x[1], x[3]);
    const V even4 = hn::MulAdd(hn::Set(d, 4), x[2], x[0]), odd4 = hn::MulAdd(hn::Set(d, 4), x[3], x[1]);
    const V two = hn::Set(d, 2);
    out[0] = x[0];
    out[1] = hn::Add(even, odd);
    out[2] = hn::Sub(even, odd);
    out[3] = hn::MulAdd(two, odd4, even4);
    out[4] = hn::NegMulAdd(two, odd4, even4);
    out[5] = x[3];
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#endif  // ATROUS_TENSOR_CONV_WINOGRAD_TRANSFORMS_INL_H_
