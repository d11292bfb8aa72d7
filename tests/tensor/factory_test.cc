// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/factory.h"

#include <cmath>

#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

TEST(Factory, ZerosAreZeroAndContiguous) {
  const Tensor t = zeros({2, 3}, kFloat64);
  EXPECT_EQ(t.sizes(), (Shape{2, 3}));
  EXPECT_EQ(t.dtype(), kFloat64);
  EXPECT_TRUE(t.is_contiguous());
  for (std::int64_t i = 0; i < t.numel(); ++i) EXPECT_EQ(value_at(t, i), 0.0);
}

TEST(Factory, StorageIs64ByteAligned) {
  const Tensor t = ones({3});
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.raw_data()) % 64, 0u);
}

TEST(Factory, FullFillsEveryElement) {
  const Tensor t = full({4}, 2.5);
  for (std::int64_t i = 0; i < 4; ++i) EXPECT_EQ(value_at(t, i), 2.5);
}

TEST(Factory, ArangeOfEndIsInt64) {
  const Tensor t = arange(5);
  EXPECT_EQ(t.dtype(), kInt64);
  EXPECT_EQ(t.numel(), 5);
  EXPECT_EQ(value_at(t, 4), 4.0);
}

TEST(Factory, ArangeWithStepCountsLikePyTorch) {
  const Tensor t = arange(0.0, 1.0, 0.3);  // 0, 0.3, 0.6, 0.9
  EXPECT_EQ(t.numel(), 4);
  EXPECT_FLOAT_EQ(static_cast<float>(value_at(t, 3)), 0.9f);
  EXPECT_EQ(arange(5.0, 0.0, -2.0).numel(), 3);
}

TEST(Factory, ArangeThatCannotReachEndIsRefused) { EXPECT_THROW(arange(0.0, 1.0, -1.0), std::invalid_argument); }

TEST(Factory, FromVectorCopiesValuesAndShape) {
  std::vector<double> v{1, 2, 3, 4, 5, 6};
  const Tensor t = from_vector(v, {2, 3});
  v[0] = 100;
  EXPECT_EQ(t.dtype(), kFloat64);
  EXPECT_EQ(value_at(t, 0), 1.0);
  EXPECT_EQ(value_at(t, 5), 6.0);
}

TEST(Factory, FromVectorWithWrongShapeSaysBothCounts) {
  try {
    from_vector(std::vector<float>{1, 2, 3}, {2, 2});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "from_vector: shape [2, 2] holds 4 elements but the vector has 3");
  }
}

TEST(Factory, FromBlobCopiesTheBuffer) {
  std::int64_t data[3] = {7, 8, 9};
  const Tensor t = from_blob(data, {3}, kInt64);
  data[1] = 0;
  EXPECT_EQ(value_at(t, 1), 8.0);
}

TEST(Random, ManualSeedReplaysTheSameTensors) {
  manual_seed(42);
  const Tensor a = randn({100});
  const Tensor b = rand({100});
  manual_seed(42);
  EXPECT_TRUE(test::bit_identical(a, randn({100})));
  EXPECT_TRUE(test::bit_identical(b, rand({100})));
}

TEST(Random, ConsecutiveDrawsDiffer) {
  manual_seed(1);
  const Tensor a = rand({16});
  const Tensor b = rand({16});
  EXPECT_FALSE(test::bit_identical(a, b));
}

TEST(Random, RandnHasStandardNormalMoments) {
  manual_seed(7);
  const Tensor t = randn({200000}, kFloat64);
  double sum = 0, sq = 0;
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    sum += value_at(t, i);
    sq += value_at(t, i) * value_at(t, i);
  }
  const double mean = sum / 2e5, var = sq / 2e5 - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.01);  // standard error 1/sqrt(2e5) = 0.0022
  EXPECT_NEAR(var, 1.0, 0.02);
}

TEST(Random, RandStaysInTheHalfOpenUnitInterval) {
  manual_seed(3);
  const Tensor t = rand({100000});
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    ASSERT_GE(value_at(t, i), 0.0);
    ASSERT_LT(value_at(t, i), 1.0);
  }
}

TEST(Random, RandpermIsAPermutation) {
  manual_seed(5);
  const Tensor p = randperm(50);
  std::vector<bool> seen(50, false);
  for (std::int64_t i = 0; i < 50; ++i) seen[static_cast<std::size_t>(value_at(p, i))] = true;
  for (const bool s : seen) EXPECT_TRUE(s);
}

TEST(Random, RandintStaysInRange) {
  const Tensor t = randint(-3, 4, {1000});
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    EXPECT_GE(value_at(t, i), -3);
    EXPECT_LT(value_at(t, i), 4);
  }
}

TEST(Random, RandnRefusesInt64) { EXPECT_THROW(randn({2}, kInt64), std::invalid_argument); }

}  // namespace
}  // namespace atrous
