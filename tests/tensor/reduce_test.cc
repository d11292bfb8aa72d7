// SPDX-License-Identifier: Apache-2.0
#include <cmath>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

Tensor iota(const Shape& shape) {
  return arange(0.0, static_cast<double>(checked_numel(shape, "t")), 1.0, kFloat64).reshape(shape);
}

TEST(Reduce, SumOverAllIsExactForIntegers) { EXPECT_EQ(iota({10, 10}).sum().item<double>(), 4950.0); }

TEST(Reduce, SumOverChosenDimsWithAndWithoutKeepdim) {
  const Tensor a = iota({2, 3, 4});
  const Tensor s = a.sum({0, 2});
  EXPECT_EQ(s.sizes(), (Shape{3}));
  EXPECT_EQ(value_at(s, 0), 0 + 1 + 2 + 3 + 12 + 13 + 14 + 15);
  EXPECT_EQ(a.sum({1}, true).sizes(), (Shape{2, 1, 4}));
  EXPECT_EQ(a.sum({-1}).sizes(), (Shape{2, 3}));
}

TEST(Reduce, LongSumMatchesDoubleReference) {
  manual_seed(2);
  const Tensor x = randn({1 << 20});
  double ref = 0;
  for (std::int64_t i = 0; i < x.numel(); ++i) ref += value_at(x, i);
  // The sum's magnitude is ~sqrt(n) = 1024; float32 partial sums of 2^15 elements over 64
  // lanes keep the error a few hundred float32 ulps of that, well under 0.01.
  EXPECT_NEAR(x.sum().item<double>(), ref, 0.01);
}

TEST(Reduce, MeanDividesByTheReducedCount) {
  EXPECT_EQ(iota({4, 5}).mean().item<double>(), 9.5);
  EXPECT_EQ(value_at(iota({4, 5}).mean({1}), 1), 7.0);
}

TEST(Reduce, MeanOfEmptyIsNaNAsPyTorch) { EXPECT_TRUE(std::isnan(zeros({0}).mean().item<double>())); }

TEST(Reduce, SumOfEmptyIsZero) { EXPECT_EQ(zeros({0, 3}).sum().item<double>(), 0.0); }

TEST(Reduce, DuplicateDimsAreRefused) { EXPECT_THROW(iota({2, 3}).sum({1, -1}), std::invalid_argument); }

TEST(Reduce, MaxOverDimReturnsValuesAndFirstIndex) {
  const Tensor a = from_vector(std::vector<float>{1, 5, 5, 2, 0, 3}, {2, 3});
  const auto [values, indices] = a.max(1);
  EXPECT_EQ(value_at(values, 0), 5.0);
  EXPECT_EQ(value_at(indices, 0), 1.0);  // first of the tied maxima
  EXPECT_EQ(value_at(indices, 1), 2.0);
  EXPECT_EQ(indices.dtype(), kInt64);
}

TEST(Reduce, MaxTreatsNaNAsTheMaximum) {
  const Tensor a = from_vector(std::vector<float>{1, NAN, 3});
  EXPECT_TRUE(std::isnan(a.max().item<double>()));
  EXPECT_EQ(a.argmax().item<std::int64_t>(), 1);
}

TEST(Reduce, ArgmaxOverAllIsAFlatIndex) {
  EXPECT_EQ(iota({3, 4}).t().argmax().item<std::int64_t>(), 11);  // the 11 sits last in t() order too
  EXPECT_EQ(value_at(iota({3, 4}).argmax(0), 2), 2.0);
}

TEST(Reduce, MaxOfEmptyIsRefused) {
  EXPECT_THROW(zeros({0}).max(), std::invalid_argument);
  EXPECT_THROW(zeros({2, 0}).max(1), std::invalid_argument);
}

TEST(Softmax, RowsSumToOneAndAreShiftInvariant) {
  manual_seed(4);
  const Tensor x = randn({7, 33}, kFloat64) * 10.0;
  const Tensor s = x.softmax(1);
  for (std::int64_t r = 0; r < 7; ++r) EXPECT_NEAR(s.select(0, r).sum().item<double>(), 1.0, 1e-12);
  EXPECT_TRUE(test::all_close((x + 1000.0).softmax(1), s, 1e-12, 1e-15));
}

TEST(Softmax, LogSoftmaxEqualsLogOfSoftmax) {
  manual_seed(5);
  const Tensor x = randn({3, 4, 5}, kFloat64);
  EXPECT_TRUE(test::all_close(x.log_softmax(1), x.softmax(1).log(), 1e-12, 1e-12));
}

TEST(Softmax, HugeLogitsDoNotOverflow) {
  const Tensor x = from_vector(std::vector<float>{1000, 0, -1000});
  EXPECT_EQ(value_at(x.softmax(0), 0), 1.0);
  EXPECT_EQ(value_at(x.log_softmax(0), 0), 0.0);
  EXPECT_EQ(value_at(x.log_softmax(0), 2), -2000.0);
}

}  // namespace
}  // namespace atrous

namespace atrous {
namespace {

// The definition: first maximum, the first NaN if there is one.
std::int64_t first_max(const std::vector<double>& v) {
  std::int64_t best = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) return static_cast<std::int64_t>(i);
    if (v[i] > v[static_cast<std::size_t>(best)]) best = static_cast<std::int64_t>(i);
  }
  return best;
}

TEST(Reduce, ArgmaxMatchesTheDefinitionOnEveryTargetAndLength) {
  manual_seed(12);
  for (const std::int64_t n : {1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 1000}) {
    for (int variant = 0; variant < 4; ++variant) {
      const Tensor r = randint(0, 5, {n});  // few distinct values: many ties
      std::vector<double> v(static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = value_at(r, i) - 10.0;
      if (variant == 1) v[static_cast<std::size_t>(n - 1)] = NAN;
      if (variant == 2) v[static_cast<std::size_t>(n / 2)] = NAN, v[static_cast<std::size_t>(n - 1)] = NAN;
      if (variant == 3) std::fill(v.begin(), v.end(), -INFINITY);
      for (const ScalarType dtype : {kFloat32, kFloat64}) {
        const Tensor x = from_vector(v).to(dtype);
        test::for_each_simd_target([&](const std::string& target) {
          EXPECT_EQ(x.argmax().item<std::int64_t>(), first_max(v)) << target << " n=" << n << " variant " << variant;
          const double m = x.max().item<double>();
          if (variant == 1 || variant == 2) {
            EXPECT_TRUE(std::isnan(m)) << target;
          } else {
            EXPECT_EQ(m, v[static_cast<std::size_t>(first_max(v))]) << target;
          }
        });
      }
    }
  }
}

TEST(Softmax, APositiveInfinityMakesTheRowNaNAsInPyTorch) {
  const Tensor x = from_vector(std::vector<float>{INFINITY, 1}, {2});
  for (const Tensor& y : {softmax(x, 0), log_softmax(x, 0)}) {
    EXPECT_TRUE(std::isnan(y.data_ptr<float>()[0]) && std::isnan(y.data_ptr<float>()[1])) << y;
  }
  // A −inf beside finite values is an ordinary zero probability.
  EXPECT_TRUE(test::bit_identical(softmax(from_vector(std::vector<float>{-INFINITY, 1}, {2}), 0),
                                  from_vector(std::vector<float>{0, 1}, {2})));
}

}  // namespace
}  // namespace atrous
