// SPDX-License-Identifier: Apache-2.0
// autograd::profiler: which ops a forward and backward ran, how long each took on its own (self)
// and with the ops it called (total), what it allocated, and for convolution and matmul the
// shapes, the kernel path and GFLOP/s. PyTorch's torch.autograd.profiler.profile and libtorch's
// RecordProfile, over the recorder of tensor/profile.h:
//
//   {
//     autograd::profiler::profile prof;
//     loss = model->forward(x); loss.backward();
//     prof.stop();
//     std::cout << prof.key_averages().table("self_cpu_time_total", 20);
//     prof.export_chrome_trace("step.json");  // chrome://tracing or https://ui.perfetto.dev
//   }
//
// One recording at a time per process; ATROUS_PROFILE=1 records the whole run instead.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "atrous/tensor/profile.h"

namespace atrous::autograd::profiler {

// One row per op name (and input shapes, when grouped by them).
class KeyAverages {
 public:
  explicit KeyAverages(std::vector<atrous::profile::OpStats> rows) : rows_(std::move(rows)) {}
  const std::vector<atrous::profile::OpStats>& rows() const noexcept { return rows_; }
  // The row of `name` (the first, when grouped by shapes), or null.
  const atrous::profile::OpStats* find(const std::string& name) const;
  // Sorted by "self_cpu_time_total", "cpu_time_total", "count" or "bytes"; row_limit 0: all rows.
  std::string table(const std::string& sort_by = "self_cpu_time_total", std::size_t row_limit = 0) const;

 private:
  std::vector<atrous::profile::OpStats> rows_;
};

// Records every op from construction until stop() (or destruction).
class profile {
 public:
  explicit profile(bool enabled = true);
  ~profile();
  profile(const profile&) = delete;
  profile& operator=(const profile&) = delete;

  void stop();
  // The recorded ops, ordered by thread and start (stops the recording first).
  const std::vector<atrous::profile::Event>& events();
  KeyAverages key_averages(bool group_by_input_shape = false);
  void export_chrome_trace(const std::string& path);

 private:
  bool recording_ = false;
  std::vector<atrous::profile::Event> events_;
};

// libtorch's RecordProfile: records until destroyed, then writes the Chrome trace to `out` (which
// must outlive it) or to the file.
class RecordProfile {
 public:
  explicit RecordProfile(std::ostream& out);
  explicit RecordProfile(const std::string& filename);
  ~RecordProfile();
  RecordProfile(const RecordProfile&) = delete;
  RecordProfile& operator=(const RecordProfile&) = delete;

 private:
  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_;
};

}  // namespace atrous::autograd::profiler
