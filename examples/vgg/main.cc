// SPDX-License-Identifier: Apache-2.0
// VGG-small on Fashion-MNIST: stacks of 'same'-padded 3×3 convolutions and ReLU between 2×2 max
// pools, then two linear layers with dropout — exactly the model and recipe of
// ../shared/anchors/torch_fmnist.py, so the two can be compared epoch for epoch.
//
//   vgg --epochs 5            # ≈ 91–92 % test accuracy
//   vgg --epochs 1 --limit 2000 --out /tmp/vgg   # a quick run
#include <atrous/atrous.h>

#include "examples/common/classifier.h"
#include "examples/vgg/vgg_model.h"

int main(int argc, char** argv) {
  return atrous::examples::classifier_main(argc, argv, "vgg",
                                           "VGG-small on Fashion-MNIST (the recipe of torch_fmnist.py)",
                                           [] { return atrous::examples::vgg_small(); });
}
