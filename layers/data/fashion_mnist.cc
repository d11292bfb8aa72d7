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

LabelledImages load_fashion_mnist(const std::string& root, const bool train) {
  const std::string split = train ? "train" : "t10k";
  const Tensor images = load_idx(find(root, split + "-images-idx3-ubyte"));
  const Tensor labels = load_idx(find(root, split + "-labels-idx1-ubyte"));
  check_state(images.dim() == 3 && images.size(1) == 28 && images.size(2) == 28, "load_fashion_mnist",
              "expected 28×28 images, got shape ", shape_str(images.sizes()));
  check_state(labels.dim() == 1 && labels.size(0) == images.size(0), "load_fashion_mnist", "expected ", images.size(0),
              " labels, got shape ", shape_str(labels.sizes()));
  return {(images.to(kFloat32) / 255.0).reshape({images.size(0), 1, 28, 28}), labels};
}

}  // namespace atrous::data
