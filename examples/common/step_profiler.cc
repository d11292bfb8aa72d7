// SPDX-License-Identifier: Apache-2.0
#include "examples/common/step_profiler.h"

#include <iostream>

namespace atrous::examples {

StepProfiler::StepProfiler(const bool enabled, std::string trace_path)
    : enabled_(enabled), trace_path_(std::move(trace_path)) {}

void StepProfiler::before_step() {
  if (!enabled_) return;
  if (step_ == kFirst) table_.emplace();
  if (step_ == kFirst + kSteps) trace_ = std::make_unique<autograd::profiler::RecordProfile>(trace_path_);
}

void StepProfiler::after_step() {
  if (!enabled_) return;
  if (step_ == kFirst + kSteps - 1) {
    std::cout << "\nprofile of steps " << kFirst + 1 << "-" << kFirst + kSteps << ":\n"
              << table_->key_averages().table("self_cpu_time_total", 25) << std::flush;
    table_.reset();
  }
  if (step_ == kFirst + kSteps) {
    trace_.reset();  // writes the trace
    std::cout << "\nwrote the Chrome trace of step " << step_ + 1 << " to " << trace_path_
              << " (open it in chrome://tracing or https://ui.perfetto.dev)\n"
              << std::flush;
  }
  ++step_;
}

}  // namespace atrous::examples
