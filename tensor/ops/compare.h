// SPDX-License-Identifier: Apache-2.0
// Comparisons and selections that produce or consume bool tensors: eq/ne/lt/le/gt/ge with
// broadcasting, logical_not, all/any, and where(cond, a, b). Not differentiable themselves;
// autograd/ops/compare.cc gives where() its gradient.
#pragma once

#include "atrous/tensor/tensor.h"

namespace atrous::native {

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };

// a OP b element-wise as a bool tensor of the broadcast shape. Different dtypes compare in
// their common C++ type (int64 with float32 compares as float32, as PyTorch promotes).
Tensor compare(CompareOp op, const Tensor& a, const Tensor& b);
Tensor logical_not(const Tensor& x);
// Whether every / any element is non-zero, as a 0-dim bool tensor.
Tensor all(const Tensor& x);
Tensor any(const Tensor& x);
// cond ? a : b element-wise; cond is bool, a and b share a dtype; all three broadcast.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

}  // namespace atrous::native
