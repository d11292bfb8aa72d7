// SPDX-License-Identifier: Apache-2.0
// The GEMM core on square float32 matrices (matmul), in GFLOP/s and % of the measured FMA peak:
// how close the micro-kernel and blocking get to the machine without convolution packing.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/gemm/gemm.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/random.h"
#include "bench/peak_fma.h"

namespace atrous::bench {
namespace {

void BM_Gemm(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const Tensor a = randn({n, n}), b = randn({n, n});
  Tensor c = empty({n, n});
  for (auto _ : state) {
    native::gemm(a.data_ptr<float>(), n, 1, b.data_ptr<float>(), n, 1, c.data_ptr<float>(), n, n, n, n);
    benchmark::DoNotOptimize(c.raw_data());
  }
  report_flops(state, 2.0 * static_cast<double>(n * n * n));
}

BENCHMARK(BM_Gemm)->Arg(256)->Arg(512)->Arg(1024)->Arg(2048)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace atrous::bench

int main(int argc, char** argv) { return atrous::bench::run_benchmarks(argc, argv); }
