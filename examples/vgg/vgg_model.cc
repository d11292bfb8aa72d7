// SPDX-License-Identifier: Apache-2.0
#include "examples/vgg/vgg_model.h"

namespace atrous::examples {

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

}  // namespace atrous::examples
