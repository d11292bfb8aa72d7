// SPDX-License-Identifier: Apache-2.0
// set_simd_target caps the instruction set kernels dispatch to, and says why it refuses.
#include <stdexcept>

#include "atrous/tensor/conv/conv.h"
#include "atrous/tensor/random.h"
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

// The scalar target has no fused multiply-add, so a 64-channel 3×3 convolution's bits tell the
// targets apart: under the cap they are those of dispatch forced to scalar, not the best target's.
TEST(SimdTargets, ScalarCapChangesWhichKernelsRun) {
  manual_seed(5);
  const Tensor x = randn({1, 64, 12, 12}), w = randn({64, 64, 3, 3});
  native::ConvParams params;
  params.pad_before = params.pad_after = {1, 1};
  const auto conv = [&] { return native::conv_forward(x, w, Tensor(), params); };
  const Tensor best = conv();
  set_simd_target("scalar");
  const Tensor capped = conv();
  set_simd_target("best");
  Tensor forced;
  test::for_each_simd_target([&](const std::string& target) {
    if (target == "SCALAR" || target == "EMU128") forced = conv();
  });
  ASSERT_TRUE(forced.defined()) << "no scalar target compiled in";
  EXPECT_TRUE(test::bit_identical(capped, forced));
  if (simd_target() != "scalar") {
    EXPECT_FALSE(test::bit_identical(capped, best));
  }
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
