// SPDX-License-Identifier: Apache-2.0
// The playground's receptive-field mode, the chapter's "Receptive Field Growth" widget: a stack
// of convolution and pooling layers (kernel, stride, dilation; 'half' padding d*(k-1)/2 on each
// side, or causal padding on the left), each layer's output size, receptive field, jump and start
// (Araujo et al. 2019, computed by atrous::receptive_field), the share of the input the field
// covers, and the region one unit of the chosen layer sees, drawn on the input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace playground {

struct RfLayer {
  bool pool = false;    // max pooling rather than a convolution: same arithmetic, no weights
  bool causal = false;  // all padding on the left (WaveNet), else d*(k-1)/2 on each side
  std::int64_t kernel = 3, stride = 1, dilation = 1;
};

struct RfParams {
  std::string preset = "vgg";
  std::int64_t input = 7;  // side of the (square, or for dims 1, 1-D) input
  int dims = 2;
  std::vector<RfLayer> layers;
  std::size_t selected = 0;                   // 1-based layer whose unit is drawn; 0 = the input
  std::int64_t unit_row = -1, unit_col = -1;  // that unit; -1: the middle one
};

// The presets, by name or by key 1-4: vgg (the widget: three 3x3 on 7x7), quick (the chapter's
// quick check: conv3, conv3, pool2/2, conv3, conv3), wavenet (k=2, dilations 1..512, causal,
// 1-D) and resnet-stem (7x7/2 conv, 3x3/2 max pool on 224x224). Refuses other names.
RfParams rf_preset(const std::string& name);
const char* rf_preset_name(int key);

// Refuses a stack the screen cannot show (a layer whose output vanishes is shown, not refused).
void check(const RfParams& p);

std::string render_rf_text(RfParams& p);

}  // namespace playground
