// SPDX-License-Identifier: Apache-2.0
// Fashion-MNIST from its IDX files (Debian's dataset-fashion-mnist installs them under
// /usr/share/datasets/fashion-mnist): 28×28 grey images as float32 in [0, 1], int64 labels.
#pragma once

#include <string>

#include "atrous/tensor/tensor.h"

namespace atrous::data {

inline constexpr const char* kFashionMnistRoot = "/usr/share/datasets/fashion-mnist";

struct LabelledImages {
  Tensor images;  // (N, 1, 28, 28) float32 in [0, 1]
  Tensor labels;  // (N) int64 in [0, 10)
};

// The train (60,000) or test (10,000) split from root/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz].
LabelledImages load_fashion_mnist(const std::string& root = kFashionMnistRoot, bool train = true);

}  // namespace atrous::data
