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

std::string xml_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

}  // namespace

MetricsLog::MetricsLog(std::string csv_path, std::vector<std::string> columns, const bool resume,
                       const int resume_epoch)
    : csv_path_(std::move(csv_path)), columns_(std::move(columns)) {
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
  write_file_atomically(svg_path, metrics_svg(csv_path_, columns_, rows_));
}

std::string metrics_svg(const std::string& title, const std::vector<std::string>& columns,
                        const std::vector<std::vector<double>>& rows) {
  constexpr double kPanelW = 320, kPanelH = 200, kMargin = 44;
  const double width = kPanelW * static_cast<double>(std::max<std::size_t>(columns.size(), 1));
  const double height = kPanelH + 30;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"8\" y=\"16\" font-size=\"13\">" << xml_escape(title) << "</text>\n";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const double x0 = kPanelW * static_cast<double>(c) + kMargin, y0 = 30, w = kPanelW - kMargin - 12, h = kPanelH - 40;
    double lo = INFINITY, hi = -INFINITY, emax = 1;
    for (const auto& r : rows) {
      if (std::isfinite(r[c + 1])) lo = std::min(lo, r[c + 1]), hi = std::max(hi, r[c + 1]);
      emax = std::max(emax, r[0]);
    }
    if (!(lo <= hi)) lo = 0, hi = 1;
    if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
    const auto px = [&](const double e) { return x0 + w * (e - 1) / std::max(emax - 1, 1.0); };
    const auto py = [&](const double v) { return y0 + h * (hi - v) / (hi - lo); };
    s << "<g>\n<text x=\"" << x0 << "\" y=\"" << y0 - 4 << "\">" << xml_escape(columns[c]) << "</text>\n"
      << "<rect x=\"" << x0 << "\" y=\"" << y0 << "\" width=\"" << w << "\" height=\"" << h
      << "\" fill=\"none\" stroke=\"#888\"/>\n"
      << "<text x=\"" << x0 - 4 << "\" y=\"" << y0 + 10 << "\" text-anchor=\"end\">" << format_number(hi) << "</text>\n"
      << "<text x=\"" << x0 - 4 << "\" y=\"" << y0 + h << "\" text-anchor=\"end\">" << format_number(lo) << "</text>\n"
      << "<text x=\"" << x0 + w / 2 << "\" y=\"" << y0 + h + 16 << "\" text-anchor=\"middle\">epoch 1–"
      << format_number(emax) << "</text>\n<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"";
    for (const auto& r : rows) {
      if (std::isfinite(r[c + 1])) s << px(r[0]) << ',' << py(r[c + 1]) << ' ';
    }
    s << "\"/>\n";
    for (const auto& r : rows) {
      if (std::isfinite(r[c + 1]))
        s << "<circle cx=\"" << px(r[0]) << "\" cy=\"" << py(r[c + 1]) << "\" r=\"3\" fill=\"#1f77b4\"/>\n";
    }
    s << "</g>\n";
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace atrous::examples
