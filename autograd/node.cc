// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/node.h"

#include <atomic>

#include "atrous/autograd/autograd_meta.h"
#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/view.h"

namespace atrous::autograd {
namespace {
std::atomic<std::uint64_t> next_sequence_nr{0};
}  // namespace

Node::Node() : sequence_nr_(next_sequence_nr.fetch_add(1, std::memory_order_relaxed)) {}

Node::~Node() {
  // Destroying a 10,000-node chain recursively would overflow the stack: successors are handed
  // to a per-thread worklist and released in a loop by the outermost destructor instead.
  thread_local bool draining = false;
  thread_local std::vector<std::shared_ptr<Node>> pending;
  for (Edge& e : next_edges_) {
    if (e.node) pending.push_back(std::move(e.node));
  }
  if (draining) return;
  draining = true;
  while (!pending.empty()) {
    std::shared_ptr<Node> n = std::move(pending.back());
    pending.pop_back();
    n.reset();  // may push n's successors if this was the last reference
  }
  draining = false;
}

void Node::set_next_edges(std::vector<Edge> edges, std::vector<Shape> input_sizes,
                          std::vector<ScalarType> input_dtypes) {
  next_edges_ = std::move(edges);
  input_sizes_ = std::move(input_sizes);
  input_dtypes_ = std::move(input_dtypes);
}

SavedTensor::SavedTensor(const Tensor& t)
    : data_(t.defined() ? t.detach() : Tensor()), version_(t.defined() ? t.unsafe_impl()->storage->version() : 0) {}

Tensor SavedTensor::unpack() const {
  if (!data_.defined()) return data_;
  const std::uint64_t now = data_.unsafe_impl()->storage->version();
  check_state(now == version_, "backward",
              "one of the tensors needed for gradient computation has been modified by an in-place operation: a ",
              dtype_name(data_.dtype()), " tensor of shape ", shape_str(data_.sizes()), " is at version ", now,
              "; expected version ", version_, ". Use an out-of-place op, or clone() before modifying it");
  return data_;
}

std::vector<Tensor> AccumulateGrad::apply(const Tensor& grad_output) {
  AutogradMeta& m = materialize_meta(leaf_);
  if (!m.grad.defined()) {
    // Never alias a gradient the graph may reuse; one that nothing else holds (not even through
    // a view) is taken over as it is, as PyTorch does, instead of copied.
    const bool sole = grad_output.impl_ptr().use_count() == 1 && grad_output.unsafe_impl()->storage.use_count() == 1;
    const bool plain = grad_output.is_contiguous() && !grad_output.requires_grad();
    m.grad = sole && plain ? grad_output.detach() : native::clone(grad_output);
  } else {
    if (grad_output.unsafe_impl()->storage == m.grad.unsafe_impl()->storage) {
      native::copy_into(m.grad, native::binary(native::BinaryOp::Add, m.grad, grad_output));
    } else {
      native::binary_into(native::BinaryOp::Add, m.grad, m.grad, grad_output);  // one pass, in place
    }
    m.grad.unsafe_impl()->storage->bump_version();
  }
  return {};
}

std::vector<Tensor> FunctionNode::apply(const Tensor& grad_output) {
  check_state(backward_ != nullptr, "backward",
              "trying to backward through the graph a second time (or to reach saved tensors after they were "
              "freed) at ",
              name_,
              ". Saved tensors are freed after backward(); pass retain_graph = true to "
              "the first backward() if you need to call it again");
  return backward_(grad_output);
}

Edge gradient_edge(const Tensor& t) {
  AutogradMeta* m = meta(t);
  if (m == nullptr) return {};
  if (m->grad_fn) return {m->grad_fn, m->output_nr};
  if (!m->requires_grad) return {};
  std::shared_ptr<Node> acc = m->grad_accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(t);
    m->grad_accumulator = acc;
  }
  return {acc, 0};
}

bool any_requires_grad(const std::vector<Tensor>& inputs) {
  if (!GradMode::is_enabled()) return false;
  for (const Tensor& t : inputs) {
    if (t.defined() && t.requires_grad()) return true;
  }
  return false;
}

Tensor record(std::string name, const std::vector<Tensor>& inputs, Tensor output,
              std::function<std::vector<Tensor>(const Tensor&)> backward) {
  if (!any_requires_grad(inputs)) return output;
  auto node = std::make_shared<FunctionNode>(std::move(name), std::move(backward));
  std::vector<Edge> edges;
  std::vector<Shape> sizes;
  std::vector<ScalarType> dtypes;
  for (const Tensor& t : inputs) {
    edges.push_back(t.defined() ? gradient_edge(t) : Edge{});
    sizes.push_back(t.defined() ? t.sizes() : Shape{});
    dtypes.push_back(t.defined() ? t.dtype() : kFloat32);
  }
  node->set_next_edges(std::move(edges), std::move(sizes), std::move(dtypes));
  AutogradMeta& m = materialize_meta(output);
  m.requires_grad = true;
  m.grad_fn = std::move(node);
  m.output_nr = 0;
  return output;
}

Tensor with_last_axis_window(Tensor output, const LayerGeometry& window) {
  if (const std::shared_ptr<Node> node = output.grad_fn()) node->set_last_axis_window(window);
  return output;
}

}  // namespace atrous::autograd
