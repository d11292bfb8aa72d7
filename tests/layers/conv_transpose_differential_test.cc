// SPDX-License-Identifier: Apache-2.0
// Differential testing of ConvTranspose1d/2d: random configurations (rank, batch incl. 0,
// channels, groups, H ≠ W, kernel, stride, padding, output_padding up to max(stride, dilation),
// dilation, bias, float32 and float64) compared with the scatter-form float64 oracle for the
// output and all gradients, on every SIMD target. The seed is printed; ATROUS_TEST_SEED replays it.
#include <random>
#include <sstream>

#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/random.h"
#include "tests/reference/conv_reference.h"
#include "tests/support/seed.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

// How large a drawn configuration may be: the small ones cross the options; the wide ones have
// enough channels and pixels for the packed and direct kernels' panels, tiles and tasks.
struct Limits {
  int configs;
  std::int64_t groups, cg_in, cg_out, extra, kernel_max;
};
constexpr Limits kSmall{300, 3, 3, 3, 4, 4};
constexpr Limits kWide{16, 2, 24, 20, 24, 5};

struct RandomTranspose {
  std::size_t dims;
  std::int64_t N, groups, cg_in, cg_out;
  Shape kernel, stride, padding, output_padding, dilation, spatial;
  bool bias;
  ScalarType dtype;

  std::string str() const {
    std::ostringstream s;
    s << "ConvTranspose" << dims << "d(N=" << N << ", groups=" << groups << ", in=" << cg_in * groups
      << ", out=" << cg_out * groups << ", kernel=" << shape_str(kernel) << ", stride=" << shape_str(stride)
      << ", padding=" << shape_str(padding) << ", output_padding=" << shape_str(output_padding)
      << ", dilation=" << shape_str(dilation) << ", bias=" << bias << ", " << dtype_name(dtype) << ", input spatial "
      << shape_str(spatial) << ")";
    return s.str();
  }
};

RandomTranspose draw(std::mt19937_64& rng, const Limits& limits) {
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  RandomTranspose c{};
  c.dims = static_cast<std::size_t>(pick(1, 2));
  c.N = pick(0, 3) == 0 ? pick(0, 1) : pick(1, 3);
  c.groups = pick(1, limits.groups);
  c.cg_in = pick(1, limits.cg_in);
  c.cg_out = pick(1, limits.cg_out);
  c.bias = pick(0, 1) == 1;
  c.dtype = pick(0, 1) ? kFloat64 : kFloat32;
  for (std::size_t i = 0; i < c.dims; ++i) {
    c.kernel.push_back(pick(1, limits.kernel_max));
    c.stride.push_back(pick(1, 3));
    c.dilation.push_back(pick(1, 3));
    c.output_padding.push_back(pick(0, std::max(c.stride[i], c.dilation[i]) - 1));
    c.spatial.push_back(pick(1, 1 + limits.extra));
    // Any padding that leaves at least one output element.
    const std::int64_t unpadded =
        (c.spatial[i] - 1) * c.stride[i] + c.dilation[i] * (c.kernel[i] - 1) + c.output_padding[i] + 1;
    c.padding.push_back(pick(0, std::min<std::int64_t>(3, (unpadded - 1) / 2)));
  }
  return c;
}

template <std::size_t D>
void check(const RandomTranspose& c, std::mt19937_64& rng) {
  manual_seed(rng());
  nn::ConvTransposeNdImpl<D> conv(nn::ConvTransposeOptions<D>(c.cg_in * c.groups, c.cg_out * c.groups, c.kernel)
                                      .stride(c.stride)
                                      .padding(c.padding)
                                      .output_padding(c.output_padding)
                                      .dilation(c.dilation)
                                      .groups(c.groups)
                                      .bias(c.bias));
  conv.to(c.dtype);
  Shape xs{c.N, c.cg_in * c.groups};
  xs.insert(xs.end(), c.spatial.begin(), c.spatial.end());
  const auto [x, y, gy] = test::run_with_random_gradient(conv, xs, c.dtype);

  reference::ConvConfig cfg;
  cfg.dims = D;
  cfg.stride = c.stride;
  cfg.dilation = c.dilation;
  cfg.groups = c.groups;
  cfg.pad_before = cfg.pad_after = c.padding;
  const Tensor ry = reference::conv_transpose_forward(x, conv.weight, conv.bias, cfg, c.output_padding);
  const reference::ConvGrads rg = reference::conv_transpose_backward(x, conv.weight, gy, cfg, c.output_padding, c.bias);
  // float32: the output sums at most in/groups·taps products, grad_input out/groups·taps, and
  // grad_weight N·prod(input spatial), of values in [-1, 1].
  std::int64_t taps = 1, pixels = c.N;
  for (std::size_t i = 0; i < D; ++i) taps *= c.kernel[i], pixels *= c.spatial[i];
  const std::int64_t terms = std::max({std::int64_t{48}, std::max(c.cg_in, c.cg_out) * taps, pixels});
  const double tol = c.dtype == kFloat32 ? 2e-5 * static_cast<double>(terms) : 1e-12;
  ASSERT_TRUE(reference::matches_oracle(y, x, conv.weight, conv.bias, ry, rg, tol)) << c.str();
}

void check_random(const std::string& name, const Limits& limits) {
  std::mt19937_64 rng(test::test_seed(name.c_str()));
  for (int i = 0; i < limits.configs; ++i) {
    const RandomTranspose c = draw(rng, limits);
    SCOPED_TRACE("configuration " + std::to_string(i) + ": " + c.str());
    if (c.dims == 1)
      check<1>(c, rng);
    else
      check<2>(c, rng);
    if (testing::Test::HasFatalFailure()) return;
  }
}

TEST(ConvTransposeDifferential, RandomConfigurationsMatchTheFloat64OracleOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    check_random("ConvTransposeDifferential" + target, kSmall);
  });
}

TEST(ConvTransposeDifferential, WideRandomConfigurationsMatchTheFloat64OracleOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    check_random("ConvTransposeDifferentialWide" + target, kWide);
  });
}

}  // namespace
}  // namespace atrous
