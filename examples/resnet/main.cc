// SPDX-License-Identifier: Apache-2.0
// ResNet-small on Fashion-MNIST: basic residual blocks with BatchNorm; where the resolution
// halves, a stride-2 3×3 convolution and a 1×1 stride-2 projection on the shortcut (He et al.
// 2016, option B), then global average pooling — the model and recipe of
// ../shared/anchors/torch_fmnist.py.
//
//   resnet --epochs 5
//   resnet --epochs 1 --limit 2000 --out /tmp/resnet   # a quick run
#include <atrous/atrous.h>

#include "examples/common/classifier.h"

namespace {

using namespace atrous;

// y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); the shortcut is the identity unless
// the block changes the shape, then a 1×1 convolution with the block's stride and a BatchNorm.
class BasicBlockImpl : public nn::Module {
 public:
  BasicBlockImpl(const std::int64_t in, const std::int64_t out, const std::int64_t stride) : nn::Module("BasicBlock") {
    conv1 = register_module("c1", nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
    bn1 = register_module("b1", nn::BatchNorm2d(out));
    conv2 = register_module("c2", nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1).bias(false)));
    bn2 = register_module("b2", nn::BatchNorm2d(out));
    shortcut = register_module("sc", nn::Sequential());
    if (stride != 1 || in != out) {
      shortcut->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)));
      shortcut->push_back(nn::BatchNorm2d(out));
    }
  }

  // One statement per stage: a C++ temporary lives to the end of its full expression, so the
  // nested one-liner would hold every intermediate map of the block at once.
  Tensor forward(const Tensor& x) {
    Tensor y = bn1(conv1(x)).relu();
    y = bn2(conv2(y));
    y = y + shortcut(x);
    return y.relu();
  }

  nn::Conv2d conv1{nullptr}, conv2{nullptr};
  nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
  nn::Sequential shortcut{nullptr};
};

class BasicBlock : public nn::ModuleHolder<BasicBlockImpl> {
 public:
  using nn::ModuleHolder<BasicBlockImpl>::ModuleHolder;
};

nn::Sequential resnet_small() {
  return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, 32, 3).padding(1).bias(false)), nn::BatchNorm2d(32), nn::ReLU(),
                        BasicBlock(32, 32, 1), BasicBlock(32, 64, 2), BasicBlock(64, 128, 2),
                        nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(1)), nn::Flatten(), nn::Linear(128, 10));
}

}  // namespace

int main(int argc, char** argv) {
  return atrous::examples::classifier_main(argc, argv, "resnet",
                                           "ResNet-small on Fashion-MNIST (the recipe of torch_fmnist.py)",
                                           [] { return resnet_small(); });
}
