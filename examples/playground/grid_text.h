// SPDX-License-Identifier: Apache-2.0
// Grids of numbers as terminal text that never wraps at 80 columns: when a grid is wider (or
// taller) than fits, a window around the cell of interest is shown and the hidden rows and
// columns are counted at its edges, so the view scrolls as that cell moves.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace playground {

struct GridText {
  std::vector<std::string> cells;  // row-major, already decorated ("[13]", "(0)", ...)
  std::int64_t rows = 0, cols = 0;
  std::int64_t focus_row = 0, focus_col = 0;  // kept inside the window
};

// The grid's lines, each prefixed by `indent` and at most `width` columns wide, showing at most
// `max_rows` rows.
std::string render_grid(const GridText& grid, const std::string& indent = "  ", std::size_t width = 80,
                        std::int64_t max_rows = 16);

}  // namespace playground
