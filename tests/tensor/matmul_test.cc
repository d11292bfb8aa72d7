// SPDX-License-Identifier: Apache-2.0
// matmul against a naive double-precision triple loop, over shapes around the 4×(2 vectors)
// register tile, strided operands, vector operands and broadcast batches.
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

// The oracle: C = A · B for 2-D tensors, in double.
Tensor naive_matmul(const Tensor& a, const Tensor& b) {
  const std::int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  Tensor c = zeros({M, N}, kFloat64);
  double* p = c.data_ptr<double>();
  for (std::int64_t i = 0; i < M; ++i) {
    for (std::int64_t j = 0; j < N; ++j) {
      double acc = 0;
      for (std::int64_t k = 0; k < K; ++k) acc += value_at(a, i * K + k) * value_at(b, k * N + j);
      p[i * N + j] = acc;
    }
  }
  return c;
}

TEST(Matmul, MatchesNaiveLoopAcrossTileEdgesOnEveryTarget) {
  for (const ScalarType dtype : {kFloat32, kFloat64}) {
    for (const std::int64_t M : {1, 3, 4, 5, 17, 33}) {
      for (const std::int64_t N : {1, 7, 8, 16, 17, 33, 65}) {
        for (const std::int64_t K : {1, 9, 64}) {
          manual_seed(static_cast<std::uint64_t>(M * 10000 + N * 100 + K));
          const Tensor a = randn({M, K}, dtype), b = randn({K, N}, dtype);
          const Tensor ref = naive_matmul(a, b);
          // |error| <= K · eps · sum|a||b| ~ K · eps · K for unit normals.
          const double tol = (dtype == kFloat32 ? 1.2e-7 : 2.3e-16) * static_cast<double>(K) * 4;
          test::for_each_simd_target([&](const std::string& target) {
            EXPECT_TRUE(test::all_close(a.matmul(b), ref, tol, tol))
                << dtype_name(dtype) << " M=" << M << " N=" << N << " K=" << K << " on " << target;
          });
        }
      }
    }
  }
}

TEST(Matmul, TransposedOperandsGiveTheSameResult) {
  manual_seed(11);
  const Tensor a = randn({9, 6}, kFloat64), b = randn({9, 5}, kFloat64);
  EXPECT_TRUE(test::all_close(a.t().matmul(b), a.t().contiguous().matmul(b), 1e-14, 1e-14));
  EXPECT_TRUE(test::all_close(b.t().matmul(a), naive_matmul(b.t().contiguous(), a), 1e-13, 1e-13));
}

TEST(Matmul, VectorOperandsFollowTorchRules) {
  const Tensor v = arange(0.0, 3.0, 1.0, kFloat64);
  const Tensor m = arange(0.0, 6.0, 1.0, kFloat64).reshape({3, 2});
  EXPECT_EQ(v.matmul(v).dim(), 0);
  EXPECT_EQ(v.matmul(v).item<double>(), 5.0);
  EXPECT_EQ(v.matmul(m).sizes(), (Shape{2}));
  EXPECT_EQ(m.t().matmul(v).sizes(), (Shape{2}));
  EXPECT_EQ(value_at(v.matmul(m), 1), 0 * 1 + 1 * 3 + 2 * 5);
}

TEST(Matmul, BatchDimsBroadcast) {
  manual_seed(12);
  const Tensor a = randn({2, 1, 4, 3}, kFloat64), b = randn({5, 3, 6}, kFloat64);
  const Tensor c = a.matmul(b);
  ASSERT_EQ(c.sizes(), (Shape{2, 5, 4, 6}));
  EXPECT_TRUE(test::all_close(c.select(0, 1).select(0, 3), naive_matmul(a.select(0, 1).select(0, 0), b.select(0, 3)),
                              1e-13, 1e-13));
}

TEST(Matmul, InnerSizeMismatchNamesBothShapes) {
  try {
    ones({2, 3}).matmul(ones({4, 5}));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "matmul: shapes [2, 3] and [4, 5] cannot be multiplied: a's last dim (3) must equal b's "
                 "second-to-last dim (4)");
  }
}

TEST(Matmul, EmptyInnerDimensionGivesZeros) {
  const Tensor c = ones({2, 0}).matmul(ones({0, 3}));
  EXPECT_EQ(c.sizes(), (Shape{2, 3}));
  EXPECT_EQ(c.sum().item<double>(), 0.0);
}

TEST(Matmul, ZeroDimOperandIsRefused) { EXPECT_THROW(ones({}).matmul(ones({2})), std::invalid_argument); }

TEST(Matmul, Int64IsRefused) {
  EXPECT_THROW(arange(4).reshape({2, 2}).matmul(arange(4).reshape({2, 2})), std::invalid_argument);
}

}  // namespace
}  // namespace atrous
