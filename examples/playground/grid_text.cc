// SPDX-License-Identifier: Apache-2.0
#include "examples/playground/grid_text.h"

#include <algorithm>

namespace playground {

namespace {

// Where a window of `shown` out of `total` elements that contains `focus` starts, centred on it
// where it can be.
std::int64_t window_start(const std::int64_t total, const std::int64_t shown, const std::int64_t focus) {
  if (shown >= total) return 0;
  return std::clamp<std::int64_t>(focus - shown / 2, 0, total - shown);
}

}  // namespace

std::string render_grid(const GridText& grid, const std::string& indent, const std::size_t width,
                        const std::int64_t max_rows) {
  std::size_t cell = 1;
  for (const auto& c : grid.cells) cell = std::max(cell, c.size());
  ++cell;  // one space between cells
  // Room for the indent and the "+N" counts of hidden columns on either side.
  const std::size_t room = width > indent.size() + 10 ? width - indent.size() - 10 : cell;
  const std::int64_t shown_cols = std::min<std::int64_t>(grid.cols, std::max<std::int64_t>(1, room / cell));
  const std::int64_t shown_rows = std::min<std::int64_t>(grid.rows, max_rows);
  const std::int64_t c0 = window_start(grid.cols, shown_cols, grid.focus_col);
  const std::int64_t r0 = window_start(grid.rows, shown_rows, grid.focus_row);
  const auto hidden = [](const std::int64_t n, const char* what) {
    return n > 0 ? std::to_string(n) + " more " + what : std::string();
  };
  std::string out;
  if (r0 > 0) out += indent + "(" + hidden(r0, r0 == 1 ? "row" : "rows") + " above)\n";
  for (std::int64_t r = r0; r < r0 + shown_rows; ++r) {
    std::string line = indent + (c0 > 0 ? "+" + std::to_string(c0) + " <" : "");
    for (std::int64_t c = c0; c < c0 + shown_cols; ++c) {
      const std::string& text = grid.cells[static_cast<std::size_t>(r * grid.cols + c)];
      line += std::string(cell - text.size(), ' ') + text;
    }
    const std::int64_t right = grid.cols - c0 - shown_cols;
    if (right > 0) line += " > +" + std::to_string(right);
    out += line + '\n';
  }
  const std::int64_t below = grid.rows - r0 - shown_rows;
  if (below > 0) out += indent + "(" + hidden(below, below == 1 ? "row" : "rows") + " below)\n";
  return out;
}

}  // namespace playground
