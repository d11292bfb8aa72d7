// SPDX-License-Identifier: Apache-2.0
// nn::functional::conv1d / conv2d: stateless convolutions with zero padding ('same', 'valid'
// and, for conv1d, 'causal' included), and their transposes, e.g.
//
//   namespace F = atrous::nn::functional;
//   Tensor y = F::conv2d(x, w, F::Conv2dFuncOptions().bias(b).stride(2).padding(1));
#pragma once

#include "atrous/layers/options/conv.h"
#include "atrous/tensor/tensor.h"

namespace atrous::nn::functional {

Tensor conv1d(const Tensor& input, const Tensor& weight, const Conv1dFuncOptions& options = {});
Tensor conv2d(const Tensor& input, const Tensor& weight, const Conv2dFuncOptions& options = {});

// Transposed convolutions, weight (in_channels, out_channels/groups, kernel...), e.g. a 2×
// up-sampling: F::conv_transpose2d(x, w, F::ConvTranspose2dFuncOptions().stride(2).padding(1)).
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const ConvTranspose1dFuncOptions& options = {});
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const ConvTranspose2dFuncOptions& options = {});

namespace detail {
// What conv1d/conv2d and the Conv modules share: unbatched inputs, pad resolution, mode.
Tensor conv_nd(const std::string& op, std::size_t dims, const Tensor& input, const Tensor& weight, const Tensor& bias,
               const Shape& stride, const ResolvedPadding& padding, const Shape& dilation, std::int64_t groups,
               PadMode mode);
// The same for conv_transpose1d/2d and the ConvTranspose modules.
Tensor conv_transpose_nd(const std::string& op, std::size_t dims, const Tensor& input, const Tensor& weight,
                         const Tensor& bias, const Shape& stride, const Shape& padding, const Shape& output_padding,
                         const Shape& dilation, std::int64_t groups);
}  // namespace detail

}  // namespace atrous::nn::functional
