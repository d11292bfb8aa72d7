// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/parallel.h"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include "atrous/tensor/error.h"

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
  std::unique_ptr<tbb::global_control> stack;    // the workers' stack size, as probed
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

// oneTBB's worker stacks; fixed so that the probe below asks the system for the same.
constexpr std::size_t kWorkerStack = std::size_t{4} << 20;

// How many of `wanted` − 1 worker threads the system grants right now (an address-space limit
// or a thread quota may refuse some): oneTBB starts its workers from other threads, where a
// refused pthread_create ends the process with std::terminate, beyond any caller's try/catch.
// All probe threads are alive at once, as the workers will be, then released and joined. They
// ask for twice the workers' stacks and make their first allocation (glibc's per-thread arena):
// the headroom oneTBB's own per-thread memory needs after.
int grantable_threads(const int wanted) {
  std::atomic<bool> release{false};
  std::vector<pthread_t> started;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 2 * kWorkerStack);
  const auto wait = [](void* flag) -> void* {
    // A first malloc reserves the thread's glibc arena (64 MiB of address space), as a worker's will.
    void* const first = std::malloc(64);
    if (first == nullptr) return flag;
    std::free(first);
    while (!static_cast<std::atomic<bool>*>(flag)->load(std::memory_order_acquire)) sched_yield();
    return nullptr;
  };
  for (int i = 1; i < wanted; ++i) {
    pthread_t t;
    if (pthread_create(&t, &attr, +wait, &release) != 0) break;
    started.push_back(t);
  }
  pthread_attr_destroy(&attr);
  release.store(true, std::memory_order_release);
  int granted = 1;
  for (const pthread_t t : started) {
    void* failed = nullptr;
    pthread_join(t, &failed);
    granted += failed == nullptr ? 1 : 0;
  }
  return granted;
}

void configure(Pool& p, int n) {
  p.arena.reset();
  p.control.reset();
  p.stack.reset();
  if (n > 1) {
    if (const int granted = grantable_threads(n); granted < n) {
      std::fprintf(stderr, "atrous: set_num_threads(%d): the system grants only %d threads now; using %d\n", n, granted,
                   granted);
      n = granted;
    }
  }
  p.stack = std::make_unique<tbb::global_control>(tbb::global_control::thread_stack_size, kWorkerStack);
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
