// SPDX-License-Identifier: Apache-2.0
// Which SIMD instruction set the kernels run on. By default the best one the CPU supports among
// those compiled in (AVX-512, AVX2, scalar); ATROUS_SIMD=avx512|avx2|scalar in the environment,
// or set_simd_target, caps it: to measure what an AVX2 machine gets on an AVX-512 one, or to
// avoid AVX-512's clock throttling.
#pragma once

#include <string>

namespace atrous {

// "avx512", "avx2" or "scalar": the highest instruction set kernels may use from now on, or
// "best" to lift the cap. Throws when the name is unknown or the CPU lacks that set.
// Not to be called while another thread is running atrous kernels.
void set_simd_target(const std::string& name);

// The instruction set kernels dispatch to now: "avx512", "avx2" or "scalar".
std::string simd_target();

// Applies ATROUS_SIMD once; called before the first allocation, so before any kernel runs.
void apply_simd_env();

}  // namespace atrous
