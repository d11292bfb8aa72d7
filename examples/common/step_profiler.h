// SPDX-License-Identifier: Apache-2.0
// --profile of the training examples: autograd::profiler over ten steps after the first (whose
// allocations and plans are one-off), its table printed, then one more step recorded as a
// Chrome trace. Call before_step() and after_step() around every training step.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <atrous/atrous.h>

namespace atrous::examples {

class StepProfiler {
 public:
  StepProfiler(bool enabled, std::string trace_path);
  void before_step();
  void after_step();

 private:
  static constexpr std::int64_t kFirst = 1, kSteps = 10;  // steps [1, 11) in the table, 11 traced
  bool enabled_;
  std::string trace_path_;
  std::int64_t step_ = 0;
  std::optional<autograd::profiler::profile> table_;
  std::unique_ptr<autograd::profiler::RecordProfile> trace_;
};

}  // namespace atrous::examples
