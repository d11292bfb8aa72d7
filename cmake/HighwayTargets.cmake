# SPDX-License-Identifier: Apache-2.0
# Highway targets compiled into atrous: dynamic dispatch among AVX-512 (AVX3), AVX2 and the
# scalar fallback. No -m flags: the baseline stays portable and each target is chosen at run
# time (cpu-conv-performance.md §4: -mavx2/-march=haswell silently give SSSE3 in Highway 1.0.3).
# SSSE3/SSE4 and AVX3_DL are left out to halve compile time; no machine we run lacks AVX2.
function(atrous_hwy_targets target)
  target_compile_definitions(${target} PUBLIC "HWY_DISABLED_TARGETS=(HWY_SSSE3|HWY_SSE4|HWY_AVX3_DL)")
endfunction()
