// SPDX-License-Identifier: Apache-2.0
// Whether operations record the graph: a thread-local flag, and RAII guards to change it.
#pragma once

namespace atrous {

class GradMode {
 public:
  static bool is_enabled() noexcept;
  static void set_enabled(bool enabled) noexcept;
};

// Sets grad mode for a scope and restores the previous mode on exit.
class AutoGradMode {
 public:
  explicit AutoGradMode(const bool enabled) : prev_(GradMode::is_enabled()) { GradMode::set_enabled(enabled); }
  ~AutoGradMode() { GradMode::set_enabled(prev_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool prev_;
};

// No graph is recorded while one is alive: for inference and for updating parameters.
class NoGradGuard : public AutoGradMode {
 public:
  NoGradGuard() : AutoGradMode(false) {}
};

// libtorch's InferenceMode: no graph while alive (atrous has no separate inference tensors).
class InferenceMode : public AutoGradMode {
 public:
  explicit InferenceMode(const bool enabled = true) : AutoGradMode(!enabled) {}
};

}  // namespace atrous
