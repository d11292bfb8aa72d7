// SPDX-License-Identifier: Apache-2.0
// The graph: a Node per recorded operation, Edges to the nodes of its inputs, SavedTensors
// checked against in-place modification, and AccumulateGrad as the sink at every leaf.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/tensor.h"

namespace atrous::autograd {

class Node;

// Where a gradient goes: input `input_nr` of `node`. An empty edge means "nobody needs it".
struct Edge {
  std::shared_ptr<Node> node;
  int input_nr = 0;
  bool valid() const noexcept { return node != nullptr; }
};

class Node {
 public:
  Node();
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // PyTorch's name for the node, e.g. "MulBackward0".
  virtual std::string name() const = 0;
  // Maps the gradient of this node's output to one gradient per next edge (undefined = zero).
  virtual std::vector<Tensor> apply(const Tensor& grad_output) = 0;
  // Frees saved tensors after a backward without retain_graph.
  virtual void release_variables() {}

  const std::vector<Edge>& next_edges() const noexcept { return next_edges_; }
  // The shape and dtype each edge's gradient must have; the engine checks what apply() returns
  // (a wrong shape or count raises, another dtype is converted, as in PyTorch).
  const std::vector<Shape>& input_sizes() const noexcept { return input_sizes_; }
  const std::vector<ScalarType>& input_dtypes() const noexcept { return input_dtypes_; }
  void set_next_edges(std::vector<Edge> edges, std::vector<Shape> input_sizes, std::vector<ScalarType> input_dtypes);
  // Creation order: a node is always created after the nodes of its inputs.
  std::uint64_t sequence_nr() const noexcept { return sequence_nr_; }

  // For receptive-field tracing through a graph (utils::summary): when this node's output
  // positions along the last axis read a window of its first input's — a convolution, pooling or
  // padding — that window; unset for every other node.
  const std::optional<LayerGeometry>& last_axis_window() const noexcept { return last_axis_window_; }
  void set_last_axis_window(const LayerGeometry& window) { last_axis_window_ = window; }

 private:
  std::optional<LayerGeometry> last_axis_window_;
  std::vector<Edge> next_edges_;
  std::vector<Shape> input_sizes_;
  std::vector<ScalarType> input_dtypes_;
  std::uint64_t sequence_nr_;
};

// A tensor saved for backward: a detached alias (no graph cycle) plus the version it had, so
// that unpack() can refuse it after an in-place change, as PyTorch does.
class SavedTensor {
 public:
  SavedTensor() = default;
  explicit SavedTensor(const Tensor& t);
  Tensor unpack() const;

 private:
  Tensor data_;
  std::uint64_t version_ = 0;
};

// The sink at a leaf that requires grad: adds incoming gradients into leaf.grad().
class AccumulateGrad : public Node {
 public:
  explicit AccumulateGrad(Tensor leaf) : leaf_(std::move(leaf)) {}
  std::string name() const override { return "AccumulateGrad"; }
  std::vector<Tensor> apply(const Tensor& grad_output) override;
  const Tensor& leaf() const noexcept { return leaf_; }

 private:
  Tensor leaf_;
};

// A node whose backward is a closure written right below its op's forward (micrograd style).
class FunctionNode : public Node {
 public:
  using Backward = std::function<std::vector<Tensor>(const Tensor&)>;
  FunctionNode(std::string name, Backward backward) : name_(std::move(name)), backward_(std::move(backward)) {}
  std::string name() const override { return name_; }
  std::vector<Tensor> apply(const Tensor& grad_output) override;
  void release_variables() override { backward_ = nullptr; }

 private:
  std::string name_;
  Backward backward_;
};

// The edge a gradient for `t` must flow into: its grad_fn, its leaf accumulator, or none.
Edge gradient_edge(const Tensor& t);

// Connects `output` to a new node named `name` whose backward maps the output's gradient to one
// gradient per input, and returns it. Records nothing when grad mode is off or no input
// requires grad (the closure is dropped at once).
Tensor record(std::string name, const std::vector<Tensor>& inputs, Tensor output,
              std::function<std::vector<Tensor>(const Tensor&)> backward);

// Marks the node that produced `output`, if one was recorded, with its last-axis window; returns
// `output`.
Tensor with_last_axis_window(Tensor output, const LayerGeometry& window);

// True when grad mode is on and any input requires grad: ops skip saving tensors otherwise.
bool any_requires_grad(const std::vector<Tensor>& inputs);

}  // namespace atrous::autograd
