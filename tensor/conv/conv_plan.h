// SPDX-License-Identifier: Apache-2.0
// Non-SIMD planning for the convolution kernels: a convolution reduced to 2-D numbers (a 1-D
// conv has H = kH = 1), the padding index maps that resolve every padding mode while packing,
// and the blocking constants. Target-independent, so chunking never depends on the machine's
// vector width or on the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "atrous/tensor/conv/conv_params.h"

namespace atrous::native {

// Reduction block (packed K rows per micro-kernel call): B panel kc × NR = 256 × 32 floats =
// 32 KiB, inside a 48 KiB L1 with the 12 KiB A panel.
inline constexpr std::int64_t kConvKC = 256;
// Output pixels per forward / grad_input task: a multiple of every target's NR (2, 16, 32); 8
// panels of 32, so one image of 56×56 gives 13 tasks and the 2 cores stay busy even at N = 1.
inline constexpr std::int64_t kConvPixelTile = 256;
// Rows of Wᵀ (input channel × tap) per grad_input task, at least: a task owns whole input
// channels (their dX planes, so col2im needs no synchronisation), and enough rows that the dY
// tile it packs is reused by 8 MR-panels of AVX-512 (12 rows) or 16 of AVX2.
inline constexpr std::int64_t kConvBackwardRows = 96;
// (image, pixel) pairs per grad_weight reduction step: each step packs dY and the im2col rows
// once, then all dW tiles consume them (two parallel phases), so fewer, larger steps cost less
// synchronisation; the micro-kernel still walks them in kConvKC slices.
inline constexpr std::int64_t kConvWeightChunk = 1024;

// How many fixed ranges grad_weight splits its reduction of `total` (image, pixel) pairs into:
// enough for 2–16 threads to share, each range at least 256 pairs long, and the partial
// gradients (`weight_numel` each) within 64 MiB.
std::int64_t conv_weight_partials(std::int64_t total, std::int64_t weight_numel);

struct ConvPlan {
  std::int64_t N, C, H, W;    // input
  std::int64_t O, G, kH, kW;  // weight
  std::int64_t OH, OW;        // output
  std::int64_t sH, sW, dH, dW;
  std::int64_t Cg, Og, K, P;  // per group: in channels, out channels, C/g·kH·kW, OH·OW
  // Padded coordinate (oy·sH + ky·dH, resp. ox·sW + kx·dW) → source row/column, or −1 for a
  // zero. Every padding mode is one of these maps (pad_index.h).
  std::vector<std::int64_t> map_h, map_w;
  // [lo, hi): padded columns whose source is column q − pad_left (the interior), for copies.
  std::int64_t interior_lo, interior_hi, pad_left, pad_top;
};

// The same convolution with its stride and dilation brought within the padded input's size, for
// options PyTorch accepts up to INT64_MAX: an axis with one output reads the same taps for any
// stride larger than the room the kernel leaves, and a single tap for any dilation.
ConvParams canonical_conv_params(const Shape& input, const Shape& weight, const ConvParams& params);

// Whether the dense kernels, whose index maps and bands span the padded input, stay within a few
// times the output and the input on every axis. Pads far wider than what the taps read (1e7 on
// an 8×8 input, with a dilation of 1e7) are not: the scattered kernels (scattered_conv.h) take
// those, at a cost that follows the output and the weight alone. `params` canonical.
bool conv_is_compact(const Shape& input, const Shape& weight, const ConvParams& params);

// (N, C_out, spatial...) of the convolution; no channels when the input has none, as in PyTorch.
Shape conv_output_shape(const Shape& input, const Shape& weight, const ConvParams& params);

// `input` and `weight` are batched (N, C, [H,] W) and (O, C/g, [kH,] kW) shapes already validated
// by check_conv_forward.
ConvPlan make_conv_plan(const Shape& input, const Shape& weight, const ConvParams& params);

}  // namespace atrous::native
