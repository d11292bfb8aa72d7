// SPDX-License-Identifier: Apache-2.0
// The layer functions libtorch also exposes directly in its top namespace, with ATen's
// positional arguments: atrous::conv2d(x, w, b, stride, padding), atrous::max_pool2d(x, {2, 2}),
// atrous::nll_loss(logp, target). Each is a thin call of its nn::functional form.
#pragma once

#include <cstdint>

#include "atrous/tensor/enum.h"
#include "atrous/tensor/tensor.h"

namespace atrous {

Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias = {}, IntArrayRef stride = 1,
              IntArrayRef padding = 0, IntArrayRef dilation = 1, std::int64_t groups = 1);
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = {}, IntArrayRef stride = 1,
              IntArrayRef padding = 0, IntArrayRef dilation = 1, std::int64_t groups = 1);
// An empty stride means the kernel size, as in PyTorch.
Tensor max_pool1d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0,
                  IntArrayRef dilation = 1, bool ceil_mode = false);
Tensor max_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0,
                  IntArrayRef dilation = 1, bool ceil_mode = false);
Tensor avg_pool1d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0,
                  bool ceil_mode = false, bool count_include_pad = true);
Tensor avg_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0,
                  bool ceil_mode = false, bool count_include_pad = true);
Tensor dropout(const Tensor& input, double p, bool train);
Tensor nll_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean,
                std::int64_t ignore_index = -100);
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = kMean);
// −w·(y·log p + (1 − y)·log(1 − p)) with each log clamped at −100, as PyTorch; p in [0, 1].
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                            Reduction reduction = kMean);

}  // namespace atrous
