// SPDX-License-Identifier: Apache-2.0
// The receptive field of a module whose forward is arbitrary code — residual blocks, parallel
// branches, gated units — read from the autograd graph its forward records: along the last
// spatial axis, each node's output reads a window of its input (convolution, pooling, padding:
// the nodes carry their window), the same position (elementwise ops, BatchNorm, ops along other
// axes), or every position (global pooling, matrix products). Where branches meet, the field is
// the union of theirs: the widest extent, as Araujo et al. (Distill 2019) compute it.
#pragma once

#include <functional>
#include <optional>

#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/tensor.h"

namespace atrous::utils {

struct TracedField {
  enum class Kind { Field, Everything, Unknown } kind = Kind::Unknown;
  ReceptiveField field;  // for Kind::Field: one output position's extent on the input
};

// Runs `forward` on `x` with grad mode on and traces how its output's positions along the last
// axis depend on `x`'s. Returns the output (detached) and the field; Unknown when the graph has a
// node whose positional effect is not known (a transpose of the last axis, a softmax, ...), or
// when `x` is not floating point.
std::pair<Tensor, TracedField> trace_field(const std::function<Tensor(const Tensor&)>& forward, const Tensor& x);

// One layer with the same effect as `f` on a stack: kernel = field, stride = jump, dilation 1,
// and the padding that puts unit 0's centre at the same place; nullopt when that padding is not
// a whole number of elements.
std::optional<LayerGeometry> equivalent_layer(const ReceptiveField& f);

}  // namespace atrous::utils
