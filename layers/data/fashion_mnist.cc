// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/data/fashion_mnist.h"

#include <filesystem>

#include "atrous/tensor/io/idx.h"

namespace atrous::data {
namespace {

std::string find(const std::string& root, const std::string& stem) {
  for (const std::string& name : {stem + ".gz", stem}) {
    if (std::filesystem::exists(root + "/" + name)) return root + "/" + name;
  }
  check_state(false, "load_fashion_mnist", "no '", stem, "[.gz]' in '", root,
              "' (on Debian: apt-get install dataset-fashion-mnist)");
  return {};
}

}  // namespace

LabelledImages load_fashion_mnist_bytes(const std::string& root, const bool train) {
  const std::string split = train ? "train" : "t10k";
  const Tensor images = load_idx(find(root, split + "-images-idx3-ubyte"));
  const Tensor labels = load_idx(find(root, split + "-labels-idx1-ubyte"));
  check_state(images.dim() == 3 && images.size(1) == 28 && images.size(2) == 28, "load_fashion_mnist",
              "expected 28×28 images, got shape ", shape_str(images.sizes()));
  check_state(labels.dim() == 1 && labels.size(0) == images.size(0), "load_fashion_mnist", "expected ", images.size(0),
              " labels, got shape ", shape_str(labels.sizes()));
  return {images.reshape({images.size(0), 1, 28, 28}), labels.to(kInt64)};
}

LabelledImages load_fashion_mnist(const std::string& root, const bool train) {
  LabelledImages split = load_fashion_mnist_bytes(root, train);
  split.images = image_batch_to_float(split.images);
  return split;
}

Tensor image_batch_to_float(const Tensor& bytes, const double mean, const double std) {
  check_arg(bytes.dtype() == kUInt8, "image_batch_to_float", "expected uint8 images, got ", dtype_name(bytes.dtype()));
  Tensor x = bytes.to(kFloat32) / 255.0;
  return mean == 0.0 && std == 1.0 ? x : (x - mean) / std;
}

}  // namespace atrous::data
