// SPDX-License-Identifier: Apache-2.0
// Line charts of a training run's per-epoch metrics as SVG: panels with axes, ticks at round
// numbers, gridlines, axis titles with units, a legend per panel, an optional reference line, and
// a title that never touches the panels. Loss and time axes start at 0, so a small change looks
// small; other axes span at least a tenth of their values. Canvas, margins and legends are sized
// from the text they hold, so no label is clipped.
#pragma once

#include <cmath>
#include <string>
#include <vector>

namespace atrous::examples {

struct ChartPanel {
  // Every member has a default, so a panel is written with designated initializers.
  std::string title{};                 // "loss"
  std::string y_label{};               // "cross-entropy (nats)"
  std::vector<std::string> columns{};  // metrics columns drawn in this panel
  std::vector<std::string> labels{};   // their legend entries (the column names when empty)
  double scale = 1;                    // a value is drawn as value * scale (100: a fraction as %)
  bool from_zero = true;               // the y axis starts at 0
  double reference = NAN;              // a dashed horizontal line, in drawn units, when finite
  std::string reference_label{};
  int width = 380;  // of the whole panel, axes and labels included
};

// Panels for metrics named as the examples name them: every *_loss column in one "loss" panel,
// *_acc columns as accuracy in %, epoch_s in a small time panel, any other column in its own.
std::vector<ChartPanel> default_panels(const std::vector<std::string>& columns);

// The chart of `rows` (each: epoch, then one value per column) under `title`.
std::string metrics_chart_svg(const std::string& title, const std::vector<std::string>& columns,
                              const std::vector<std::vector<double>>& rows, const std::vector<ChartPanel>& panels);

// Round tick values covering [lo, hi]: about `target` steps of 1, 2 or 5 times a power of ten.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

}  // namespace atrous::examples
