// SPDX-License-Identifier: Apache-2.0
// What every SVG the examples write needs: escaped text, and the width text takes in a monospace
// font, so a picture can size its canvas and place captions that never overlap or clip.
#pragma once

#include <string>

namespace atrous::examples {

// `text` with <, > and & escaped for SVG and HTML.
std::string xml_escape(const std::string& text);

// Pixels `text` takes at `font_size` in a monospace font: 0.6 em a glyph (DejaVu Sans Mono's is
// 0.602), counted as 0.62 to leave room for another monospace font.
int monospace_width(const std::string& text, int font_size);

}  // namespace atrous::examples
