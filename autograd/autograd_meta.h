// SPDX-License-Identifier: Apache-2.0
// What autograd keeps for each tensor: whether it requires grad, its accumulated gradient,
// the node that produced it, and (for leaves) the node that accumulates into it.
#pragma once

#include <memory>

#include "atrous/tensor/tensor.h"

namespace atrous::autograd {

class Node;

struct AutogradMeta : AutogradMetaInterface {
  bool requires_grad = false;
  Tensor grad;
  std::shared_ptr<Node> grad_fn;  // null for leaves
  int output_nr = 0;
  std::weak_ptr<Node> grad_accumulator;  // weak: the accumulator holds the leaf, not the reverse
};

// The tensor's autograd state, or null if it never had any.
AutogradMeta* meta(const Tensor& t);
// The tensor's autograd state, created on first use.
AutogradMeta& materialize_meta(const Tensor& t);

}  // namespace atrous::autograd
