// SPDX-License-Identifier: Apache-2.0
// The convolution picture as terminal text, no line wider than 80 columns.
#pragma once

#include "examples/playground/conv_view.h"

#include <string>

namespace playground {

std::string render_conv_text(const ConvParams& p, const ConvView& v);

// The chosen output cell as the chapter writes it: "7 + 9 + 13 + 17 + 19 = 65" (a weight other
// than 1 shows as "w*x", zero weights are left out), shortened with "..." to `width` columns.
std::string cell_sum(const ConvParams& p, const ConvView& v, std::size_t width);

}  // namespace playground
