// SPDX-License-Identifier: Apache-2.0
// Element-wise functions of one tensor: neg exp log sqrt abs relu tanh sigmoid clamp pow sign erf.
// Kernels only; autograd/ops/unary.cc records their gradients.
#pragma once

#include "atrous/tensor/tensor.h"

namespace atrous::native {

enum class UnaryOp { Neg, Exp, Log, Sqrt, Abs, Relu, Tanh, Sigmoid, Clamp, Pow, Sign, Erf };

const char* unary_op_name(UnaryOp op);

// A new contiguous tensor op(x). Clamp takes (p0, p1) = (min, max), ±inf for "no bound";
// Pow takes p0 = exponent. Ops other than Neg, Abs, Relu, Clamp and Sign need floating point.
Tensor unary(UnaryOp op, const Tensor& x, double p0 = 0.0, double p1 = 0.0);

}  // namespace atrous::native
