// SPDX-License-Identifier: Apache-2.0
// Per-target FMA loop (Highway) behind measured_fma_peak_gflops.
#include "bench/peak_fma.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "bench/peak_fma.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::bench {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// 16 independent chains: enough to cover FMA latency × throughput on AVX2 and AVX-512 parts.
// Returns flops done (and a value that keeps the loop alive).
double FmaChains(const long iters, float* sink) {
  const hn::ScalableTag<float> d;
  const auto b = hn::Set(d, 1.0000001f), c = hn::Set(d, 1e-7f);
  auto a0 = hn::Set(d, 0.f), a1 = hn::Set(d, 1.f), a2 = hn::Set(d, 2.f), a3 = hn::Set(d, 3.f);
  auto a4 = hn::Set(d, 4.f), a5 = hn::Set(d, 5.f), a6 = hn::Set(d, 6.f), a7 = hn::Set(d, 7.f);
  auto a8 = hn::Set(d, 8.f), a9 = hn::Set(d, 9.f), a10 = hn::Set(d, 10.f), a11 = hn::Set(d, 11.f);
  auto a12 = hn::Set(d, 12.f), a13 = hn::Set(d, 13.f), a14 = hn::Set(d, 14.f), a15 = hn::Set(d, 15.f);
  for (long i = 0; i < iters; ++i) {
    a0 = hn::MulAdd(a0, b, c), a1 = hn::MulAdd(a1, b, c), a2 = hn::MulAdd(a2, b, c), a3 = hn::MulAdd(a3, b, c);
    a4 = hn::MulAdd(a4, b, c), a5 = hn::MulAdd(a5, b, c), a6 = hn::MulAdd(a6, b, c), a7 = hn::MulAdd(a7, b, c);
    a8 = hn::MulAdd(a8, b, c), a9 = hn::MulAdd(a9, b, c), a10 = hn::MulAdd(a10, b, c), a11 = hn::MulAdd(a11, b, c);
    a12 = hn::MulAdd(a12, b, c), a13 = hn::MulAdd(a13, b, c), a14 = hn::MulAdd(a14, b, c), a15 = hn::MulAdd(a15, b, c);
  }
  const auto s =
      hn::Add(hn::Add(hn::Add(hn::Add(a0, a1), hn::Add(a2, a3)), hn::Add(hn::Add(a4, a5), hn::Add(a6, a7))),
              hn::Add(hn::Add(hn::Add(a8, a9), hn::Add(a10, a11)), hn::Add(hn::Add(a12, a13), hn::Add(a14, a15))));
  *sink = hn::GetLane(s);
  return static_cast<double>(iters) * 16 * static_cast<double>(hn::Lanes(d)) * 2;
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::bench
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include <cstdio>

#include "atrous/tensor/parallel.h"
#include "atrous/tensor/simd/targets.h"

namespace atrous::bench {

HWY_EXPORT(FmaChains);

double measured_fma_peak_gflops(const int threads) {
  std::vector<double> runs;
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<float> sinks(static_cast<std::size_t>(threads) * 16);
    std::vector<double> flops(static_cast<std::size_t>(threads));
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        flops[static_cast<std::size_t>(t)] =
            HWY_DYNAMIC_DISPATCH(FmaChains)(20000000, &sinks[static_cast<std::size_t>(t) * 16]);
      });
    }
    for (auto& th : pool) th.join();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double total = 0;
    for (const double f : flops) total += f;
    runs.push_back(total / s / 1e9);
  }
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

double peak_gflops() {
  static const double peak = measured_fma_peak_gflops(get_num_threads());
  return peak;
}

void report_flops(benchmark::State& state, const double flops_per_iteration) {
  state.counters["GFLOPs"] =
      benchmark::Counter(flops_per_iteration * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak%"] = benchmark::Counter(flops_per_iteration * 1e-9 / peak_gflops() * 100,
                                               benchmark::Counter::kIsIterationInvariantRate);
}

int run_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  apply_simd_env();  // before the peak's own dispatch, so it is measured on the same target
  std::printf("threads=%d simd=%s measured FMA peak %.1f GFLOP/s\n", get_num_threads(), simd_target().c_str(),
              peak_gflops());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace atrous::bench
#endif  // HWY_ONCE
