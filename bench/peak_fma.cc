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

// Independent chains enough to cover FMA latency × throughput, and few enough to stay in
// registers with the two operands: 16 of AVX-512's 32, 12 of AVX2's 16 (16 there spill, and the
// peak reads 30 % low). Returns flops done (and a value that keeps the loop alive).
constexpr int kChains = HWY_TARGET <= HWY_AVX3 ? 16 : 12;

double FmaChains(const long iters, float* sink) {
  const hn::ScalableTag<float> d;
  const auto b = hn::Set(d, 1.0000001f), c = hn::Set(d, 1e-7f);
  hn::Vec<decltype(d)> a[kChains];
  for (int k = 0; k < kChains; ++k) a[k] = hn::Set(d, static_cast<float>(k));
  for (long i = 0; i < iters; ++i) {
    for (int k = 0; k < kChains; ++k) a[k] = hn::MulAdd(a[k], b, c);
  }
  for (int k = 1; k < kChains; ++k) a[0] = hn::Add(a[0], a[k]);
  *sink = hn::GetLane(a[0]);
  return static_cast<double>(iters) * kChains * static_cast<double>(hn::Lanes(d)) * 2;
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
