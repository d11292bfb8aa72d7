// Reverse-mode execution: runs the graph behind `roots` backwards, without recursion.
#pragma once

#include <vector>

#include "tensor/tensor.h"

namespace atrous::autograd {

// Computes gradients of `roots` seeded with `grad_outputs` (same count; an undefined seed means
// ones, allowed only for one-element roots) and accumulates them into the leaves. Frees the
// graph's saved tensors unless `retain_graph`.
void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_outputs, bool retain_graph);

}  // namespace atrous::autograd
