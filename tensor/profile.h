// SPDX-License-Identifier: Apache-2.0
// The op recorder behind autograd::profiler: every native op opens a Scope; while recording is
// on, the scope becomes an Event (name, thread, start and end, bytes the op's thread allocated,
// and for convolution and matmul the shapes, the kernel path and the FLOPs). When recording is
// off a Scope costs one relaxed atomic load and a branch.
//
// Recording is process-wide: start() and stop() belong on the thread that runs the model, while
// no op runs. ATROUS_PROFILE=1 records from the first op to the end of the process and prints the
// table (sorted by self time) to stderr at exit; ATROUS_PROFILE_TRACE=FILE also writes the Chrome
// trace there.
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace atrous::profile {

namespace detail {
extern std::atomic<bool> g_recording;
}  // namespace detail

inline bool recording() noexcept { return detail::g_recording.load(std::memory_order_acquire); }

struct Event {
  std::string name;
  std::int64_t start_ns = 0, end_ns = 0;  // steady clock, since recording started
  std::uint32_t thread = 0;               // 0 for the first thread that recorded, then 1, 2, ...
  std::uint32_t depth = 0;                // scopes open around it on its thread
  std::int64_t bytes = 0;                 // tensor storage its thread allocated meanwhile
  std::string shapes, path;               // where the op says (convolution, matmul)
  double flops = 0;
};

// Opens an event for the enclosing block when recording (the name is copied).
class Scope {
 public:
  explicit Scope(const char* name) noexcept {
    if (recording()) open(name);
  }
  explicit Scope(const std::string& name) noexcept {
    if (recording()) open(name.c_str());
  }
  ~Scope() {
    if (index_ >= 0) close();
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  void open(const char* name) noexcept;
  void close() noexcept;
  std::int64_t index_ = -1;
};

// Details of the innermost open scope on this thread; nothing when not recording.
void note_shapes(std::string shapes);
void note_path(const char* path);
void note_flops(double flops);

// Starts recording (throws std::runtime_error if already recording) and stops it, returning every
// event, ordered by thread and start.
void start();
std::vector<Event> stop();

// Events of one name (and shapes, when grouped by them) summed: what a table row shows.
struct OpStats {
  std::string name, shapes, paths;  // paths: every path taken, in first-seen order
  std::int64_t calls = 0, bytes = 0;
  double self_ns = 0, total_ns = 0, flops = 0;
};
std::vector<OpStats> key_averages(const std::vector<Event>& events, bool group_by_shapes = false);

// PyTorch's key_averages().table(): sorted by "self_cpu_time_total" (the default),
// "cpu_time_total", "count" or "bytes"; at most row_limit rows (0: all).
std::string table(const std::vector<OpStats>& stats, const std::string& sort_by = "self_cpu_time_total",
                  std::size_t row_limit = 0);

// The Chrome trace format (chrome://tracing, Perfetto): one complete ("X") event per op, a lane
// per thread.
void write_chrome_trace(const std::vector<Event>& events, std::ostream& out);

}  // namespace atrous::profile
