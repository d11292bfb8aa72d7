// SPDX-License-Identifier: Apache-2.0
#include "examples/common/svg.h"

namespace atrous::examples {

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

int monospace_width(const std::string& text, const int font_size) {
  return static_cast<int>(text.size()) * font_size * 62 / 100 + 1;
}

}  // namespace atrous::examples
