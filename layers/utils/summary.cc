// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/utils/summary.h"

#include <cstdio>
#include <optional>
#include <sstream>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/container.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/layers/modules/linear.h"
#include "atrous/layers/modules/pooling.h"
#include "atrous/layers/utils/field_trace.h"
#include "atrous/layers/utils/mult_adds.h"
#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/factory.h"

namespace atrous::utils {
namespace {

struct Row {
  std::string name, type;
  Shape output;
  std::int64_t params = 0, macs = 0;
  std::optional<ReceptiveField> rf;  // empty once a layer mixes all positions (Flatten, Linear)
  bool opaque = false;               // after a composite module: the field is not derived
};

std::int64_t own_parameters(const nn::Module& m) {
  std::int64_t n = 0;
  for (const Tensor& p : m.parameters()) n += p.numel();
  return n;
}

// The last spatial axis's geometry of conv, transposed conv and pooling layers; nullopt for
// layers that keep positions as they are.
std::optional<LayerGeometry> geometry_of(const nn::Module& m) {
  const auto last = [](const Shape& v) { return v.back(); };
  const auto conv = [&](const auto* c) -> LayerGeometry {
    const nn::ResolvedPadding& p = c->options.padding();
    std::int64_t before = last(p.values);
    const std::int64_t k = last(c->options.kernel_size()), d = last(c->options.dilation());
    if (p.kind == PaddingKind::Same) before = same_padding(k, d).first;
    if (p.kind == PaddingKind::Causal) before = causal_padding(k, d).first;
    return {k, last(c->options.stride()), d, before};
  };
  if (const auto* c = dynamic_cast<const nn::Conv2dImpl*>(&m)) return conv(c);
  if (const auto* c = dynamic_cast<const nn::Conv1dImpl*>(&m)) return conv(c);
  const auto transposed = [&](const auto* c) -> LayerGeometry {
    return {last(c->options.kernel_size()), last(c->options.stride()), last(c->options.dilation()),
            last(c->options.padding()), true};
  };
  if (const auto* c = dynamic_cast<const nn::ConvTranspose2dImpl*>(&m)) return transposed(c);
  if (const auto* c = dynamic_cast<const nn::ConvTranspose1dImpl*>(&m)) return transposed(c);
  const auto max_pool = [&](const auto* p) -> LayerGeometry {
    return {last(p->options.kernel_size()), last(p->options.stride()), last(p->options.dilation()),
            last(p->options.padding())};
  };
  if (const auto* p = dynamic_cast<const nn::MaxPool2dImpl*>(&m)) return max_pool(p);
  if (const auto* p = dynamic_cast<const nn::MaxPool1dImpl*>(&m)) return max_pool(p);
  const auto avg_pool = [&](const auto* p) -> LayerGeometry {
    return {last(p->options.kernel_size()), last(p->options.stride()), 1, last(p->options.padding())};
  };
  if (const auto* p = dynamic_cast<const nn::AvgPool2dImpl*>(&m)) return avg_pool(p);
  if (const auto* p = dynamic_cast<const nn::AvgPool1dImpl*>(&m)) return avg_pool(p);
  return std::nullopt;
}

bool mixes_positions(const nn::Module& m) {
  return dynamic_cast<const nn::FlattenImpl*>(&m) || dynamic_cast<const nn::LinearImpl*>(&m) ||
         dynamic_cast<const nn::AdaptiveAvgPool2dImpl*>(&m);
}

std::string with_commas(std::int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return (v < 0 ? "-" : "") + out;
}

}  // namespace

std::string summary(nn::Module& model, const std::function<Tensor(const Tensor&)>& forward, const Shape& input_shape,
                    const ScalarType dtype) {
  const NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();  // one batch of zeros must not move BatchNorm statistics
  Tensor x = zeros(input_shape, dtype);
  std::vector<Row> rows;
  std::vector<LayerGeometry> stack;  // the geometry seen so far, for the receptive-field recursion
  bool mixed = false, opaque = false;
  std::function<void(const nn::Module&, const std::string&, const std::function<Tensor(const Tensor&)>&)> visit =
      [&](const nn::Module& m, const std::string& name, const std::function<Tensor(const Tensor&)>& run) {
        if (const auto* seq = dynamic_cast<const nn::SequentialImpl*>(&m)) {
          for (std::size_t i = 0; i < seq->layers().size(); ++i) {
            const nn::AnyForward& layer = seq->layers()[i];
            visit(*layer.module, name.empty() ? std::to_string(i) : name + "." + std::to_string(i),
                  [&layer](const Tensor& input) { return layer.forward(input); });
          }
          return;
        }
        const std::optional<LayerGeometry> g = geometry_of(m);
        const bool composite = !g && !m.named_children().is_empty();
        TracedField traced;
        std::int64_t macs = 0;
        {
          const MultAddCounter counter;
          if (composite && !mixed && !opaque)
            std::tie(x, traced) = trace_field(run, x);  // branches, skips: the graph says what it reads
          else
            x = run(x);
          macs = counter.count();
        }
        Row row{name, m.name(), x.sizes(), own_parameters(m), macs, std::nullopt};
        if (g) {
          stack.push_back(*g);
          // A dilated transposed layer, or one whose kernel is shorter than its stride: no field.
          opaque = opaque || !receptive_field_defined(stack);
        } else if (composite) {
          const std::optional<LayerGeometry> same =
              traced.kind == TracedField::Kind::Field ? equivalent_layer(traced.field) : std::nullopt;
          if (same) stack.push_back(*same);
          mixed = mixed || traced.kind == TracedField::Kind::Everything;
          opaque = opaque || (!same && traced.kind != TracedField::Kind::Everything);
        }
        mixed = mixed || mixes_positions(m);
        if (!mixed && !opaque) row.rf = stack.empty() ? ReceptiveField{} : receptive_field(stack).back();
        row.opaque = opaque && !mixed;
        rows.push_back(row);
      };
  try {
    visit(model, "", forward);
  } catch (...) {
    model.train(was_training);
    throw;
  }
  model.train(was_training);

  std::ostringstream os;
  char line[256];
  const char* rule =
      "-------------------------------------------------------------------------------------------------";
  std::snprintf(line, sizeof line, "%-22s %-20s %12s %15s %6s %6s %7s\n", "Layer (type)", "Output Shape", "Param #",
                "Mult-Adds", "RF", "Jump", "Start");
  os << rule << '\n' << line << rule << '\n';
  std::int64_t macs = 0, activations = 0;
  for (const Row& r : rows) {
    std::string rf = "-", jump = "-", start = "-";
    if (r.opaque) rf = jump = start = "?";
    if (r.rf) {
      rf = std::to_string(r.rf->size);
      jump = std::to_string(r.rf->jump);
      if (r.rf->jump_divisor > 1) jump += "/" + std::to_string(r.rf->jump_divisor);
      char b[32];
      std::snprintf(b, sizeof b, "%.1f", r.rf->start);
      start = b;
    }
    std::snprintf(line, sizeof line, "%-22s %-20s %12s %15s %6s %6s %7s\n", (r.name + " " + r.type).c_str(),
                  shape_str(r.output).c_str(), with_commas(r.params).c_str(), with_commas(r.macs).c_str(), rf.c_str(),
                  jump.c_str(), start.c_str());
    os << line;
    macs += r.macs;
    std::int64_t n = 1;
    for (const std::int64_t s : r.output) n *= s;
    activations += n * static_cast<std::int64_t>(element_size(dtype));
  }
  std::int64_t trainable = 0;
  for (const Tensor& p : model.parameters()) trainable += p.requires_grad() ? p.numel() : 0;
  os << rule << '\n'
     << "Total params: " << with_commas(own_parameters(model)) << '\n'
     << "Trainable params: " << with_commas(trainable) << '\n'
     << "Total mult-adds: " << with_commas(macs) << '\n';
  std::snprintf(line, sizeof line, "Activation memory (forward): %.2f MB\n", static_cast<double>(activations) / 1e6);
  os << line << "RF, Jump, Start: receptive field, distance between neighbouring units and centre of unit 0, in\n"
     << "input elements along the last spatial axis ('-' once a layer mixes all positions; through a\n"
     << "module with branches or skips, the widest branch; '?' from an op whose effect on positions is\n"
     << "not known, a dilated transposed layer or one whose kernel is shorter than its stride)\n"
     << rule << '\n';
  return os.str();
}

}  // namespace atrous::utils
