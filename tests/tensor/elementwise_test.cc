// SPDX-License-Identifier: Apache-2.0
// Element-wise kernels against std:: math in double, on every compiled Highway target, for
// lengths around the vector width, broadcast and strided layouts, and IEEE edge values.
#include <cmath>
#include <limits>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Lengths that cross 1, 2 and 4 vectors of 4 to 16 lanes, plus the 4096-element run block.
const std::int64_t kLengths[] = {1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 4097};

struct UnaryCase {
  const char* name;
  std::function<Tensor(const Tensor&)> op;
  std::function<double(double)> ref;
  double lo, hi;
  double rtol32;  // Highway's float32 Exp/Log/Tanh are accurate to a few ulp
};

const std::vector<UnaryCase>& unary_cases() {
  static const std::vector<UnaryCase> cases = {
      {"neg", [](const Tensor& x) { return -x; }, [](double v) { return -v; }, -5, 5, 0},
      {"exp", [](const Tensor& x) { return x.exp(); }, [](double v) { return std::exp(v); }, -20, 20, 4e-7},
      {"log", [](const Tensor& x) { return x.log(); }, [](double v) { return std::log(v); }, 1e-3, 1e3, 4e-7},
      {"sqrt", [](const Tensor& x) { return x.sqrt(); }, [](double v) { return std::sqrt(v); }, 0, 100, 1e-7},
      {"abs", [](const Tensor& x) { return x.abs(); }, [](double v) { return std::abs(v); }, -5, 5, 0},
      {"relu", [](const Tensor& x) { return x.relu(); }, [](double v) { return v < 0 ? 0 : v; }, -5, 5, 0},
      {"tanh", [](const Tensor& x) { return x.tanh(); }, [](double v) { return std::tanh(v); }, -10, 10, 4e-7},
      {"sigmoid", [](const Tensor& x) { return x.sigmoid(); }, [](double v) { return 1 / (1 + std::exp(-v)); }, -30, 30,
       4e-7},
      {"clamp", [](const Tensor& x) { return x.clamp(-1.0, 2.0); },
       [](double v) { return std::min(std::max(v, -1.0), 2.0); }, -5, 5, 0},
      {"pow3", [](const Tensor& x) { return x.pow(3.0); }, [](double v) { return v * v * v; }, -5, 5, 1e-7},
  };
  return cases;
}

TEST(Elementwise, UnaryOpsMatchStdMathOnEveryTargetAndLength) {
  for (const UnaryCase& c : unary_cases()) {
    for (const ScalarType dtype : {kFloat32, kFloat64}) {
      for (const std::int64_t n : kLengths) {
        manual_seed(static_cast<std::uint64_t>(n));
        const Tensor x = uniform({n}, c.lo, c.hi, dtype);
        Tensor expected = empty({n}, kFloat64);
        for (std::int64_t i = 0; i < n; ++i) {
          expected.data_ptr<double>()[i] = c.ref(value_at(x, i));
        }
        const double rtol = dtype == kFloat32 ? std::max(c.rtol32, 1.2e-7) : 1e-14;
        test::for_each_simd_target([&](const std::string& target) {
          EXPECT_TRUE(test::all_close(c.op(x), expected, rtol, dtype == kFloat32 ? 1e-30 : 1e-300))
              << c.name << " " << dtype_name(dtype) << " n=" << n << " on " << target;
        });
      }
    }
  }
}

TEST(Elementwise, ExpLogTanhSigmoidKeepIeeeEdgeValues) {
  for (const ScalarType dtype : {kFloat32, kFloat64}) {
    const Tensor x = from_vector(std::vector<double>{kNaN, kInf, -kInf, 0.0, -1.0, 1000.0, -1000.0}).to(dtype);
    test::for_each_simd_target([&](const std::string& target) {
      const Tensor e = x.exp(), l = x.log(), t = x.tanh(), s = x.sigmoid();
      EXPECT_TRUE(std::isnan(value_at(e, 0))) << target;
      EXPECT_EQ(value_at(e, 1), kInf) << target;
      EXPECT_EQ(value_at(e, 2), 0.0) << target;
      EXPECT_EQ(value_at(e, 5), kInf) << target;
      EXPECT_EQ(value_at(e, 6), 0.0) << target;
      EXPECT_TRUE(std::isnan(value_at(l, 0))) << target;
      EXPECT_EQ(value_at(l, 1), kInf) << target;
      EXPECT_EQ(value_at(l, 3), -kInf) << target;
      EXPECT_TRUE(std::isnan(value_at(l, 4))) << target;
      EXPECT_TRUE(std::isnan(value_at(t, 0))) << target;
      EXPECT_EQ(value_at(t, 1), 1.0) << target;
      EXPECT_EQ(value_at(t, 2), -1.0) << target;
      EXPECT_EQ(value_at(s, 5), 1.0) << target;
      EXPECT_EQ(value_at(s, 6), 0.0) << target;
    });
  }
}

TEST(Elementwise, ReluClampMaximumPropagateNaNAsPyTorch) {
  const Tensor x = from_vector(std::vector<float>{NAN, 1.0f});
  const Tensor y = from_vector(std::vector<float>{0.0f, NAN});
  EXPECT_TRUE(std::isnan(value_at(x.relu(), 0)));
  EXPECT_TRUE(std::isnan(value_at(x.clamp(0.0, 0.5), 0)));
  EXPECT_TRUE(std::isnan(value_at(maximum(x, y), 0)));
  EXPECT_TRUE(std::isnan(value_at(minimum(x, y), 1)));
}

TEST(Elementwise, BinaryOpsAreExactOnEveryTargetAndLength) {
  for (const std::int64_t n : kLengths) {
    manual_seed(static_cast<std::uint64_t>(100 + n));
    const Tensor a = randn({n}, kFloat64), b = uniform({n}, 0.5, 2.0, kFloat64);
    test::for_each_simd_target([&](const std::string& target) {
      const Tensor sum = a + b, prod = a * b, quot = a / b, diff = a - b;
      for (std::int64_t i = 0; i < n; ++i) {
        const double x = value_at(a, i), y = value_at(b, i);
        ASSERT_EQ(value_at(sum, i), x + y) << target << " n=" << n;
        ASSERT_EQ(value_at(diff, i), x - y) << target;
        ASSERT_EQ(value_at(prod, i), x * y) << target;
        ASSERT_EQ(value_at(quot, i), x / y) << target;
      }
    });
  }
}

TEST(Elementwise, BroadcastingOverEveryAxisPattern) {
  const Tensor a = arange(0.0, 24.0).reshape({2, 3, 4});
  const Tensor rows = arange(0.0, 3.0).reshape({3, 1});
  const Tensor cols = arange(0.0, 4.0);
  const Tensor scalar = full({}, 10.0);
  const Tensor r = a + rows, c = a * cols, s = scalar - a;
  EXPECT_EQ(r.sizes(), (Shape{2, 3, 4}));
  EXPECT_EQ(value_at(r, 13), 13.0 + 0.0);  // [1, 0, 1]
  EXPECT_EQ(value_at(r, 17), 17.0 + 1.0);  // [1, 1, 1]
  EXPECT_EQ(value_at(c, 7), 7.0 * 3.0);
  EXPECT_EQ(value_at(s, 23), -13.0);
}

TEST(Elementwise, StridedInputsGiveTheSameBitsAsContiguousOnes) {
  manual_seed(9);
  const Tensor a = randn({33, 17});
  const Tensor t = a.t();  // strided
  const Tensor tc = t.contiguous();
  EXPECT_TRUE(test::bit_identical(t.exp(), tc.exp()));
  EXPECT_TRUE(test::bit_identical(t.tanh() * t, tc.tanh() * tc));
}

TEST(Elementwise, Int64ArithmeticIsExact) {
  const Tensor a = from_vector(std::vector<std::int64_t>{1, -2, 3});
  const Tensor b = from_vector(std::vector<std::int64_t>{10, 20, 30});
  EXPECT_EQ(value_at(a * b, 1), -40.0);
  EXPECT_EQ(value_at(a + 5.0, 2), 8.0);
  EXPECT_EQ(value_at(a.abs(), 1), 2.0);
}

TEST(Elementwise, Int64WithFractionalScalarIsRefused) {
  EXPECT_THROW(from_vector(std::vector<std::int64_t>{1}) * 0.5, std::invalid_argument);
}

TEST(Elementwise, TranscendentalOfInt64IsRefused) {
  EXPECT_THROW(from_vector(std::vector<std::int64_t>{1}).exp(), std::invalid_argument);
}

TEST(Elementwise, MixedDtypesNameBothOperands) {
  try {
    ones({2}) + ones({2}, kFloat64);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "add: both tensors must have the same dtype, got float32 [2] and float64 [2]; convert one with .to()");
  }
}

TEST(Elementwise, EqMarksEqualElements) {
  const Tensor e = from_vector(std::vector<float>{1, 2, 3}).eq(from_vector(std::vector<float>{1, 0, 3}));
  EXPECT_EQ(value_at(e, 0), 1.0);
  EXPECT_EQ(value_at(e, 1), 0.0);
}

TEST(Elementwise, EmptyTensorsGiveEmptyResults) {
  const Tensor e = zeros({0, 3});
  EXPECT_EQ((e + 1.0).sizes(), (Shape{0, 3}));
  EXPECT_EQ(e.exp().numel(), 0);
}

TEST(Elementwise, ClampWithNaNBoundsFollowsPyTorch) {
  // PyTorch 1.13: a lone NaN bound changes nothing (its gradient is 0); NaN among two bounds gives NaN.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor x = from_vector(std::vector<float>{1, 2, -3}, {3});
  EXPECT_TRUE(test::bit_identical(x.clamp(nan, std::nullopt), x));
  EXPECT_TRUE(test::bit_identical(x.clamp(std::nullopt, nan), x));
  for (const Tensor& y : {x.clamp(nan, 1.0), x.clamp(0.0, nan)}) {
    for (std::int64_t i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(y.data_ptr<float>()[i])) << i;
  }
  Tensor w = from_vector(std::vector<float>{1, 2, -3}, {3}).requires_grad_();
  w.clamp(nan, std::nullopt).sum().backward();
  EXPECT_TRUE(test::bit_identical(w.grad(), zeros({3})));
}

}  // namespace
}  // namespace atrous

namespace atrous {
namespace {

// In-place ops write in one pass over the tensor; the result is the out-of-place op's, on every
// target, for every run length, contiguous or strided, and through a view of the tensor itself.
TEST(Elementwise, InPlaceOpsGiveTheOutOfPlaceResultOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    for (const std::int64_t n : kLengths) {
      SCOPED_TRACE(target + ", length " + std::to_string(n));
      const Tensor a = randn({2, n}), b = randn({2, n});
      const Tensor sum = a.clone(), product = a.clone(), transposed = a.t().contiguous().clone();
      sum.add_(b, 0.5);
      product.mul_(b);
      transposed.t().div_(b);  // a strided destination
      EXPECT_TRUE(test::bit_identical(sum, a + b * 0.5));
      EXPECT_TRUE(test::bit_identical(product, a * b));
      EXPECT_TRUE(test::bit_identical(transposed.t(), a / b));
    }
  });
}

TEST(Elementwise, InPlaceAddOfAShiftedViewOfItselfReadsTheOldValues) {
  const Tensor x = tensor({1.0, 2.0, 3.0, 4.0}, kFloat64);
  x.narrow(0, 1, 3).add_(x.narrow(0, 0, 3));
  EXPECT_TRUE(test::bit_identical(x, tensor({1.0, 3.0, 5.0, 7.0}, kFloat64)));
  x.add_(x);
  EXPECT_TRUE(test::bit_identical(x, tensor({2.0, 6.0, 10.0, 14.0}, kFloat64)));
}

}  // namespace
}  // namespace atrous
