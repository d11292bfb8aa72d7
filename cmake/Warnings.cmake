# SPDX-License-Identifier: Apache-2.0
# One warning set for every atrous target; ATROUS_WERROR (on in CI) turns them into errors.
function(atrous_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                         -Wcast-align -Woverloaded-virtual
                         $<$<BOOL:${ATROUS_WERROR}>:-Werror>
                         # GCC 12 reports false -Wrestrict overlaps inside std::string concatenation
                         # at -O3 (GCC bug 105329); nothing in atrous calls memcpy on overlapping ranges.
                         $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
  # Contraction of a*b+c into FMA would make scalar and SIMD paths round differently;
  # kernels ask for FMA explicitly where they want it.
  target_compile_options(${target} PRIVATE -ffp-contract=off)
endfunction()
