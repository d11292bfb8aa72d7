// SPDX-License-Identifier: Apache-2.0
// Per-epoch metrics of a training run: a CSV table (metrics.csv) and an SVG line chart of every
// column against the epoch (metrics.svg), both rewritten after each epoch so a run that is
// stopped or resumed leaves a complete record.
#pragma once

#include <string>
#include <vector>

namespace atrous::examples {

class MetricsLog {
 public:
  // `columns` excludes the leading "epoch" column. With `resume`, rows already in `csv_path`
  // (written by an earlier run with the same columns) are kept up to `resume_epoch`.
  MetricsLog(std::string csv_path, std::vector<std::string> columns, bool resume = false, int resume_epoch = 0);

  // Records one epoch (1-based) and rewrites the CSV and the chart beside it (.svg).
  void append(int epoch, const std::vector<double>& values);

  const std::vector<std::vector<double>>& rows() const noexcept { return rows_; }

 private:
  void write() const;

  std::string csv_path_;
  std::vector<std::string> columns_;
  std::vector<std::vector<double>> rows_;  // epoch first
};

// An SVG chart of `rows` (x = first value) with one small panel per column, for metrics.svg.
std::string metrics_svg(const std::string& title, const std::vector<std::string>& columns,
                        const std::vector<std::vector<double>>& rows);

}  // namespace atrous::examples
