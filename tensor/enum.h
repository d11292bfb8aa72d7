// SPDX-License-Identifier: Apache-2.0
// Tag constants with libtorch's names: padding kinds (kSame, kValid, kCausal) and padding modes
// (kZeros, kConstant, kReflect, kReplicate, kCircular).
#pragma once

#include <cstdint>

namespace atrous {

// How a convolution's padding is given: explicit amounts, or computed from the kernel.
enum class PaddingKind : std::uint8_t {
  Explicit,
  Same,    // output size = input size (stride 1); an odd total puts the extra pad last (PyTorch)
  Valid,   // no padding
  Causal,  // dilation * (kernel - 1) on the left only (Conv1d; Keras' padding='causal')
};
inline constexpr PaddingKind kSame = PaddingKind::Same;
inline constexpr PaddingKind kValid = PaddingKind::Valid;
inline constexpr PaddingKind kCausal = PaddingKind::Causal;

// What fills the border: conv modules take kZeros/kReflect/kReplicate/kCircular, pad() takes
// kConstant/kReflect/kReplicate/kCircular (kZeros is kConstant with value 0).
enum class PadMode : std::uint8_t { Zeros, Constant, Reflect, Replicate, Circular };
inline constexpr PadMode kZeros = PadMode::Zeros;
inline constexpr PadMode kConstant = PadMode::Constant;
inline constexpr PadMode kReflect = PadMode::Reflect;
inline constexpr PadMode kReplicate = PadMode::Replicate;
inline constexpr PadMode kCircular = PadMode::Circular;

// How a loss reduces its per-element values: kMean (default), kSum or kNone; kBatchMean (the
// sum divided by the batch size) is kl_div's alone.
enum class Reduction : std::uint8_t { None, Mean, Sum, BatchMean };
inline constexpr Reduction kNone = Reduction::None;
inline constexpr Reduction kMean = Reduction::Mean;
inline constexpr Reduction kSum = Reduction::Sum;
inline constexpr Reduction kBatchMean = Reduction::BatchMean;

constexpr const char* pad_mode_name(const PadMode m) noexcept {
  switch (m) {
    case PadMode::Zeros: return "zeros";
    case PadMode::Constant: return "constant";
    case PadMode::Reflect: return "reflect";
    case PadMode::Replicate: return "replicate";
    case PadMode::Circular: return "circular";
  }
  return "unknown";
}

}  // namespace atrous
