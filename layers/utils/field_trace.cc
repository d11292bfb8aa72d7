// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/utils/field_trace.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <unordered_map>

#include "atrous/autograd/grad_mode.h"
#include "atrous/autograd/node.h"

namespace atrous::utils {
namespace {

using Kind = TracedField::Kind;

// Nodes whose output position i along the last axis reads position i of each input whose last
// axis has the output's length: elementwise ops, and ops that move or select along other axes.
const std::set<std::string>& same_position_nodes() {
  static const std::set<std::string> kNames{"AbsBackward0",     "AddBackward0",
                                            "ClampBackward1",   "CloneBackward0",
                                            "DivBackward0",     "ErfBackward0",
                                            "ExpBackward0",     "LogBackward0",
                                            "MaximumBackward0", "MinimumBackward0",
                                            "MulBackward0",     "NegBackward0",
                                            "PowBackward0",     "PowBackward1",
                                            "ReluBackward0",    "SigmoidBackward0",
                                            "SqrtBackward0",    "SubBackward0",
                                            "TanhBackward0",    "ToCopyBackward0",
                                            "WhereBackward0",   "NativeBatchNormBackward0",
                                            "CatBackward0",     "NarrowBackward0",
                                            "SliceBackward0",   "SelectBackward0",
                                            "ViewBackward0",    "ReshapeAliasBackward0",
                                            "SqueezeBackward1", "UnsqueezeBackward0",
                                            "ExpandBackward0"};
  return kNames;
}

// Nodes after which every output position may read every input position.
const std::set<std::string>& mixing_nodes() {
  static const std::set<std::string> kNames{"AdaptiveAvgPool2DBackward0", "MmBackward0", "MeanBackward1",
                                            "SumBackward1"};
  return kNames;
}

TracedField unknown() { return {Kind::Unknown, {}}; }

// The union of fields: the extent from the lowest first element to the highest last one. Their
// jumps must agree, or the output's positions do not sit on one grid over the input.
TracedField join(const std::vector<TracedField>& parts) {
  for (const TracedField& p : parts) {
    if (p.kind == Kind::Unknown) return unknown();
  }
  for (const TracedField& p : parts) {
    if (p.kind == Kind::Everything) return p;
  }
  double lo = INFINITY, hi = -INFINITY;
  for (const TracedField& p : parts) {
    if (p.field.jump != parts.front().field.jump || p.field.jump_divisor != 1) return unknown();
    const double half = static_cast<double>(p.field.size - 1) / 2;
    lo = std::min(lo, p.field.start - half), hi = std::max(hi, p.field.start + half);
  }
  ReceptiveField f;
  f.size = static_cast<std::int64_t>(std::llround(hi - lo)) + 1;
  f.jump = parts.front().field.jump;
  f.start = (lo + hi) / 2;
  return {Kind::Field, f};
}

class Tracer {
 public:
  explicit Tracer(const autograd::Node* input) : input_(input) {}

  // nullopt when `node` does not depend on the input; `out_last` is its output's last-axis length.
  std::optional<TracedField> reach(const autograd::Node& node, const std::int64_t out_last) {
    if (&node == input_) return TracedField{Kind::Field, {}};
    if (const auto it = memo_.find(&node); it != memo_.end()) return it->second;
    std::vector<TracedField> parts;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < node.next_edges().size(); ++i) {
      const autograd::Edge& edge = node.next_edges()[i];
      if (!edge.valid()) continue;
      const Shape& in = node.input_sizes()[i];
      if (const std::optional<TracedField> r = reach(*edge.node, in.empty() ? 1 : in.back())) {
        parts.push_back(*r);
        which.push_back(i);
      }
    }
    std::optional<TracedField> result;
    if (!parts.empty()) result = combine(node, out_last, parts, which);
    memo_.emplace(&node, result);
    return result;
  }

 private:
  static TracedField combine(const autograd::Node& node, const std::int64_t out_last, std::vector<TracedField> parts,
                             const std::vector<std::size_t>& which) {
    if (const std::optional<LayerGeometry>& w = node.last_axis_window()) {
      if (which.front() != 0 || parts.front().kind != Kind::Field) {
        return which.front() == 0 ? parts.front() : unknown();
      }
      const ReceptiveField& f = parts.front().field;
      ReceptiveField g = f;
      g.size = f.size + (w->kernel - 1) * w->dilation * f.jump;
      g.jump = f.jump * w->stride;
      g.start = f.start + (static_cast<double>(w->dilation * (w->kernel - 1)) / 2 - static_cast<double>(w->padding)) *
                              static_cast<double>(f.jump);
      return {Kind::Field, g};
    }
    const std::string name = node.name();
    if (mixing_nodes().count(name) != 0) {
      // A reduction that keeps the last axis (over channels, say) moves nothing along it.
      const Shape& in = node.input_sizes()[which.front()];
      const bool keeps_last =
          !in.empty() && in.back() == out_last && name != "AdaptiveAvgPool2DBackward0" && name != "MmBackward0";
      return keeps_last ? join(parts) : TracedField{Kind::Everything, {}};
    }
    if (same_position_nodes().count(name) == 0) return unknown();
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const Shape& in = node.input_sizes()[which[k]];
      const std::int64_t in_last = in.empty() ? 1 : in.back();
      if (in_last != out_last && parts[k].kind != Kind::Everything) return unknown();  // cut, stretched or moved
    }
    return join(parts);
  }

  const autograd::Node* input_;
  std::unordered_map<const autograd::Node*, std::optional<TracedField>> memo_;
};

}  // namespace

std::pair<Tensor, TracedField> trace_field(const std::function<Tensor(const Tensor&)>& forward, const Tensor& x) {
  if (!is_floating(x.scalar_type())) return {forward(x).detach(), unknown()};
  const AutoGradMode grad(true);
  const Tensor leaf = x.detach();
  leaf.requires_grad_(true);
  // A node of our own in front of the module: the tracer stops there.
  const Tensor input = leaf * 1.0;
  const Tensor y = forward(input);
  TracedField field = unknown();
  if (const std::shared_ptr<autograd::Node> root = y.grad_fn()) {
    Tracer tracer(input.grad_fn().get());
    if (const std::optional<TracedField> r = tracer.reach(*root, y.dim() == 0 ? 1 : y.size(-1))) field = *r;
  }
  return {y.detach(), field};
}

std::optional<LayerGeometry> equivalent_layer(const ReceptiveField& f) {
  const double padding = static_cast<double>(f.size - 1) / 2 - f.start;
  if (padding != std::floor(padding) || f.jump_divisor != 1) return std::nullopt;
  return LayerGeometry{f.size, f.jump, 1, static_cast<std::int64_t>(padding)};
}

}  // namespace atrous::utils
