#include "tensor/parallel.h"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include "tensor/error.h"

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);  // NOLINT(bugprone-reserved-identifier): TSan's interface
extern "C" void __tsan_release(void* addr);  // NOLINT(bugprone-reserved-identifier)
#endif

namespace atrous {
namespace {

// Debian's libtbb is not instrumented for ThreadSanitizer, which therefore cannot see the
// hand-off of a task to a worker or the join at the end. These restore both edges: everything
// the caller wrote before parallel_for happens before every chunk, and every chunk happens
// before parallel_for returns. They compile to nothing outside TSan builds.
// Tokens at fixed addresses: a worker must acquire before it reads anything the caller wrote,
// including the captures that would tell it where a per-call token lives. Sharing them between
// concurrent calls only adds happens-before edges.
char fork_token, join_token;

inline void tsan_release([[maybe_unused]] void* token) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(token);
#endif
}
inline void tsan_acquire([[maybe_unused]] void* token) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(token);
#endif
}

struct Pool {
  std::mutex mutex;
  int threads = 0;
  std::unique_ptr<tbb::global_control> control;  // lifts TBB's cap when threads > cores
  std::unique_ptr<tbb::task_arena> arena;
};

Pool& pool() {
  static Pool p;
  return p;
}

int default_threads() {
  if (const char* env = std::getenv("ATROUS_NUM_THREADS")) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    check_arg(end != env && *end == '\0' && n >= 1 && n <= 1024, "ATROUS_NUM_THREADS",
              "expected an integer in [1, 1024], got '", env, "'");
    return static_cast<int>(n);
  }
  return tbb::info::default_concurrency();
}

void configure(Pool& p, const int n) {
  p.arena.reset();
  p.control.reset();
  if (n > tbb::info::default_concurrency()) {
    p.control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                      static_cast<std::size_t>(n));
  }
  p.arena = std::make_unique<tbb::task_arena>(n);
  p.threads = n;
}

tbb::task_arena& arena() {
  Pool& p = pool();
  const std::lock_guard<std::mutex> lock(p.mutex);
  if (!p.arena) configure(p, default_threads());
  return *p.arena;
}

}  // namespace

void set_num_threads(const int num_threads) {
  check_arg(num_threads >= 1 && num_threads <= 1024, "set_num_threads", "num_threads must be in [1, 1024], got ",
            num_threads);
  Pool& p = pool();
  const std::lock_guard<std::mutex> lock(p.mutex);
  configure(p, num_threads);
}

int get_num_threads() {
  arena();
  return pool().threads;
}

void parallel_for(const std::int64_t n, const std::int64_t grain,
                  const std::function<void(std::int64_t, std::int64_t)>& fn) {
  if (n <= 0) return;
  const std::int64_t g = grain < 1 ? 1 : grain;
  const std::int64_t chunks = num_chunks(n, g);
  const auto run_chunk = [&](const std::int64_t c) { fn(c * g, std::min(n, (c + 1) * g)); };
  if (chunks == 1 || get_num_threads() == 1) {
    for (std::int64_t c = 0; c < chunks; ++c) run_chunk(c);
    return;
  }
  // Built before the release, and passed on by reference (oneTBB keeps a reference to it), so
  // workers read it after the acquire.
  const auto body = [&](const std::int64_t c) {
    tsan_acquire(&fork_token);
    run_chunk(c);
    tsan_release(&join_token);
  };
  tsan_release(&fork_token);
  // The index form: the chunk index arrives as a value, not read from oneTBB's range objects.
  arena().execute([&] { tbb::parallel_for(std::int64_t{0}, chunks, body, tbb::simple_partitioner()); });
  tsan_acquire(&join_token);
}

}  // namespace atrous
