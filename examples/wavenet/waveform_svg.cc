// SPDX-License-Identifier: Apache-2.0
#include "examples/wavenet/waveform_svg.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "examples/common/chart.h"
#include "examples/common/svg.h"

namespace atrous::examples {
namespace {

constexpr int kMargin = 20, kLeft = 56, kPlotW = 860, kPlotH = 130, kPanelH = kPlotH + 70, kFont = 11;

// One panel at `top`: the samples' envelope (min and max per pixel column), or the line itself
// when there are fewer samples than columns.
void panel(std::ostringstream& s, const int top, const std::string& title, const std::vector<float>& x,
           const std::size_t axis, const int sample_rate) {
  const std::size_t n = std::min(x.size(), axis);
  const double x0 = kMargin + kLeft, y_mid = top + 24 + kPlotH / 2.0;
  const auto py = [&](const double v) { return y_mid - std::clamp(v, -1.0, 1.0) * kPlotH / 2.0; };
  s << "<text x=\"" << x0 << "\" y=\"" << top + 14 << "\" font-size=\"13\" font-weight=\"bold\">" << xml_escape(title)
    << "</text>\n<rect x=\"" << x0 << "\" y=\"" << top + 24 << "\" width=\"" << kPlotW << "\" height=\"" << kPlotH
    << "\" fill=\"none\" stroke=\"#555\"/>\n";
  for (const double v : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
    s << "<line x1=\"" << x0 << "\" x2=\"" << x0 + kPlotW << "\" y1=\"" << py(v) << "\" y2=\"" << py(v)
      << "\" stroke=\"#e4e4e4\"/>\n<text x=\"" << x0 - 6 << "\" y=\"" << py(v) + 4 << "\" text-anchor=\"end\">" << v
      << "</text>\n";
  }
  const double ms = 1000.0 * static_cast<double>(std::max<std::size_t>(axis, 1)) / sample_rate;
  for (const double t : nice_ticks(0, ms, 8)) {
    if (t > ms + 1e-9) break;
    const double px = x0 + kPlotW * t / ms;
    char label[32];
    std::snprintf(label, sizeof label, "%g", t);
    s << "<text x=\"" << px << "\" y=\"" << top + 24 + kPlotH + kFont + 6 << "\" text-anchor=\"middle\">" << label
      << "</text>\n";
  }
  s << "<text x=\"" << x0 + kPlotW / 2 << "\" y=\"" << top + 24 + kPlotH + 2 * kFont + 14
    << "\" text-anchor=\"middle\">time (ms)</text>\n<text transform=\"translate(" << kMargin + kFont << "," << y_mid
    << ") rotate(-90)\" text-anchor=\"middle\">amplitude</text>\n";
  if (n == 0) return;
  s << "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1\" points=\"";
  if (axis <= static_cast<std::size_t>(kPlotW)) {
    for (std::size_t i = 0; i < n; ++i) {
      s << x0 + kPlotW * static_cast<double>(i) / static_cast<double>(axis) << ',' << py(x[i]) << ' ';
    }
  } else {
    for (int c = 0; c < kPlotW; ++c) {
      const std::size_t a = axis * static_cast<std::size_t>(c) / kPlotW;
      if (a >= n) break;
      const std::size_t b = std::clamp<std::size_t>(axis * static_cast<std::size_t>(c + 1) / kPlotW, a + 1, n);
      const auto [lo, hi] =
          std::minmax_element(x.begin() + static_cast<std::ptrdiff_t>(a), x.begin() + static_cast<std::ptrdiff_t>(b));
      s << x0 + c << ',' << py(*lo) << ' ' << x0 + c << ',' << py(*hi) << ' ';
    }
  }
  s << "\"/>\n";
}

}  // namespace

std::string waveforms_svg(const std::vector<float>& training, const std::vector<float>& generated,
                          const int sample_rate, const std::size_t shown) {
  const int width = 2 * kMargin + kLeft + kPlotW + 10, height = 2 * kMargin + 2 * kPanelH;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"" << kFont << "\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  // Both panels on one time axis, as long as the longer of the two (at most `shown`).
  const std::size_t axis = std::min(shown, std::max(training.size(), generated.size()));
  panel(s, kMargin, "training signal (the first " + std::to_string(std::min(training.size(), axis)) + " samples)",
        training, axis, sample_rate);
  panel(s, kMargin + kPanelH, "generated (" + std::to_string(std::min(generated.size(), axis)) + " samples)", generated,
        axis, sample_rate);
  s << "</svg>\n";
  return s.str();
}

}  // namespace atrous::examples
