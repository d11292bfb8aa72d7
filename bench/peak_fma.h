// SPDX-License-Identifier: Apache-2.0
// The machine's FP32 FMA peak, measured the way ../shared/anchors/peak_fma.cc does, but with
// the Highway target atrous's kernels dispatch to (AVX-512 where present), so "% of peak"
// compares like with like.
#pragma once

#include <benchmark/benchmark.h>

namespace atrous::bench {

// GFLOP/s of independent FMA chains on `threads` threads (median of a few runs).
double measured_fma_peak_gflops(int threads);

// The peak for atrous's current thread count, measured once per process.
double peak_gflops();

// Sets a benchmark's GFLOPs and peak% counters from the work of one iteration.
void report_flops(benchmark::State& state, double flops_per_iteration);

// main() of every bench: prints threads, target and peak, then runs the registered benchmarks.
int run_benchmarks(int argc, char** argv);

}  // namespace atrous::bench
