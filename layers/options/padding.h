// SPDX-License-Identifier: Apache-2.0
// Options of nn::functional::pad, with libtorch's names.
#pragma once

#include <cstdint>
#include <vector>

#include "atrous/tensor/enum.h"

namespace atrous::nn::functional {

class PadFuncOptions {
 public:
  // `pad`: {last_left, last_right[, second_last_left, second_last_right]}, as F.pad.
  PadFuncOptions(std::vector<std::int64_t> pad = {}) : pad_(std::move(pad)) {}  // NOLINT
  /// kConstant (default), kReflect, kReplicate or kCircular.
  PadFuncOptions& mode(const PadMode m) { return mode_ = m, *this; }
  /// The fill value of kConstant. Default 0.
  PadFuncOptions& value(const double v) { return value_ = v, *this; }

  const std::vector<std::int64_t>& pad() const noexcept { return pad_; }
  PadMode mode() const noexcept { return mode_; }
  double value() const noexcept { return value_; }

 private:
  std::vector<std::int64_t> pad_;
  PadMode mode_ = PadMode::Constant;
  double value_ = 0.0;
};

}  // namespace atrous::nn::functional
