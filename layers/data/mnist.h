// SPDX-License-Identifier: Apache-2.0
// datasets::MNIST: libtorch's MNIST dataset, reading root/{train,t10k}-{images-idx3,labels-idx1}-ubyte
// (plain or .gz). Fashion-MNIST has the same files and format. Each example is a (1, 28, 28)
// float32 image in [0, 1] and an int64 label.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "atrous/layers/data/dataset.h"

namespace atrous::data::datasets {

class MNIST : public Dataset<MNIST> {
 public:
  enum class Mode { kTrain, kTest };

  explicit MNIST(const std::string& root, Mode mode = Mode::kTrain);
  Example<> get(std::size_t index) override;
  std::optional<std::size_t> size() const override;
  bool is_train() const noexcept { return train_; }
  const Tensor& images() const noexcept { return images_; }
  const Tensor& targets() const noexcept { return targets_; }

 private:
  Tensor images_, targets_;
  bool train_;
};

}  // namespace atrous::data::datasets
