// SPDX-License-Identifier: Apache-2.0
// Reverse-mode execution: runs the graph behind `roots` backwards, without recursion.
#pragma once

#include <optional>
#include <vector>

#include "atrous/tensor/tensor.h"

namespace atrous::autograd {

// Computes gradients of `roots` seeded with `grad_outputs` (same count; an undefined seed means
// ones, allowed only for one-element roots) and accumulates them into the leaves. Frees the
// graph's saved tensors unless `retain_graph`.
void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_outputs, bool retain_graph);

// libtorch's torch::autograd::grad: the gradients of `outputs` with respect to `inputs`,
// returned instead of accumulated (no leaf's grad() changes). An empty `grad_outputs` means
// ones for one-element outputs. An input the outputs do not depend on is an error unless
// allow_unused, when its gradient is undefined. create_graph (higher-order gradients) is not
// supported and raises.
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                         bool create_graph = false, bool allow_unused = false);

}  // namespace atrous::autograd
