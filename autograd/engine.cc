// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/engine.h"

#include <optional>
#include <queue>
#include <unordered_map>

#include "atrous/autograd/autograd_meta.h"
#include "atrous/autograd/grad_mode.h"
#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/binary.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/profile.h"

namespace atrous::autograd {
namespace {

struct NodeState {
  int dependencies = 0;
  Tensor grad;  // the sum of every gradient that has arrived
};

// Latest-created first: for a dependency-counted graph any order is correct, and this one
// is deterministic, so gradient sums are always added in the same order.
struct LaterFirst {
  bool operator()(const Node* a, const Node* b) const { return a->sequence_nr() < b->sequence_nr(); }
};

void accumulate(NodeState& s, const Tensor& g) {
  s.grad = s.grad.defined() ? native::binary(native::BinaryOp::Add, s.grad, g) : g;
}

// Runs the graph backwards from `roots`. Without `capture`, gradients accumulate into the
// leaves; with it, the gradient arriving at each captured node is returned instead and no leaf
// accumulates.
std::vector<Tensor> run_backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_outputs,
                                 const bool retain_graph, const std::vector<Node*>* capture) {
  check_arg(roots.size() == grad_outputs.size(), "backward", "got ", roots.size(), " tensors but ", grad_outputs.size(),
            " gradients");
  const NoGradGuard no_grad;  // backward formulas build no graph (no double backward)
  std::unordered_map<Node*, NodeState> state;
  std::vector<std::pair<Edge, Tensor>> seeds;
  for (std::size_t i = 0; i < roots.size(); ++i) {
    const Tensor& root = roots[i];
    Edge edge = gradient_edge(root);
    check_arg(edge.valid(), "backward", "tensor ", i, " of shape ", shape_str(root.sizes()),
              " does not require grad and has no grad_fn: call requires_grad_() on the inputs "
              "before computing it, outside NoGradGuard");
    Tensor g = grad_outputs[i];
    if (!g.defined()) {
      check_arg(root.numel() == 1, "backward",
                "grad can be implicitly created only for one-element outputs, but "
                "the output has shape ",
                shape_str(root.sizes()), "; pass a gradient of that shape: backward(grad)");
      g = ones(root.sizes(), root.dtype());
    }
    check_arg(g.sizes() == root.sizes() && g.dtype() == root.dtype(), "backward", "the gradient has shape ",
              shape_str(g.sizes()), " and dtype ", dtype_name(g.dtype()), " but the output has shape ",
              shape_str(root.sizes()), " and dtype ", dtype_name(root.dtype()));
    seeds.emplace_back(std::move(edge), std::move(g));
  }

  // Count, for every reachable node, how many edges lead into it (iterative DFS).
  std::vector<Node*> stack;
  for (const auto& [edge, g] : seeds) {
    if (state.try_emplace(edge.node.get()).second) stack.push_back(edge.node.get());
  }
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Edge& e : n->next_edges()) {
      if (!e.valid()) continue;
      auto [it, fresh] = state.try_emplace(e.node.get());
      ++it->second.dependencies;
      if (fresh) stack.push_back(e.node.get());
    }
  }

  std::vector<Tensor> captured(capture == nullptr ? 0 : capture->size());
  std::priority_queue<Node*, std::vector<Node*>, LaterFirst> ready;
  for (const auto& [edge, g] : seeds) accumulate(state[edge.node.get()], g);
  for (const auto& [edge, g] : seeds) {
    NodeState& s = state[edge.node.get()];
    if (s.dependencies == 0) {
      s.dependencies = -1;  // a root seeded twice is queued once
      ready.push(edge.node.get());
    }
  }
  while (!ready.empty()) {
    Node* n = ready.top();
    ready.pop();
    NodeState& s = state[n];
    const Tensor grad = std::move(s.grad);
    if (capture != nullptr) {
      for (std::size_t i = 0; i < capture->size(); ++i) {
        if ((*capture)[i] == n) captured[i] = grad;
      }
      if (dynamic_cast<AccumulateGrad*>(n) != nullptr) continue;  // grad() leaves .grad alone
    }
    // A node no gradient reached (every path into it carried zeros) passes nothing on.
    std::vector<Tensor> grads;
    if (grad.defined()) {
      std::optional<profile::Scope> scope;  // the node's name is built only when recording
      if (profile::recording()) scope.emplace(n->name());
      grads = n->apply(grad);
    }
    if (!retain_graph) n->release_variables();
    const std::vector<Edge>& edges = n->next_edges();
    check_state(!grad.defined() || grads.size() == edges.size(), "backward", "function ", n->name(),
                " returned an incorrect number of gradients (expected ", edges.size(), ", got ", grads.size(), ")");
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (!edges[i].valid()) continue;
      NodeState& next = state[edges[i].node.get()];
      if (i < grads.size() && grads[i].defined()) {
        check_state(grads[i].sizes() == n->input_sizes()[i], "backward", n->name(), " returned a gradient of shape ",
                    shape_str(grads[i].sizes()), " for its input ", i, " of shape ", shape_str(n->input_sizes()[i]));
        if (grads[i].dtype() != n->input_dtypes()[i]) grads[i] = native::to(grads[i], n->input_dtypes()[i]);
        accumulate(next, grads[i]);
      }
      if (--next.dependencies == 0) ready.push(edges[i].node.get());
    }
  }
  return captured;
}

}  // namespace

void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_outputs, const bool retain_graph) {
  run_backward(roots, grad_outputs, retain_graph, nullptr);
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, const std::optional<bool> retain_graph,
                         const bool create_graph, const bool allow_unused) {
  check_arg(!create_graph, "autograd::grad", "create_graph=true (higher-order gradients) is not supported by atrous");
  std::vector<Node*> targets;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Edge edge = gradient_edge(inputs[i]);
    check_arg(edge.valid(), "autograd::grad", "input ", i, " of shape ", shape_str(inputs[i].sizes()),
              " does not require grad");
    targets.push_back(edge.node.get());
  }
  const std::vector<Tensor> seeds = grad_outputs.empty() ? std::vector<Tensor>(outputs.size()) : grad_outputs;
  std::vector<Tensor> grads = run_backward(outputs, seeds, retain_graph.value_or(create_graph), &targets);
  for (std::size_t i = 0; i < grads.size(); ++i) {
    check_arg(grads[i].defined() || allow_unused, "autograd::grad", "input ", i,
              " appears to not have been used in the graph; pass allow_unused=true if this is the desired behavior");
  }
  return grads;
}

}  // namespace atrous::autograd
