// SPDX-License-Identifier: Apache-2.0
// Fashion-MNIST from its IDX files (Debian's dataset-fashion-mnist installs them under
// /usr/share/datasets/fashion-mnist): 28×28 grey images as float32 in [0, 1] or as the stored
// uint8 bytes, int64 labels.
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

// The same split with the images as stored, uint8 in [0, 255]: a quarter of the float32 images'
// memory, for a training loop that converts each batch (image_batch_to_float).
LabelledImages load_fashion_mnist_bytes(const std::string& root = kFashionMnistRoot, bool train = true);

// A batch of uint8 images as float32, (x / 255 − mean) / std: the bits of normalising the whole
// float32 set, batch by batch.
Tensor image_batch_to_float(const Tensor& bytes, double mean = 0.0, double std = 1.0);

}  // namespace atrous::data
