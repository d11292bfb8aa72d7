// SPDX-License-Identifier: Apache-2.0
#include "examples/playground/rf_view.h"

#include "examples/playground/grid_text.h"

#include <atrous/atrous.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace playground {

namespace {

std::pair<std::int64_t, std::int64_t> padding(const RfLayer& l) {
  const std::int64_t span = l.dilation * (l.kernel - 1);
  return l.causal ? std::pair{span, std::int64_t{0}} : std::pair{span / 2, span / 2};
}

std::string layer_name(const RfLayer& l, const int dims) {
  const std::string k = std::to_string(l.kernel);
  std::string s = (l.pool ? "pool " : "conv ") + (dims == 2 ? k + "x" + k : "k" + k);
  if (l.stride > 1) s += "/" + std::to_string(l.stride);
  if (l.dilation > 1) s += " d" + std::to_string(l.dilation);
  return s + (l.causal ? " causal" : "");
}

std::string percent(const double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * share);
  return text;
}

// One layer's numbers after it: output side and the field.
struct Row {
  std::int64_t out = 0;
  atrous::ReceptiveField rf;
};

std::vector<Row> rows_of(const RfParams& p) {
  std::vector<atrous::LayerGeometry> geometry;
  for (const auto& l : p.layers) geometry.push_back({l.kernel, l.stride, l.dilation, padding(l).first, false});
  const auto fields = atrous::receptive_field(geometry);
  std::vector<Row> rows{{p.input, {}}};
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    const auto [before, after] = padding(p.layers[i]);
    const std::int64_t in = rows.back().out;
    const std::int64_t out = in > 0 ? atrous::conv_output_size(in, p.layers[i].kernel, before, after,
                                                               p.layers[i].stride, p.layers[i].dilation)
                                    : 0;
    rows.push_back({std::max<std::int64_t>(out, 0), fields[i]});
  }
  return rows;
}

double coverage(const RfParams& p, const std::int64_t rf) {
  const double side = static_cast<double>(std::min(rf, p.input)) / static_cast<double>(p.input);
  return p.dims == 2 ? side * side : side;
}

// The input cells [lo, hi] one unit's field spans along an axis (may reach into the padding).
std::pair<std::int64_t, std::int64_t> span(const atrous::ReceptiveField& f, const std::int64_t unit) {
  const double centre = f.start + static_cast<double>(unit * f.jump);
  const double half = static_cast<double>(f.size - 1) / 2.0;
  return {std::llround(centre - half), std::llround(centre + half)};
}

}  // namespace

const char* rf_preset_name(const int key) {
  static const char* kNames[] = {"vgg", "quick", "wavenet", "resnet-stem"};
  return key >= 1 && key <= 4 ? kNames[key - 1] : "";
}

RfParams rf_preset(const std::string& name) {
  RfParams p;
  p.preset = name;
  const RfLayer conv3{false, false, 3, 1, 1};
  if (name == "vgg") {
    p.layers = {conv3, conv3, conv3};
  } else if (name == "quick") {
    p.input = 16;
    p.layers = {conv3, conv3, {true, false, 2, 2, 1}, conv3, conv3};
  } else if (name == "wavenet") {
    p.input = 1024, p.dims = 1;
    for (std::int64_t d = 1; d <= 512; d *= 2) p.layers.push_back({false, true, 2, 1, d});
  } else if (name == "resnet-stem") {
    p.input = 224;
    p.layers = {{false, false, 7, 2, 1}, {true, false, 3, 2, 1}};
  } else {
    throw std::invalid_argument("playground: --rf must be vgg, quick, wavenet or resnet-stem, got '" + name + "'");
  }
  p.selected = p.layers.size();
  return p;
}

void check(const RfParams& p) {
  atrous::check_arg(p.input > 0 && p.input <= 4096, "playground",
                    "the receptive-field input must be in [1, 4096], got ", p.input);
  for (const auto& l : p.layers) {
    atrous::check_arg(l.kernel > 0 && l.stride > 0 && l.dilation > 0, "playground",
                      "a layer's kernel, stride and dilation must be positive, got ", layer_name(l, p.dims));
  }
}

std::string render_rf_text(RfParams& p) {
  p.selected = std::min(p.selected, p.layers.size());
  const std::vector<Row> rows = rows_of(p);
  const Row& chosen = rows[p.selected];
  const std::int64_t units = std::max<std::int64_t>(chosen.out, 1);
  // A unit in the middle by default, as the chapter's widget shows: its field is all input.
  if (p.unit_row < 0) p.unit_row = units / 2;
  if (p.unit_col < 0) p.unit_col = units / 2;
  p.unit_row = p.dims == 2 ? std::clamp<std::int64_t>(p.unit_row, 0, units - 1) : 0;
  p.unit_col = std::clamp<std::int64_t>(p.unit_col, 0, units - 1);

  std::ostringstream s;
  const std::string side =
      p.dims == 2 ? std::to_string(p.input) + "x" + std::to_string(p.input) : std::to_string(p.input) + "-sample";
  s << "receptive field (preset " << p.preset << "): " << p.layers.size() << " layer"
    << (p.layers.size() == 1 ? "" : "s") << " on a " << side << " input\n"
    << "  field r_l = r_l-1 + (k_l-1)*d_l*j_l-1    jump j_l = j_l-1*s_l (r_0 = j_0 = 1)\n"
    << "  start c_l = c_l-1 + (d_l*(k_l-1)/2 - p_l)*j_l-1 (centre of unit 0; c_0 = 0)\n\n";
  char line[128];
  std::snprintf(line, sizeof line, "  %-3s %-20s %5s %6s %6s %5s %7s %9s\n", "", "layer", "pad", "out", "RF", "jump",
                "start", "coverage");
  s << line;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    std::string pad = "-";
    if (i > 0) {
      const auto [before, after] = padding(p.layers[i - 1]);
      pad = std::to_string(before) + "," + std::to_string(after);
    }
    std::snprintf(line, sizeof line, "%s %-3s %-20s %5s %6lld %6lld %5lld %7.1f %9s\n", i == p.selected ? ">" : " ",
                  i == 0 ? "" : std::to_string(i).c_str(),
                  i == 0 ? "input" : layer_name(p.layers[i - 1], p.dims).c_str(), pad.c_str(),
                  static_cast<long long>(r.out), static_cast<long long>(r.rf.size), static_cast<long long>(r.rf.jump),
                  r.rf.start, percent(coverage(p, r.rf.size)).c_str());
    s << line;
  }

  if (chosen.out <= 0) {
    s << "\nlayer " << p.selected << "'s output is empty: its kernel no longer fits the map\n";
    return s.str();
  }
  // The region the chosen unit sees, clipped to the input, drawn at most 64 (1-D) or 16 (2-D)
  // cells wide: each drawn cell stands for `scale` input cells.
  const auto [c_lo, c_hi] = span(chosen.rf, p.unit_col);
  const auto [r_lo, r_hi] = p.dims == 2 ? span(chosen.rf, p.unit_row) : std::pair<std::int64_t, std::int64_t>{0, 0};
  const auto clip = [&](const std::int64_t v) { return std::clamp<std::int64_t>(v, 0, p.input - 1); };
  const std::int64_t seen_cols = clip(c_hi) - clip(c_lo) + 1, seen_rows = p.dims == 2 ? clip(r_hi) - clip(r_lo) + 1 : 1;
  const double seen =
      static_cast<double>(seen_cols * seen_rows) / static_cast<double>(p.dims == 2 ? p.input * p.input : p.input);
  s << "\nunit " << (p.dims == 2 ? "(" + std::to_string(p.unit_row) + ", " : "(") << p.unit_col << ") of "
    << (p.selected == 0 ? std::string("the input") : "layer " + std::to_string(p.selected)) << " sees input "
    << (p.dims == 2 ? "rows " + std::to_string(r_lo) + ".." + std::to_string(r_hi) + ", cols " : "") << c_lo << ".."
    << c_hi << "\n  covering " << percent(seen) << " of the input"
    << (c_lo < 0 || c_hi >= p.input || r_lo < 0 || r_hi >= p.input ? "; the rest of its field is padding" : "") << "\n";

  const std::int64_t max_side = p.dims == 2 ? 16 : 64;
  const std::int64_t scale = (p.input + max_side - 1) / max_side, drawn = (p.input + scale - 1) / scale;
  const auto inside = [&](const std::int64_t cell, const std::int64_t lo, const std::int64_t hi) {
    return cell * scale <= hi && (cell + 1) * scale - 1 >= lo;  // the drawn cell overlaps [lo, hi]
  };
  GridText grid{{}, p.dims == 2 ? drawn : 1, drawn, 0, 0};
  for (std::int64_t r = 0; r < grid.rows; ++r) {
    for (std::int64_t c = 0; c < drawn; ++c) {
      const bool in = inside(c, c_lo, c_hi) && (p.dims == 1 || inside(r, r_lo, r_hi));
      grid.cells.push_back(in ? "#" : ".");
    }
  }
  s << "input"
    << (scale > 1
            ? " (one mark per " + std::to_string(scale) + (p.dims == 2 ? "x" + std::to_string(scale) : "") + " cells)"
            : "")
    << ", # = seen:\n";
  if (p.dims == 1) {
    std::string strip = "  ";
    for (const auto& c : grid.cells) strip += c;
    s << strip << '\n';
  } else {
    s << render_grid(grid, "  ", 80, 24);
  }
  return s.str();
}

}  // namespace playground
