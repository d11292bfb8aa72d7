// VGG-small on Fashion-MNIST: stacks of 'same'-padded 3×3 convolutions and ReLU between 2×2 max
// pools, then two linear layers with dropout — exactly the model and recipe of
// ../shared/anchors/torch_fmnist.py, so the two can be compared epoch for epoch.
//
//   vgg --epochs 5            # ≈ 91–92 % test accuracy
//   vgg --epochs 1 --limit 2000 --out /tmp/vgg   # a quick run
#include <atrous/atrous.h>

#include <iostream>

#include "examples/common/classifier.h"
#include "examples/vgg/vgg_model.h"

int main(int argc, char** argv) {
  CLI::App app("VGG-small on Fashion-MNIST (the recipe of torch_fmnist.py)");
  atrous::examples::TrainFlags flags;
  atrous::examples::add_train_flags(app, flags);
  CLI11_PARSE(app, argc, argv);
  try {
    atrous::examples::apply_train_flags(flags);
    const auto result = atrous::examples::train_classifier("vgg", atrous::examples::vgg_small(), flags);
    std::cout << "test accuracy " << result.test_accuracy * 100 << " %\n";
    return result.loss_fell ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "vgg: " << e.what() << '\n';
    return 1;
  }
}
