// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/profiler.h"

#include <fstream>

#include "atrous/tensor/error.h"

namespace atrous::autograd::profiler {
namespace {

std::unique_ptr<std::ofstream> open_trace(const std::string& path) {
  auto file = std::make_unique<std::ofstream>(path);
  check_state(file->good(), "profiler", "cannot open '", path, "' to write the Chrome trace");
  return file;
}

}  // namespace

const atrous::profile::OpStats* KeyAverages::find(const std::string& name) const {
  for (const atrous::profile::OpStats& s : rows_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string KeyAverages::table(const std::string& sort_by, const std::size_t row_limit) const {
  return atrous::profile::table(rows_, sort_by, row_limit);
}

profile::profile(const bool enabled) {
  if (!enabled) return;
  atrous::profile::start();
  recording_ = true;
}

profile::~profile() { stop(); }

void profile::stop() {
  if (!recording_) return;
  recording_ = false;
  events_ = atrous::profile::stop();
}

const std::vector<atrous::profile::Event>& profile::events() {
  stop();
  return events_;
}

KeyAverages profile::key_averages(const bool group_by_input_shape) {
  return KeyAverages(atrous::profile::key_averages(events(), group_by_input_shape));
}

void profile::export_chrome_trace(const std::string& path) {
  const auto file = open_trace(path);
  atrous::profile::write_chrome_trace(events(), *file);
}

RecordProfile::RecordProfile(std::ostream& out) : out_(&out) { atrous::profile::start(); }

RecordProfile::RecordProfile(const std::string& filename) : file_(open_trace(filename)), out_(file_.get()) {
  atrous::profile::start();
}

RecordProfile::~RecordProfile() { atrous::profile::write_chrome_trace(atrous::profile::stop(), *out_); }

}  // namespace atrous::autograd::profiler
