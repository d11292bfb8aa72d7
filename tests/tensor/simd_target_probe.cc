// SPDX-License-Identifier: Apache-2.0
// Prints the SIMD target kernels dispatch to after a first tensor: CTest runs it with ATROUS_SIMD
// set to check that the variable caps dispatch, and that a bad value is reported.
#include <cstdio>
#include <exception>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/simd/targets.h"

int main() {
  try {
    const atrous::Tensor x = atrous::ones({4});
    std::printf("%s %g\n", atrous::simd_target().c_str(), x.sum().item<double>());
  } catch (const std::exception& e) {
    std::printf("error: %s\n", e.what());
    return 1;
  }
  return 0;
}
