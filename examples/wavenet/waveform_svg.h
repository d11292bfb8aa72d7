// SPDX-License-Identifier: Apache-2.0
// waveforms.svg: the training signal and the generated one, one panel each on the same time and
// amplitude axes, so a person can see whether the generated audio has the signal's shape.
#pragma once

#include <string>
#include <vector>

namespace atrous::examples {

// `training` and `generated` in [-1, 1] at `sample_rate`; a panel shows at most `shown` samples.
std::string waveforms_svg(const std::vector<float>& training, const std::vector<float>& generated, int sample_rate,
                          std::size_t shown);

}  // namespace atrous::examples
