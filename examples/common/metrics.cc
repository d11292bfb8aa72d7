// SPDX-License-Identifier: Apache-2.0
#include "examples/common/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "atrous/tensor/error.h"
#include "atrous/tensor/io/safetensors.h"

namespace atrous::examples {
namespace {

std::string format_number(const double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::vector<std::string> split(const std::string& line, const char sep) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string cell; std::getline(ss, cell, sep);) out.push_back(cell);
  return out;
}

}  // namespace

MetricsLog::MetricsLog(std::string csv_path, std::vector<std::string> columns, const bool resume,
                       const int resume_epoch)
    : csv_path_(std::move(csv_path)),
      columns_(std::move(columns)),
      chart_title_(csv_path_),
      panels_(default_panels(columns_)) {
  if (!resume) return;
  std::ifstream in(csv_path_);
  std::string line;
  if (!std::getline(in, line)) return;  // no earlier metrics: start a fresh table
  std::vector<std::string> header{"epoch"};
  header.insert(header.end(), columns_.begin(), columns_.end());
  check_state(split(line, ',') == header, "MetricsLog", "'", csv_path_, "' has columns '", line,
              "', not those of this run");
  while (std::getline(in, line)) {
    std::vector<double> row;
    for (const std::string& cell : split(line, ',')) row.push_back(std::stod(cell));
    check_state(row.size() == header.size(), "MetricsLog", "'", csv_path_, "' has a row with ", row.size(),
                " values, expected ", header.size());
    if (row[0] <= resume_epoch) rows_.push_back(std::move(row));
  }
}

void MetricsLog::set_chart(std::string title, std::vector<ChartPanel> panels) {
  chart_title_ = std::move(title);
  panels_ = std::move(panels);
}

std::string MetricsLog::chart_svg() const { return metrics_chart_svg(chart_title_, columns_, rows_, panels_); }

void MetricsLog::append(const int epoch, const std::vector<double>& values) {
  check_arg(values.size() == columns_.size(), "MetricsLog::append", "got ", values.size(), " values for ",
            columns_.size(), " columns");
  std::vector<double> row{static_cast<double>(epoch)};
  row.insert(row.end(), values.begin(), values.end());
  rows_.push_back(std::move(row));
  write();
}

void MetricsLog::write() const {
  std::ostringstream csv;
  csv << "epoch";
  for (const std::string& c : columns_) csv << ',' << c;
  csv << '\n';
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) csv << (i ? "," : "") << format_number(row[i]);
    csv << '\n';
  }
  write_file_atomically(csv_path_, csv.str());
  std::string svg_path = csv_path_;
  const std::size_t dot = svg_path.rfind(".csv");
  svg_path = (dot == std::string::npos ? svg_path : svg_path.substr(0, dot)) + ".svg";
  write_file_atomically(svg_path, chart_svg());
}

}  // namespace atrous::examples
