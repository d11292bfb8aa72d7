// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/profile.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>

#include "atrous/tensor/allocator.h"
#include "atrous/tensor/error.h"

namespace atrous::profile {
namespace detail {
std::atomic<bool> g_recording{false};
}  // namespace detail

namespace {

using Clock = std::chrono::steady_clock;

// One thread's events. Its own mutex: stop() may read while a data-loader worker records.
struct ThreadLog {
  std::mutex mutex;
  std::uint32_t id = 0;
  std::uint64_t generation = 0;  // the recording these events belong to
  std::vector<Event> events;
  std::vector<std::int64_t> open;  // indices of the open scopes, innermost last
};

struct Registry {
  std::mutex mutex;
  std::vector<std::unique_ptr<ThreadLog>> logs;
  std::atomic<std::uint64_t> generation{0};
  Clock::time_point origin;
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: threads may record during teardown
  return *r;
}

ThreadLog& this_thread_log() {
  thread_local ThreadLog* log = [] {
    Registry& r = registry();
    const std::lock_guard<std::mutex> lock(r.mutex);
    r.logs.push_back(std::make_unique<ThreadLog>());
    r.logs.back()->id = static_cast<std::uint32_t>(r.logs.size() - 1);
    return r.logs.back().get();
  }();
  return *log;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - registry().origin).count();
}

// The innermost open event of this thread, or null.
Event* innermost() {
  if (!recording()) return nullptr;
  ThreadLog& log = this_thread_log();
  const std::lock_guard<std::mutex> lock(log.mutex);
  if (log.open.empty() || log.generation != registry().generation.load()) return nullptr;
  return &log.events[static_cast<std::size_t>(log.open.back())];
}

std::string format_ns(const double ns) {
  char b[32];
  if (ns >= 1e9) {
    std::snprintf(b, sizeof b, "%.3fs", ns / 1e9);
  } else if (ns >= 1e6) {
    std::snprintf(b, sizeof b, "%.3fms", ns / 1e6);
  } else {
    std::snprintf(b, sizeof b, "%.3fus", ns / 1e3);
  }
  return b;
}

std::string format_bytes(const double bytes) {
  char b[32];
  if (bytes >= 1e9) {
    std::snprintf(b, sizeof b, "%.2f GB", bytes / 1e9);
  } else if (bytes >= 1e6) {
    std::snprintf(b, sizeof b, "%.2f MB", bytes / 1e6);
  } else if (bytes >= 1e3) {
    std::snprintf(b, sizeof b, "%.2f KB", bytes / 1e3);
  } else {
    std::snprintf(b, sizeof b, "%.0f B", bytes);
  }
  return b;
}

std::string json_escaped(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      out += b;
    } else {
      out += c;
    }
  }
  return out;
}

// ATROUS_PROFILE=1: record the whole process and report at exit.
void report_at_exit() {
  const std::vector<Event> events = stop();
  std::cerr << table(key_averages(events));
  if (const char* path = std::getenv("ATROUS_PROFILE_TRACE")) {
    std::ofstream out(path);
    write_chrome_trace(events, out);
    std::cerr << "profile: wrote the Chrome trace to " << path << '\n';
  }
}

[[maybe_unused]] const bool g_from_environment = [] {
  const char* v = std::getenv("ATROUS_PROFILE");
  if (v == nullptr || std::string(v).empty() || std::string(v) == "0") return false;
  start();
  std::atexit(report_at_exit);
  return true;
}();

}  // namespace

void Scope::open(const char* name) noexcept {
  ThreadLog& log = this_thread_log();
  const std::uint64_t generation = registry().generation.load();
  const std::int64_t start = now_ns();
  const std::lock_guard<std::mutex> lock(log.mutex);
  if (log.generation != generation) {  // first event of a new recording on this thread
    log.events.clear();
    log.open.clear();
    log.generation = generation;
  }
  Event e;
  e.name = name;
  e.start_ns = start;
  e.thread = log.id;
  e.depth = static_cast<std::uint32_t>(log.open.size());
  e.bytes = -static_cast<std::int64_t>(thread_allocated_bytes());
  index_ = static_cast<std::int64_t>(log.events.size());
  log.events.push_back(std::move(e));
  log.open.push_back(index_);
}

void Scope::close() noexcept {
  ThreadLog& log = this_thread_log();
  const std::int64_t end = now_ns();
  const std::lock_guard<std::mutex> lock(log.mutex);
  // A scope opened in an earlier recording finds its log cleared: it is not part of this one.
  if (log.open.empty() || log.open.back() != index_) return;
  Event& e = log.events[static_cast<std::size_t>(index_)];
  e.end_ns = end;
  e.bytes += static_cast<std::int64_t>(thread_allocated_bytes());
  log.open.pop_back();
}

void note_shapes(std::string shapes) {
  if (Event* e = innermost()) e->shapes = std::move(shapes);
}
void note_path(const char* path) {
  if (Event* e = innermost()) e->path = path;
}
void note_flops(const double flops) {
  if (Event* e = innermost()) e->flops = flops;
}

void start() {
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  check_state(!recording(), "profiler", "a profile is already recording (one at a time; ATROUS_PROFILE=1 records ",
              "the whole process)");
  ++r.generation;
  r.origin = Clock::now();
  detail::g_recording.store(true, std::memory_order_release);
}

std::vector<Event> stop() {
  detail::g_recording.store(false, std::memory_order_relaxed);
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<Event> all;
  for (const auto& log : r.logs) {
    const std::lock_guard<std::mutex> log_lock(log->mutex);
    if (log->generation != r.generation.load()) continue;
    for (const std::int64_t i : log->open) {  // still open (stop() inside a scope): ends now
      Event& e = log->events[static_cast<std::size_t>(i)];
      e.end_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - r.origin).count();
      e.bytes = 0;
    }
    all.insert(all.end(), log->events.begin(), log->events.end());
    log->events.clear();
    log->open.clear();
  }
  std::stable_sort(all.begin(), all.end(), [](const Event& a, const Event& b) {
    return a.thread != b.thread ? a.thread < b.thread : a.start_ns < b.start_ns;
  });
  return all;
}

std::vector<OpStats> key_averages(const std::vector<Event>& events, const bool group_by_shapes) {
  // Self time: an event's time less its direct children's (events one deeper that start within
  // it on its thread; `events` is ordered by thread and start).
  std::vector<double> child_ns(events.size(), 0.0);
  std::vector<std::size_t> stack;
  for (std::size_t i = 0; i < events.size(); ++i) {
    while (!stack.empty() &&
           (events[stack.back()].thread != events[i].thread || events[stack.back()].depth >= events[i].depth)) {
      stack.pop_back();
    }
    if (!stack.empty()) child_ns[stack.back()] += static_cast<double>(events[i].end_ns - events[i].start_ns);
    stack.push_back(i);
  }
  std::vector<OpStats> rows;
  std::map<std::pair<std::string, std::string>, std::size_t> row_of;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    const auto key = std::make_pair(e.name, group_by_shapes ? e.shapes : std::string());
    auto [it, fresh] = row_of.emplace(key, rows.size());
    if (fresh) rows.push_back(OpStats{e.name, key.second, "", 0, 0, 0, 0, 0});
    OpStats& s = rows[it->second];
    const auto total = static_cast<double>(e.end_ns - e.start_ns);
    s.calls += 1;
    s.total_ns += total;
    s.self_ns += total - child_ns[i];
    s.flops += e.flops;
    s.bytes += e.bytes;  // children's included, as PyTorch's "CPU Mem"
    if (!e.path.empty() && s.paths.find(e.path) == std::string::npos) s.paths += (s.paths.empty() ? "" : ", ") + e.path;
  }
  return rows;
}

std::string table(const std::vector<OpStats>& stats, const std::string& sort_by, const std::size_t row_limit) {
  check_arg(sort_by == "self_cpu_time_total" || sort_by == "cpu_time_total" || sort_by == "count" || sort_by == "bytes",
            "profiler table", "sort_by must be self_cpu_time_total, cpu_time_total, count or bytes, got '", sort_by,
            "'");
  std::vector<OpStats> rows = stats;
  std::stable_sort(rows.begin(), rows.end(), [&](const OpStats& a, const OpStats& b) {
    if (sort_by == "cpu_time_total") return a.total_ns > b.total_ns;
    if (sort_by == "count") return a.calls > b.calls;
    if (sort_by == "bytes") return a.bytes > b.bytes;
    return a.self_ns > b.self_ns;
  });
  double all_self = 0;
  for (const OpStats& s : rows) all_self += s.self_ns;
  if (row_limit > 0 && rows.size() > row_limit) rows.resize(row_limit);
  std::size_t name_width = 24;
  for (const OpStats& s : rows) name_width = std::max(name_width, s.name.size() + 2);
  std::ostringstream os;
  const std::string rule(name_width + 96, '-');
  char line[512];
  std::snprintf(line, sizeof line, "%-*s %9s %12s %12s %12s %8s %11s %9s  %s\n", static_cast<int>(name_width), "Name",
                "Self CPU %", "Self CPU", "CPU total", "CPU avg", "Calls", "Allocated", "GFLOP/s", "Path / shapes");
  os << rule << '\n' << line << rule << '\n';
  for (const OpStats& s : rows) {
    char gflops[32] = "";
    if (s.flops > 0 && s.total_ns > 0) std::snprintf(gflops, sizeof gflops, "%.1f", s.flops / s.total_ns);
    std::string detail = s.paths;
    if (!s.shapes.empty()) detail += (detail.empty() ? "" : " ") + s.shapes;
    std::snprintf(line, sizeof line, "%-*s %8.2f%% %12s %12s %12s %8lld %11s %9s  %s\n", static_cast<int>(name_width),
                  s.name.c_str(), all_self > 0 ? 100.0 * s.self_ns / all_self : 0.0, format_ns(s.self_ns).c_str(),
                  format_ns(s.total_ns).c_str(), format_ns(s.total_ns / static_cast<double>(s.calls)).c_str(),
                  static_cast<long long>(s.calls), format_bytes(static_cast<double>(s.bytes)).c_str(), gflops,
                  detail.c_str());
    os << line;
  }
  os << rule << '\n' << "Self CPU time total: " << format_ns(all_self) << '\n';
  return os.str();
}

void write_chrome_trace(const std::vector<Event>& events, std::ostream& out) {
  out << "{\"traceEvents\": [";
  bool first = true;
  for (const Event& e : events) {
    char times[96];
    std::snprintf(times, sizeof times, "\"ts\": %.3f, \"dur\": %.3f", static_cast<double>(e.start_ns) / 1e3,
                  static_cast<double>(e.end_ns - e.start_ns) / 1e3);
    out << (first ? "\n" : ",\n") << "  {\"name\": \"" << json_escaped(e.name) << "\", \"ph\": \"X\", " << times
        << ", \"pid\": 0, \"tid\": " << e.thread << ", \"args\": {\"bytes\": " << e.bytes;
    if (!e.shapes.empty()) out << ", \"shapes\": \"" << json_escaped(e.shapes) << '"';
    if (!e.path.empty()) out << ", \"path\": \"" << json_escaped(e.path) << '"';
    if (e.flops > 0) out << ", \"flops\": " << static_cast<std::int64_t>(e.flops);
    out << "}}";
    first = false;
  }
  out << "\n], \"displayTimeUnit\": \"ms\"}\n";
}

}  // namespace atrous::profile
