// SPDX-License-Identifier: Apache-2.0
// VGG-small for 28×28 grey images: 'same'-padded 3×3 convolutions and ReLU between 2×2 max
// pools, then two linear layers with dropout (the model of ../shared/anchors/torch_fmnist.py).
#pragma once

#include <atrous/atrous.h>

namespace atrous::examples {

nn::Sequential vgg_small();

}  // namespace atrous::examples
