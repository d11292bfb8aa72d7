// SPDX-License-Identifier: Apache-2.0
#include "examples/playground/conv_svg.h"

#include "examples/common/svg.h"
#include "examples/playground/conv_screen.h"

#include <algorithm>
#include <functional>
#include <sstream>
#include <vector>

namespace playground {

using atrous::Tensor;
using atrous::examples::monospace_width;
using atrous::examples::xml_escape;

namespace {

constexpr int kMargin = 20, kGap = 40, kTitleFont = 14, kFont = 12;
struct Cell {
  Cell(std::string t, std::string f, std::string s = "#555", std::string d = "")
      : text(std::move(t)), fill(std::move(f)), stroke(std::move(s)), dash(std::move(d)) {}
  std::string text, fill, stroke, dash;  // dash: a stroke-dasharray, or none
};

// One grid with its caption under it.
struct Panel {
  std::int64_t rows = 0, cols = 0;
  std::vector<Cell> cells;
  std::string caption;
  int cell = 0;
  int width() const { return std::max(static_cast<int>(cols) * cell, monospace_width(caption, kFont)); }
  int height() const { return static_cast<int>(rows) * cell; }
};

constexpr const char* kTap = "#ff9f40";
constexpr const char* kPadTap = "#ffe0b8";
constexpr const char* kPad = "#dddddd";

}  // namespace

std::string render_conv_svg(const ConvParams& p, const ConvView& v) {
  const std::int64_t ip = v.padded.size(0), ek = atrous::effective_kernel_size(p.kernel_size, p.dilation);
  const std::int64_t largest = std::max({ip, ek, v.out});
  const int cell = static_cast<int>(std::clamp<std::int64_t>(640 / largest, 14, 34));

  Panel input{ip, ip, {}, "", cell};
  for (std::int64_t r = 0; r < ip; ++r) {
    for (std::int64_t c = 0; c < ip; ++c) {
      const bool tap = tap_of(p, v, r, c).first >= 0, pad = is_pad(p, v, r, c);
      Cell x{format_value(value_at(v.padded, r, c)), tap ? (pad ? kPadTap : kTap) : pad ? kPad : "#ffffff"};
      if (tap && pad) x.stroke = kTap, x.dash = "4 2";
      input.cells.push_back(x);
    }
  }
  input.caption = p.transposed ? "input " + std::to_string(ip) + "x" + std::to_string(ip)
                               : "padded input " + std::to_string(ip) + "x" + std::to_string(ip);
  Panel kernel{
      ek, ek, {}, "weights on the " + std::to_string(ek) + "x" + std::to_string(ek) + " effective kernel", cell};
  for (std::int64_t r = 0; r < ek; ++r) {
    for (std::int64_t c = 0; c < ek; ++c) {
      const bool tap = r % p.dilation == 0 && c % p.dilation == 0;
      kernel.cells.push_back(tap ? Cell{format_value(value_at(v.weights, r / p.dilation, c / p.dilation)), "#fff3c4"}
                                 : Cell{"", "#f4f4f4", "#bbb"});
    }
  }
  Panel output{
      v.out, v.out, {}, "output " + std::to_string(v.out) + "x" + std::to_string(v.out) + ", " + step_text(p, v), cell};
  for (std::int64_t r = 0; r < v.out; ++r) {
    for (std::int64_t c = 0; c < v.out; ++c) {
      output.cells.push_back({format_value(value_at(v.output, r, c)), r == p.row && c == p.col ? kTap : "#e8f0ff"});
    }
  }
  const std::vector<const Panel*> panels{&input, &kernel, &output};

  const std::string title = parameters(p, &v), formula = "output size: " + v.formula,
                    sum =
                        "output[" + std::to_string(p.row) + "][" + std::to_string(p.col) + "] = " + cell_sum(p, v, 200);
  int panels_width = -kGap, tallest = 0;
  for (const Panel* panel : panels) panels_width += panel->width() + kGap, tallest = std::max(tallest, panel->height());
  const std::vector<std::pair<std::string, const char*>> legend{
      {"tap", kTap}, {"padding", kPad}, {"tap on padding", kPadTap}, {"hole (dilation)", "#f4f4f4"}};
  int legend_width = 0;
  for (const auto& [label, fill] : legend) legend_width += 18 + monospace_width(label, kFont) + 16;
  const int width =
      2 * kMargin + std::max({panels_width, monospace_width(title, kTitleFont), monospace_width(formula, kTitleFont),
                              monospace_width(sum, kFont), legend_width});
  const int top = kMargin + 3 * (kTitleFont + 8) + 6;  // title, formula and sum lines
  const int caption_y = top + tallest + kFont + 8, legend_y = caption_y + 16;
  const int height = legend_y + 14 + kMargin;

  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" font-family=\"monospace\" font-size=\"" << kFont << "\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  int y = kMargin + kTitleFont;
  for (const auto& [text, font] :
       std::vector<std::pair<std::string, int>>{{title, kTitleFont}, {formula, kTitleFont}, {sum, kFont}}) {
    s << "<text x=\"" << kMargin << "\" y=\"" << y << "\" font-size=\"" << font << "\">" << xml_escape(text)
      << "</text>\n";
    y += kTitleFont + 8;
  }
  int x0 = kMargin;
  for (const Panel* panel : panels) {
    const int left = x0 + (panel->width() - static_cast<int>(panel->cols) * panel->cell) / 2;
    for (std::int64_t r = 0; r < panel->rows; ++r) {
      for (std::int64_t c = 0; c < panel->cols; ++c) {
        const Cell& k = panel->cells[static_cast<std::size_t>(r * panel->cols + c)];
        const int x = left + static_cast<int>(c) * panel->cell, cy = top + static_cast<int>(r) * panel->cell;
        s << "<rect x=\"" << x << "\" y=\"" << cy << "\" width=\"" << panel->cell << "\" height=\"" << panel->cell
          << "\" fill=\"" << k.fill << "\" stroke=\"" << k.stroke << "\""
          << (k.dash.empty() ? "" : " stroke-dasharray=\"" + k.dash + "\" stroke-width=\"2\"") << "/>\n";
        if (!k.text.empty()) {
          const int font = std::min(kFont, panel->cell * 2 / std::max<int>(3, static_cast<int>(k.text.size()) + 1));
          s << "<text x=\"" << x + panel->cell / 2 << "\" y=\"" << cy + panel->cell / 2 + font / 3
            << "\" text-anchor=\"middle\" font-size=\"" << font << "\">" << k.text << "</text>\n";
        }
      }
    }
    s << "<text x=\"" << x0 + panel->width() / 2 << "\" y=\"" << caption_y << "\" text-anchor=\"middle\">"
      << xml_escape(panel->caption) << "</text>\n";
    x0 += panel->width() + kGap;
  }
  int lx = kMargin;
  for (const auto& [label, fill] : legend) {
    s << "<rect x=\"" << lx << "\" y=\"" << legend_y << "\" width=\"14\" height=\"14\" fill=\"" << fill
      << "\" stroke=\"#555\"/>\n<text x=\"" << lx + 18 << "\" y=\"" << legend_y + 11 << "\">" << label << "</text>\n";
    lx += 18 + monospace_width(label, kFont) + 16;
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace playground
