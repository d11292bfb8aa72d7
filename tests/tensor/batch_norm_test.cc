// SPDX-License-Identifier: Apache-2.0
// The BatchNorm kernels against a float64 oracle written from the definition, on every SIMD
// target, over plane sizes around the vector lengths, a large common offset (the one-pass
// statistics must not cancel), inference mode, and 1 against 2 threads.
#include <cmath>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/batch_norm.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

constexpr double kEps = 1e-5;

struct Reference {
  Tensor y, mean, var, dx, dw, db;  // float64
};

// Training-mode batch normalisation of (N, C, S) and its gradients for upstream gradient g.
Reference oracle(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& g) {
  const std::int64_t N = x.size(0), C = x.size(1), S = x.numel() / (N * C);
  const Tensor xd = x.to(kFloat64).contiguous(), gd = g.to(kFloat64).contiguous();
  Reference r{empty(x.sizes(), kFloat64), empty({C}, kFloat64), empty({C}, kFloat64),
              empty(x.sizes(), kFloat64), empty({C}, kFloat64), empty({C}, kFloat64)};
  const double* xs = xd.data_ptr<double>();
  const double* gs = gd.data_ptr<double>();
  const auto at = [&](const std::int64_t n, const std::int64_t c, const std::int64_t s) { return (n * C + c) * S + s; };
  const auto count = static_cast<double>(N * S);
  for (std::int64_t c = 0; c < C; ++c) {
    double mean = 0, var = 0;
    for (std::int64_t n = 0; n < N; ++n)
      for (std::int64_t s = 0; s < S; ++s) mean += xs[at(n, c, s)];
    mean /= count;
    for (std::int64_t n = 0; n < N; ++n)
      for (std::int64_t s = 0; s < S; ++s) var += (xs[at(n, c, s)] - mean) * (xs[at(n, c, s)] - mean);
    var /= count;
    const double invstd = 1 / std::sqrt(var + kEps), wc = value_at(w, c);
    double sum_g = 0, dot = 0;
    for (std::int64_t n = 0; n < N; ++n) {
      for (std::int64_t s = 0; s < S; ++s) {
        const double xhat = (xs[at(n, c, s)] - mean) * invstd;
        r.y.data_ptr<double>()[at(n, c, s)] = xhat * wc + value_at(b, c);
        sum_g += gs[at(n, c, s)], dot += gs[at(n, c, s)] * xhat;
      }
    }
    for (std::int64_t n = 0; n < N; ++n) {
      for (std::int64_t s = 0; s < S; ++s) {
        const double xhat = (xs[at(n, c, s)] - mean) * invstd;
        r.dx.data_ptr<double>()[at(n, c, s)] = wc * invstd * (gs[at(n, c, s)] - sum_g / count - xhat * dot / count);
      }
    }
    r.mean.data_ptr<double>()[c] = mean, r.var.data_ptr<double>()[c] = var;
    r.dw.data_ptr<double>()[c] = dot, r.db.data_ptr<double>()[c] = sum_g;
  }
  return r;
}

TEST(BatchNormKernels, TrainingForwardAndBackwardMatchTheOracleOnEveryTarget) {
  manual_seed(11);
  for (const std::int64_t S : {1, 3, 7, 8, 15, 16, 17, 31, 49, 100}) {
    for (const std::int64_t N : {2, 3}) {
      const Tensor x64 = randn({N, 3, S}, kFloat64), g64 = randn({N, 3, S}, kFloat64);
      const Tensor w64 = randn({3}, kFloat64), b64 = randn({3}, kFloat64);
      const Reference ref = oracle(x64, w64, b64, g64);
      test::for_each_simd_target([&](const std::string& target) {
        for (const ScalarType dtype : {kFloat64, kFloat32}) {
          const double tol = dtype == kFloat32 ? 2e-5 : 1e-12;
          const Tensor x = x64.to(dtype), g = g64.to(dtype), w = w64.to(dtype), b = b64.to(dtype);
          const native::BatchNormForward f = native::batch_norm(x, w, b, Tensor(), Tensor(), true, kEps);
          const native::BatchNormGrads d =
              native::batch_norm_backward(g, x, w, f.mean, f.invstd, true, true, true, true);
          const std::string at =
              target + " " + dtype_name(dtype) + " N=" + std::to_string(N) + " S=" + std::to_string(S);
          EXPECT_TRUE(test::all_close(f.output, ref.y, tol, tol)) << at;
          EXPECT_TRUE(test::all_close(f.mean, ref.mean, tol, tol)) << at;
          EXPECT_TRUE(test::all_close(f.var, ref.var, tol, tol)) << at;
          EXPECT_TRUE(test::all_close(d.input, ref.dx, tol, tol)) << at;
          EXPECT_TRUE(test::all_close(d.weight, ref.dw, tol, tol)) << at;
          EXPECT_TRUE(test::all_close(d.bias, ref.db, tol, tol)) << at;
        }
      });
    }
  }
}

// Values near 1000 with unit spread: a one-pass E[x²] − E[x]² would lose the variance to
// cancellation; the kernels shift by one of the channel's values first.
TEST(BatchNormKernels, ALargeCommonOffsetKeepsTheVarianceExact) {
  manual_seed(12);
  const Tensor x64 = randn({4, 2, 50}, kFloat64) + 1000.0, g64 = randn({4, 2, 50}, kFloat64);
  const Tensor w = ones({2}, kFloat64), b = zeros({2}, kFloat64);
  const Reference ref = oracle(x64, w, b, g64);
  test::for_each_simd_target([&](const std::string& target) {
    const native::BatchNormForward f = native::batch_norm(x64, w, b, Tensor(), Tensor(), true, kEps);
    EXPECT_TRUE(test::all_close(f.var, ref.var, 1e-12, 0)) << target;
    EXPECT_TRUE(test::all_close(f.output, ref.y, 1e-10, 1e-10)) << target;
  });
}

TEST(BatchNormKernels, InferenceNormalisesWithTheRunningStatistics) {
  const Tensor x = from_vector(std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {1, 1, 10});
  const Tensor mean = full({1}, 5.0), var = full({1}, 4.0 - kEps);
  test::for_each_simd_target([&](const std::string& target) {
    const native::BatchNormForward f = native::batch_norm(x, Tensor(), Tensor(), mean, var, false, kEps);
    EXPECT_TRUE(test::all_close(f.output, (x - 5.0) / 2.0, 1e-6, 1e-6)) << target;
  });
}

TEST(BatchNormKernels, GiveTheSameBitsForOneAndTwoThreads) {
  manual_seed(13);
  const Tensor x = randn({8, 6, 33}), g = randn({8, 6, 33}), w = randn({6}), b = randn({6});
  native::BatchNormForward f1, f2;
  native::BatchNormGrads d1, d2;
  test::with_threads(1, [&] {
    f1 = native::batch_norm(x, w, b, Tensor(), Tensor(), true, kEps);
    d1 = native::batch_norm_backward(g, x, w, f1.mean, f1.invstd, true, true, true, true);
  });
  test::with_threads(2, [&] {
    f2 = native::batch_norm(x, w, b, Tensor(), Tensor(), true, kEps);
    d2 = native::batch_norm_backward(g, x, w, f2.mean, f2.invstd, true, true, true, true);
  });
  EXPECT_TRUE(test::bit_identical(f1.output, f2.output));
  EXPECT_TRUE(test::bit_identical(d1.input, d2.input));
  EXPECT_TRUE(test::bit_identical(d1.weight, d2.weight));
}

}  // namespace
}  // namespace atrous
