// SPDX-License-Identifier: Apache-2.0
// Range checks for the examples' flags. CLI11's PositiveNumber and NonNegativeNumber print their
// range with DOUBLE_MAX written out in 309 digits; these say plainly what is wrong.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace atrous::examples {

inline CLI::Validator at_least_zero(const bool strictly) {
  return {[strictly](std::string& text) -> std::string {
            std::size_t used = 0;
            double v = 0;
            try {
              v = std::stod(text, &used);
            } catch (const std::exception&) {
              used = 0;
            }
            if (used != text.size() || used == 0) return "'" + text + "' is not a number";
            if (strictly ? v > 0 : v >= 0) return {};
            return std::string("must be ") + (strictly ? "> 0" : ">= 0") + ", got " + text;
          },
          strictly ? "POSITIVE" : "NON-NEGATIVE"};
}

inline const CLI::Validator kPositive = at_least_zero(true);
inline const CLI::Validator kNonNegative = at_least_zero(false);

}  // namespace atrous::examples
