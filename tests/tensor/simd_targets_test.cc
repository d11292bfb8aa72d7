// SPDX-License-Identifier: Apache-2.0
// set_simd_target caps the instruction set kernels dispatch to, and says why it refuses.
#include <stdexcept>

#include "atrous/tensor/simd/targets.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

TEST(SimdTargets, ScalarCapMakesKernelsDispatchToScalarUntilLifted) {
  const std::string best = simd_target();
  set_simd_target("scalar");
  EXPECT_EQ(simd_target(), "scalar");
  set_simd_target("best");
  EXPECT_EQ(simd_target(), best);
}

TEST(SimdTargets, Avx2CapLeavesAtMostAvx2) {
  const std::string best = simd_target();
  if (best == "scalar") GTEST_SKIP() << "this CPU has no AVX2";
  set_simd_target("avx2");
  EXPECT_EQ(simd_target(), "avx2");
  set_simd_target("best");
}

TEST(SimdTargets, UnknownNameIsRejectedWithTheChoices) {
  EXPECT_TRUE(test::throws_with<std::invalid_argument>([] { set_simd_target("sse9"); },
                                                       "set_simd_target: expected 'avx512', 'avx2', 'scalar' or "
                                                       "'best', got 'sse9'"));
}

TEST(SimdTargets, RefusedCapLeavesTheCapInForce) {
  set_simd_target("scalar");
  EXPECT_THROW(set_simd_target("sse9"), std::invalid_argument);
  EXPECT_EQ(simd_target(), "scalar");
  set_simd_target("best");
}

}  // namespace
}  // namespace atrous
