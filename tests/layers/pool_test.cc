// SPDX-License-Identifier: Apache-2.0
// Pooling kernels against a naive float64 oracle on every SIMD target, over widths around the
// vector lengths, strides 1–3, dilation, padding and ceil_mode; NaN and -inf windows.
#include <cmath>
#include <limits>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/pool.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

// max (and its first index) or mean of one window, in double, straight from the definition.
void oracle(const Tensor& x, const native::PoolParams& p, const bool is_max, Tensor& out, Tensor& idx) {
  const std::int64_t H = x.size(2), W = x.size(3), OH = out.size(2), OW = out.size(3);
  for (std::int64_t plane = 0; plane < x.size(0) * x.size(1); ++plane) {
    for (std::int64_t oh = 0; oh < OH; ++oh) {
      for (std::int64_t ow = 0; ow < OW; ++ow) {
        double best = -INFINITY, sum = 0;
        std::int64_t best_i = -1, inside = 0;
        for (std::int64_t i = 0; i < p.kH; ++i) {
          for (std::int64_t j = 0; j < p.kW; ++j) {
            const std::int64_t h = oh * p.sH - p.pH + i * p.dH, w = ow * p.sW - p.pW + j * p.dW;
            if (h < 0 || h >= H || w < 0 || w >= W) continue;
            const double v = value_at(x, plane * H * W + h * W + w);
            if (best_i < 0 || v > best || (std::isnan(v) && !std::isnan(best))) best = v, best_i = h * W + w;
            sum += v, ++inside;
          }
        }
        const std::int64_t o = (plane * OH + oh) * OW + ow;
        out.data_ptr<double>()[o] = is_max ? best : sum / static_cast<double>(inside);
        idx.data_ptr<std::int64_t>()[o] = best_i;
      }
    }
  }
}

TEST(PoolKernels, MaxAndAveragePoolingMatchTheOracleOnEveryTarget) {
  manual_seed(5);
  int cases = 0;
  for (const std::int64_t W : {1, 3, 7, 14, 16, 17, 28, 33, 65, 100}) {
    for (const std::int64_t s : {1, 2, 3}) {
      for (const std::int64_t k : {2, 3}) {
        for (const std::int64_t d : {1, 2}) {
          for (const std::int64_t pad : {std::int64_t{0}, k / 2}) {
            native::PoolParams p;
            p.kH = k, p.kW = k, p.sH = s, p.sW = s, p.dH = d, p.dW = d, p.pH = pad, p.pW = pad;
            if (W + 2 * p.pW < d * (k - 1) + 1) continue;
            // float32 values, so max pooling is exact in both dtypes
            const Tensor x = randn({2, 3, 9, W}, kFloat32).to(kFloat64);
            const auto [OH, OW] = native::check_pool("test", x, p);
            Tensor ref_max = empty({2, 3, OH, OW}, kFloat64), ref_idx = empty({2, 3, OH, OW}, kInt64);
            oracle(x, p, true, ref_max, ref_idx);
            p.dH = p.dW = 1;  // average pooling has no dilation
            p.count_include_pad = false;
            const auto [AH, AW] = native::check_pool("test", x, p);
            Tensor ref_avg = empty({2, 3, AH, AW}, kFloat64), unused = empty({2, 3, AH, AW}, kInt64);
            oracle(x, p, false, ref_avg, unused);
            test::for_each_simd_target([&](const std::string& target) {
              native::PoolParams q = p;
              q.dH = q.dW = d;
              for (const ScalarType dtype : {kFloat64, kFloat32}) {
                const auto [m, i] = native::max_pool2d(x.to(dtype), q);
                EXPECT_TRUE(test::bit_identical(m, ref_max.to(dtype)))
                    << target << " " << dtype_name(dtype) << " W=" << W << " s=" << s << " k=" << k << " d=" << d
                    << " p=" << pad;
                EXPECT_TRUE(test::bit_identical(i.to(kInt64), ref_idx))
                    << target << " W=" << W << " s=" << s << " k=" << k << " p=" << pad;
              }
              for (const ScalarType dtype : {kFloat64, kFloat32}) {
                const Tensor a = native::avg_pool2d(x.to(dtype), p);
                EXPECT_TRUE(
                    test::all_close(a, ref_avg, dtype == kFloat32 ? 1e-6 : 1e-15, dtype == kFloat32 ? 1e-6 : 1e-15))
                    << target << " " << dtype_name(dtype) << " W=" << W << " s=" << s << " k=" << k;
              }
            });
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 200);
}

TEST(PoolKernels, Float32MaxPoolingKeepsInt32IndicesAndRoutesGradientsAsFloat64Does) {
  manual_seed(6);
  const Tensor x = randn({2, 3, 15, 29}, kFloat32);
  native::PoolParams p;
  p.kH = p.kW = 3;
  p.sH = p.sW = 2;
  p.pH = p.pW = 1;
  test::for_each_simd_target([&](const std::string& target) {
    const auto [m32, i32] = native::max_pool2d(x, p);
    const auto [m64, i64] = native::max_pool2d(x.to(kFloat64), p);
    EXPECT_EQ(i32.dtype(), kInt32) << target;
    EXPECT_TRUE(test::bit_identical(i32.to(kInt64), i64)) << target;
    // Whole numbers below 2^10, so the up to 4 gradients an input gets sum exactly in either dtype.
    const Tensor g = arange(0, m32.numel(), 1, kFloat32).view(m32.sizes());
    const Tensor gx32 = native::max_pool2d_backward(g, i32, x.sizes());
    const Tensor gx64 = native::max_pool2d_backward(g.to(kFloat64), i64, x.sizes());
    EXPECT_TRUE(test::bit_identical(gx32.to(kFloat64), gx64)) << target;
  });
}

TEST(PoolKernels, NaNWinsAndAllNegativeInfinityWindowsPointAtTheirFirstElement) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> v(2 * 40, -inf);
  v[5] = nan;
  v[6] = 3.0;
  const Tensor x = from_vector(v, {1, 1, 2, 40});
  native::PoolParams p;
  p.kH = p.kW = p.sH = p.sW = 2;
  test::for_each_simd_target([&](const std::string& target) {
    const auto [m, i] = native::max_pool2d(x, p);
    EXPECT_TRUE(std::isnan(value_at(m, 2))) << target;
    EXPECT_EQ(value_at(i, 2), 5.0) << target;
    EXPECT_EQ(value_at(m, 3), 3.0) << target;
    EXPECT_EQ(value_at(m, 10), -inf) << target;
    EXPECT_EQ(value_at(i, 10), 20.0) << target;  // the window's first element
  });
}

}  // namespace
}  // namespace atrous
