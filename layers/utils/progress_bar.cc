// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/utils/progress_bar.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace atrous::utils {
namespace {

std::string clock_str(const double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, const std::int64_t total, std::ostream& os, const bool interactive)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      os_(os),
      interactive_(interactive),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::ProgressBar(std::string label, const std::int64_t total)
    : ProgressBar(std::move(label), total, std::cout, ::isatty(STDOUT_FILENO) == 1) {}

void ProgressBar::update(const std::int64_t done, const double value) { draw(done, value, false); }

void ProgressBar::finish(const double value) { draw(total_, value, true); }

void ProgressBar::draw(const std::int64_t done, const double value, const bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  char stats[128];
  std::snprintf(stats, sizeof stats, " %lld/%lld  %.1f it/s  %s %s  %.4f", static_cast<long long>(done),
                static_cast<long long>(total_), rate, final ? "took" : "ETA", clock_str(final ? elapsed : eta).c_str(),
                value);
  if (interactive_) {
    constexpr int kWidth = 30;
    const auto filled = static_cast<int>(kWidth * done / total_);
    std::string bar(static_cast<std::size_t>(filled), '=');
    if (filled < kWidth) bar += '>' + std::string(static_cast<std::size_t>(kWidth - filled - 1), ' ');
    os_ << '\r' << label_ << " [" << bar << ']' << stats << (final ? "\n" : "") << std::flush;
    return;
  }
  // One line per new tenth; the last tenth is left to finish(), which reports the total time.
  const std::int64_t decile = 10 * done / total_;
  if ((decile > last_decile_ && decile < 10) || final) {
    last_decile_ = decile;
    os_ << label_ << stats << '\n' << std::flush;
  }
}

}  // namespace atrous::utils
