// SPDX-License-Identifier: Apache-2.0
// Per-epoch metrics of a training run: a CSV table (metrics.csv) and its charts (metrics.svg,
// see chart.h), both rewritten after each epoch so a run that is stopped or resumed leaves a
// complete record.
#pragma once

#include <string>
#include <vector>

#include "examples/common/chart.h"

namespace atrous::examples {

class MetricsLog {
 public:
  // `columns` excludes the leading "epoch" column. With `resume`, rows already in `csv_path`
  // (written by an earlier run with the same columns) are kept up to `resume_epoch`.
  MetricsLog(std::string csv_path, std::vector<std::string> columns, bool resume = false, int resume_epoch = 0);

  // The chart's title (the run's name) and panels; by default the CSV's path and
  // default_panels(columns).
  void set_chart(std::string title, std::vector<ChartPanel> panels);

  // Records one epoch (1-based) and rewrites the CSV and the chart beside it (.svg).
  void append(int epoch, const std::vector<double>& values);

  const std::vector<std::vector<double>>& rows() const noexcept { return rows_; }

  // The chart of the rows so far, as written to metrics.svg.
  std::string chart_svg() const;

 private:
  void write() const;

  std::string csv_path_;
  std::vector<std::string> columns_;
  std::vector<std::vector<double>> rows_;  // epoch first
  std::string chart_title_;
  std::vector<ChartPanel> panels_;
};

}  // namespace atrous::examples
