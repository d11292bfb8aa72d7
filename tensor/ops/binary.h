// SPDX-License-Identifier: Apache-2.0
// Element-wise functions of two broadcast tensors, including the fused gradient formulas that
// autograd would otherwise build from three or four temporaries.
#pragma once

#include "atrous/tensor/tensor.h"

namespace atrous::native {

enum class BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  Maximum,
  Minimum,
  Pow,
  Eq,
  MaxWeight,        // 1 where a > b, 0.5 where a == b, else 0: the share of maximum's gradient
  ReluBackward,     // (g, y): y > 0 ? g : 0
  TanhBackward,     // (g, y): g * (1 - y * y), PyTorch's tanh_backward
  SigmoidBackward,  // (g, y): g * (1 - y) * y, PyTorch's sigmoid_backward
  ClampBackward,    // (g, x): p0 <= x <= p1 ? g : 0
};

const char* binary_op_name(BinaryOp op);

// A new contiguous tensor of the broadcast shape. Both inputs must share a dtype.
Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b, double p0 = 0.0, double p1 = 0.0);

// out = a OP b written into out (any strides), which has the broadcast shape and a's dtype. out
// may be a or b itself (the same elements: an in-place op), never a partial overlap of either.
void binary_into(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, double p0 = 0.0, double p1 = 0.0);

// out (a view, any strides) = src broadcast to out's shape, converting dtype if needed.
void copy_into(const Tensor& out, const Tensor& src);

}  // namespace atrous::native
