// SPDX-License-Identifier: Apache-2.0
// native::gemm at the edges of its register tiles (MR = 4, 6, 8 rows; NR = 2, 16, 32 columns)
// and k blocks, on every SIMD target, with NaN around each operand and in the gaps between its
// rows: any read past an operand reaches the result, any write past C breaks a guard.
#include <cmath>
#include <string>

#include "atrous/tensor/gemm/gemm.h"
#include "tests/support/poisoned.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

constexpr std::int64_t kGap = 3;  // poisoned values between consecutive rows of each operand

// A(i, k) and B(k, j): small integers, so every product and sum is exact in float32.
double a_value(const std::int64_t i, const std::int64_t k) { return static_cast<double>((i * 7 + k * 3) % 11 - 5); }
double b_value(const std::int64_t k, const std::int64_t j) { return static_cast<double>((k * 5 + j * 2) % 9 - 4); }

// Runs one gemm with A row-major (or column-major when `transposed_a`) and checks C exactly.
template <typename T>
::testing::AssertionResult gemm_matches(const std::int64_t M, const std::int64_t N, const std::int64_t K,
                                        const bool transposed_a) {
  const std::int64_t sam = transposed_a ? 1 : K + kGap, sak = transposed_a ? M + kGap : 1;
  test::Poisoned<T> a(static_cast<std::size_t>(transposed_a ? K * sak : M * sam));
  test::Poisoned<T> b(static_cast<std::size_t>(K * (N + kGap)));
  test::Poisoned<T> c(static_cast<std::size_t>(M * (N + kGap)));
  for (std::int64_t i = 0; i < M; ++i) {
    for (std::int64_t k = 0; k < K; ++k) a.data()[i * sam + k * sak] = static_cast<T>(a_value(i, k));
  }
  for (std::int64_t k = 0; k < K; ++k) {
    for (std::int64_t j = 0; j < N; ++j) b.data()[k * (N + kGap) + j] = static_cast<T>(b_value(k, j));
  }
  native::gemm(a.data(), sam, sak, b.data(), N + kGap, 1, c.data(), N + kGap, M, N, K);
  for (std::int64_t i = 0; i < M; ++i) {
    for (std::int64_t j = 0; j < N + kGap; ++j) {
      const T got = c.data()[i * (N + kGap) + j];
      if (j >= N) {
        if (!test::Poisoned<T>::is_poison(got))
          return ::testing::AssertionFailure() << "wrote the gap at " << i << ", " << j;
        continue;
      }
      double want = 0;
      for (std::int64_t k = 0; k < K; ++k) want += a_value(i, k) * b_value(k, j);
      if (static_cast<double>(got) != want) {
        return ::testing::AssertionFailure() << "C(" << i << ", " << j << ") = " << got << ", want " << want;
      }
    }
  }
  if (!c.guards_intact()) return ::testing::AssertionFailure() << "wrote past C";
  return ::testing::AssertionSuccess();
}

TEST(Gemm, EveryTileAndKBlockEdgeIsExactAndStaysInsideItsOperandsOnEverySimdTarget) {
  const std::int64_t rows[] = {1, 3, 4, 5, 6, 7, 8, 9, 13, 17};
  const std::int64_t cols[] = {1, 2, 3, 15, 16, 17, 31, 32, 33, 65};
  const std::int64_t depths[] = {1, 2, 255, 256, 257, 513};
  test::for_each_simd_target([&](const std::string& target) {
    for (const std::int64_t M : rows) {
      for (const std::int64_t N : cols) {
        for (const std::int64_t K : depths) {
          for (const bool transposed : {false, true}) {
            const std::string what = target + " M=" + std::to_string(M) + " N=" + std::to_string(N) +
                                     " K=" + std::to_string(K) + (transposed ? " Aᵀ" : "");
            ASSERT_TRUE(gemm_matches<float>(M, N, K, transposed)) << "float32 " << what;
            ASSERT_TRUE(gemm_matches<double>(M, N, K, transposed)) << "float64 " << what;
          }
        }
      }
    }
  });
}

}  // namespace
}  // namespace atrous
