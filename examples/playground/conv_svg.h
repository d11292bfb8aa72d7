// SPDX-License-Identifier: Apache-2.0
// The convolution picture as an SVG: the (padded) input with the output cell's taps, the weights
// on the effective kernel, the output, a caption under each and a legend. The canvas is sized to
// its content: text is monospace, so its width is known, and every panel is at least as wide as
// its caption.
#pragma once

#include "examples/playground/conv_view.h"

#include <string>

namespace playground {

std::string render_conv_svg(const ConvParams& p, const ConvView& v);

}  // namespace playground
