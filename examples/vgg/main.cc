// VGG-small on Fashion-MNIST: stacks of 'same'-padded 3×3 convolutions and ReLU between 2×2 max
// pools, then two linear layers with dropout — exactly the model and recipe of
// ../shared/anchors/torch_fmnist.py, so the two can be compared epoch for epoch.
//
//   vgg --epochs 5            # ≈ 91–92 % test accuracy
//   vgg --epochs 1 --limit 2000 --out /tmp/vgg   # a quick run
#include <atrous/atrous.h>

#include <iostream>

#include "examples/common/classifier.h"

namespace {

using namespace atrous;

// Two 3×3 convolutions see a 5×5 window and three see 7×7 — the receptive fields summary() prints.
nn::Sequential vgg_small() {
  nn::Sequential net;
  const auto conv_relu = [&net](const std::int64_t in, const std::int64_t out) {
    net->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)));
    net->push_back(nn::ReLU());
  };
  conv_relu(1, 32);
  conv_relu(32, 32);
  net->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
  conv_relu(32, 64);
  conv_relu(64, 64);
  net->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
  conv_relu(64, 128);
  net->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
  net->push_back(nn::Flatten());
  net->push_back(nn::Linear(128 * 3 * 3, 256));
  net->push_back(nn::ReLU());
  net->push_back(nn::Dropout(0.3));
  net->push_back(nn::Linear(256, 10));
  return net;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("VGG-small on Fashion-MNIST (the recipe of torch_fmnist.py)");
  atrous::examples::TrainFlags flags;
  atrous::examples::add_train_flags(app, flags);
  CLI11_PARSE(app, argc, argv);
  try {
    atrous::examples::apply_train_flags(flags);
    const auto result = atrous::examples::train_classifier("vgg", vgg_small(), flags);
    std::cout << "test accuracy " << result.test_accuracy * 100 << " %\n";
    return result.loss_fell ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "vgg: " << e.what() << '\n';
    return 1;
  }
}
