// SPDX-License-Identifier: Apache-2.0
// A progress bar for training loops: rate, ETA and a running value (the loss), redrawn in place
// on a terminal and printed as plain lines (every 10 %) otherwise, e.g. in CI logs.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace atrous::utils {

class ProgressBar {
 public:
  // `interactive` defaults to whether standard output is a terminal.
  ProgressBar(std::string label, std::int64_t total, std::ostream& os, bool interactive);
  ProgressBar(std::string label, std::int64_t total);

  // Marks `done` steps finished and shows `value` (e.g. the running loss).
  void update(std::int64_t done, double value);
  void finish(double value);

 private:
  void draw(std::int64_t done, double value, bool final);

  std::string label_;
  std::int64_t total_;
  std::ostream& os_;
  bool interactive_;
  std::int64_t last_decile_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace atrous::utils
