// SPDX-License-Identifier: Apache-2.0
// report.html of a classifier run: one self-contained page (inline SVG and PNG data, no script,
// nothing fetched) with the model summary, the training curves, the test set's confusion matrix
// and a grid of test images with their predicted and true labels, misclassified ones marked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <atrous/atrous.h>

namespace atrous::examples {

// Fashion-MNIST's ten classes, by label.
const std::vector<std::string>& fashion_mnist_classes();

struct ClassifierReport {
  std::string title;       // "vgg on Fashion-MNIST, epoch 5"
  std::string summary;     // utils::summary's table
  std::string curves_svg;  // the metrics chart
  std::vector<std::string> classes;
  Tensor images;       // (N, 1, H, W) uint8 test images, in test-set order
  Tensor labels;       // (N) int64
  Tensor predictions;  // (N) int64, the model's argmax
};

// The page. Shows the first `shown` test images and, after them, up to `shown` misclassified ones.
std::string classifier_report_html(const ClassifierReport& report, std::int64_t shown = 40);

// RFC 4648 base64 of `bytes`, for data: URIs.
std::string base64(const std::string& bytes);

}  // namespace atrous::examples
