// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/data/mnist.h"

#include "atrous/layers/data/fashion_mnist.h"

namespace atrous::data::datasets {

MNIST::MNIST(const std::string& root, const Mode mode) : train_(mode == Mode::kTrain) {
  LabelledImages split = load_fashion_mnist(root, train_);
  images_ = std::move(split.images);
  targets_ = std::move(split.labels);
}

Example<> MNIST::get(const std::size_t index) {
  check_arg(index < static_cast<std::size_t>(images_.size(0)), "MNIST::get", "index ", index, " is out of range for ",
            images_.size(0), " examples");
  const auto i = static_cast<std::int64_t>(index);
  return {images_[i], targets_[i]};
}

std::optional<std::size_t> MNIST::size() const { return static_cast<std::size_t>(images_.size(0)); }

}  // namespace atrous::data::datasets
