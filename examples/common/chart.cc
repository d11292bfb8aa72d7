// SPDX-License-Identifier: Apache-2.0
#include "examples/common/chart.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "examples/common/svg.h"

namespace atrous::examples {
namespace {

constexpr int kMargin = 20, kTitleFont = 15, kPanelFont = 13, kFont = 11;
constexpr int kPanelsTop = kMargin + kTitleFont + 16;  // the title's baseline plus a gap
constexpr int kPlotHeight = 190;
constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

std::string tick_text(const double v, const double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, std::abs(v) < step * 1e-6 ? 0.0 : v);
  return text;
}

std::vector<double> ticks_with_step(const double lo, const double hi, const int target, const double min_step) {
  const double range = hi - lo > 0 ? hi - lo : 1.0;
  const double raw = range / target, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double step = std::max((f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude, min_step);
  const double first = std::floor(lo / step + 1e-9) * step;
  std::vector<double> ticks;
  for (int i = 0; first + i * step <= hi + step * (1 - 1e-9) && i < 100; ++i) {
    ticks.push_back(first + i * step);
    if (ticks.back() >= hi - step * 1e-9) break;
  }
  if (ticks.size() < 2) ticks.push_back(first + step);
  return ticks;
}

struct Series {
  std::string label, colour;
  std::vector<std::pair<double, double>> points;  // (epoch, drawn value), finite only
};

// One panel's geometry and content, measured before anything is drawn.
struct Layout {
  std::vector<Series> series;
  std::vector<double> y_ticks;
  bool legend = false;
  int width = 0, left = 0;  // panel width; plot area's offset from the panel's left edge
};

Layout measure(const ChartPanel& panel, const std::vector<std::string>& columns,
               const std::vector<std::vector<double>>& rows) {
  Layout l;
  double lo = INFINITY, hi = -INFINITY;
  for (std::size_t s = 0; s < panel.columns.size(); ++s) {
    const auto at = std::find(columns.begin(), columns.end(), panel.columns[s]);
    if (at == columns.end()) continue;
    const std::size_t c = static_cast<std::size_t>(at - columns.begin()) + 1;
    Series series{s < panel.labels.size() ? panel.labels[s] : panel.columns[s], kColours[s % 6], {}};
    for (const auto& row : rows) {
      const double v = row[c] * panel.scale;
      if (!std::isfinite(v)) continue;
      series.points.emplace_back(row[0], v);
      lo = std::min(lo, v), hi = std::max(hi, v);
    }
    l.series.push_back(std::move(series));
  }
  if (std::isfinite(panel.reference)) lo = std::min(lo, panel.reference), hi = std::max(hi, panel.reference);
  if (!(lo <= hi)) lo = 0, hi = 1;
  if (panel.from_zero) {
    lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
  } else {
    const double min_span = std::max(0.1 * std::max(std::abs(lo), std::abs(hi)), 1e-9);
    if (hi - lo < min_span) {
      const double mid = (hi + lo) / 2;
      lo = mid - min_span / 2, hi = mid + min_span / 2;
      if (panel.scale == 100 && hi > 100) lo -= hi - 100, hi = 100;  // a percentage stays <= 100
    }
  }
  l.y_ticks = ticks_with_step(lo, hi, 5, 0);
  const double step = l.y_ticks[1] - l.y_ticks[0];
  int tick_width = 0;
  for (const double t : l.y_ticks) tick_width = std::max(tick_width, monospace_width(tick_text(t, step), kFont));
  l.left = 8 + kFont + 6 + tick_width + 6;  // rotated axis title, gap, tick labels, gap
  l.legend = l.series.size() > 1 || std::isfinite(panel.reference);
  int legend_width = 0;
  for (const auto& s : l.series) legend_width += 22 + monospace_width(s.label, kFont) + 14;
  if (std::isfinite(panel.reference)) legend_width += 22 + monospace_width(panel.reference_label, kFont);
  l.width = std::max({panel.width, l.left + legend_width + 10, l.left + monospace_width(panel.title, kPanelFont) + 10});
  return l;
}

}  // namespace

std::vector<double> nice_ticks(const double lo, const double hi, const int target) {
  return ticks_with_step(lo, hi, target, 0);
}

std::vector<ChartPanel> default_panels(const std::vector<std::string>& columns) {
  const auto ends_with = [](const std::string& s, const std::string& end) {
    return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
  };
  ChartPanel loss{.title = "loss", .y_label = "loss"};
  ChartPanel accuracy{
      .title = "test accuracy", .y_label = "accuracy (%)", .scale = 100, .from_zero = false, .width = 300};
  ChartPanel time{.title = "epoch time", .y_label = "seconds", .width = 240};
  std::vector<ChartPanel> panels, others;
  for (const std::string& c : columns) {
    if (ends_with(c, "_loss"))
      loss.columns.push_back(c), loss.labels.push_back(c.substr(0, c.size() - 5));
    else if (ends_with(c, "_acc"))
      accuracy.columns.push_back(c), accuracy.labels.push_back(c.substr(0, c.size() - 4));
    else if (c == "epoch_s")
      time.columns.push_back(c);
    else
      others.push_back({.title = c, .y_label = c, .columns = {c}, .from_zero = false, .width = 300});
  }
  for (ChartPanel* p : {&loss, &accuracy}) {
    if (!p->columns.empty()) panels.push_back(*p);
  }
  panels.insert(panels.end(), others.begin(), others.end());
  if (!time.columns.empty()) panels.push_back(time);
  return panels;
}

std::string metrics_chart_svg(const std::string& title, const std::vector<std::string>& columns,
                              const std::vector<std::vector<double>>& rows, const std::vector<ChartPanel>& panels) {
  std::vector<Layout> layouts;
  int panels_width = 0;
  for (const ChartPanel& p : panels) layouts.push_back(measure(p, columns, rows)), panels_width += layouts.back().width;
  const int width = 2 * kMargin + std::max(panels_width, monospace_width(title, kTitleFont));
  const int plot_top = kPanelsTop + kPanelFont + 8 + kFont + 10;  // panel title, legend row
  const int plot_bottom = plot_top + kPlotHeight;
  const int height = plot_bottom + 2 * kFont + 22 + kMargin;  // tick labels, axis title

  double first = INFINITY, last = -INFINITY;
  for (const auto& row : rows) first = std::min(first, row[0]), last = std::max(last, row[0]);
  if (!(first <= last)) first = 1, last = 1;
  const std::vector<double> x_ticks = ticks_with_step(first, std::max(last, first + 1), 6, 1);

  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"" << kFont << "\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"" << kMargin << "\" y=\"" << kMargin + kTitleFont - 4 << "\" font-size=\"" << kTitleFont
    << "\" font-weight=\"bold\">" << xml_escape(title) << "</text>\n";
  int x0 = kMargin;
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const ChartPanel& panel = panels[i];
    const Layout& l = layouts[i];
    const double left = x0 + l.left, right = x0 + l.width - 12, w = right - left;
    const double y_lo = l.y_ticks.front(), y_hi = l.y_ticks.back(), x_lo = x_ticks.front(), x_hi = x_ticks.back();
    const auto px = [&](const double e) { return left + w * (e - x_lo) / (x_hi - x_lo); };
    const auto py = [&](const double v) { return plot_bottom - kPlotHeight * (v - y_lo) / (y_hi - y_lo); };
    s << "<g>\n<text x=\"" << left << "\" y=\"" << kPanelsTop + kPanelFont << "\" font-size=\"" << kPanelFont
      << "\" font-weight=\"bold\">" << xml_escape(panel.title) << "</text>\n";
    const double y_step = l.y_ticks[1] - l.y_ticks[0];
    for (const double t : l.y_ticks) {
      s << "<line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << py(t) << "\" y2=\"" << py(t)
        << "\" stroke=\"#e4e4e4\"/>\n<text x=\"" << left - 6 << "\" y=\"" << py(t) + 4 << "\" text-anchor=\"end\">"
        << tick_text(t, y_step) << "</text>\n";
    }
    for (const double t : x_ticks) {
      s << "<line x1=\"" << px(t) << "\" x2=\"" << px(t) << "\" y1=\"" << plot_top << "\" y2=\"" << plot_bottom
        << "\" stroke=\"#f0f0f0\"/>\n<text x=\"" << px(t) << "\" y=\"" << plot_bottom + kFont + 6
        << "\" text-anchor=\"middle\">" << tick_text(t, 1) << "</text>\n";
    }
    s << "<rect x=\"" << left << "\" y=\"" << plot_top << "\" width=\"" << w << "\" height=\"" << kPlotHeight
      << "\" fill=\"none\" stroke=\"#555\"/>\n"
      << "<text x=\"" << (left + right) / 2 << "\" y=\"" << plot_bottom + 2 * kFont + 14
      << "\" text-anchor=\"middle\">epoch</text>\n"
      << "<text transform=\"translate(" << x0 + 8 + kFont << "," << (plot_top + plot_bottom) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << xml_escape(panel.y_label) << "</text>\n";
    if (std::isfinite(panel.reference)) {
      s << "<line x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << py(panel.reference) << "\" y2=\""
        << py(panel.reference) << "\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n";
    }
    for (const Series& series : l.series) {
      s << "<polyline fill=\"none\" stroke=\"" << series.colour << "\" stroke-width=\"2\" points=\"";
      for (const auto& [e, v] : series.points) s << px(e) << ',' << py(v) << ' ';
      s << "\"/>\n";
      for (const auto& [e, v] : series.points) {
        s << "<circle cx=\"" << px(e) << "\" cy=\"" << py(v) << "\" r=\"3\" fill=\"" << series.colour << "\"/>\n";
      }
    }
    if (l.legend) {  // a row between the panel title and the plot: it never covers a line
      double lx = left;
      const int ly = kPanelsTop + kPanelFont + 8 + kFont;
      const auto entry = [&](const std::string& label, const std::string& colour, const char* dash) {
        s << "<line x1=\"" << lx << "\" x2=\"" << lx + 16 << "\" y1=\"" << ly - 4 << "\" y2=\"" << ly - 4
          << "\" stroke=\"" << colour << "\" stroke-width=\"2\"" << dash << "/>\n<text x=\"" << lx + 22 << "\" y=\""
          << ly << "\">" << xml_escape(label) << "</text>\n";
        lx += 22 + monospace_width(label, kFont) + 14;
      };
      for (const Series& series : l.series) entry(series.label, series.colour, "");
      if (std::isfinite(panel.reference)) entry(panel.reference_label, "#555", " stroke-dasharray=\"6 4\"");
    }
    s << "</g>\n";
    x0 += l.width;
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace atrous::examples
