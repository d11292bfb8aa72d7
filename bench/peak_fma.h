// The machine's FP32 FMA peak, measured the way ../shared/anchors/peak_fma.cc does, but with
// the Highway target atrous's kernels dispatch to (AVX-512 where present), so "% of peak"
// compares like with like.
#pragma once

namespace atrous::bench {

// GFLOP/s of independent FMA chains on `threads` threads (median of a few runs).
double measured_fma_peak_gflops(int threads);

// Name of the Highway target the kernels run on, e.g. "AVX3".
const char* simd_target_name();

}  // namespace atrous::bench
