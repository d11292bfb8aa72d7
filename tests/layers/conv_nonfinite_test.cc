// SPDX-License-Identifier: Apache-2.0
// Non-finite and huge values through every convolution path (packed GEMM, grid and pixel-major
// direct, Winograd plain and dilated, strided one-pass grad_input, every padding mode) on every
// SIMD target: one +Inf, −Inf, NaN or huge finite value at a random position of the input, the
// weight or grad_output must give the float64 oracle's IEEE result — PyTorch's: padded zeros
// count as 0·w in the forward and grad_weight (0·Inf = NaN), grad_input sums real dY pixels only.
#include <cmath>
#include <limits>
#include <random>

#include "atrous/autograd/ops/conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/random.h"
#include "tests/reference/conv_reference.h"
#include "tests/support/seed.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

struct Layer {
  const char* what;
  std::size_t dims;
  std::int64_t N, C, O, groups;
  Shape spatial, kernel, stride, dilation, before, after;
  PadMode mode = PadMode::Zeros;
};

const Layer kLayers[] = {
    {"Winograd 3x3", 2, 2, 16, 16, 1, {12, 10}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
    {"Winograd 3x3 reflect", 2, 1, 16, 16, 1, {9, 11}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, PadMode::Reflect},
    {"dilated Winograd 3x3", 2, 1, 16, 16, 1, {14, 13}, {3, 3}, {1, 1}, {2, 2}, {2, 2}, {2, 2}},
    {"pixel-major stride 2", 2, 2, 16, 32, 1, {14, 14}, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}},
    {"grid 1x1 stride 2", 2, 2, 8, 8, 1, {9, 9}, {1, 1}, {2, 2}, {1, 1}, {0, 0}, {0, 0}},
    {"grouped 5x5 replicate", 2, 2, 6, 6, 3, {8, 7}, {5, 5}, {1, 1}, {1, 1}, {2, 2}, {2, 2}, PadMode::Replicate},
    // Tap shifts of 8 rows of a 200-wide plane: bands cost more than im2col, so the packed GEMM path.
    {"packed GEMM", 2, 1, 4, 4, 1, {12, 200}, {2, 1}, {1, 1}, {8, 1}, {0, 0}, {0, 0}},
    {"causal dilated Conv1d", 1, 2, 8, 8, 1, {60}, {2}, {1}, {4}, {4}, {0}},
    {"circular Conv1d stride 3", 1, 2, 4, 6, 2, {31}, {3}, {3}, {1}, {2}, {2}, PadMode::Circular},
};

native::ConvParams params_of(const Layer& l) {
  native::ConvParams p;
  p.dims = static_cast<std::int64_t>(l.dims);
  p.stride = l.stride, p.dilation = l.dilation, p.pad_before = l.before, p.pad_after = l.after;
  p.groups = l.groups, p.mode = l.mode;
  return p;
}

// Sets one element of `t` (contiguous) to v.
void poke(Tensor& t, const std::int64_t at, const double v) {
  if (t.dtype() == kFloat32)
    t.data_ptr<float>()[at] = static_cast<float>(v);
  else
    t.data_ptr<double>()[at] = v;
}

void check_layer(const Layer& l, const ScalarType dtype, std::mt19937_64& rng) {
  const double huge =
      (dtype == kFloat32 ? std::numeric_limits<float>::max() : std::numeric_limits<double>::max()) / 1024;
  const double specials[] = {INFINITY, -INFINITY, NAN, huge, -huge};
  Shape xs{l.N, l.C}, ws{l.O, l.C / l.groups};
  xs.insert(xs.end(), l.spatial.begin(), l.spatial.end());
  ws.insert(ws.end(), l.kernel.begin(), l.kernel.end());
  const reference::ConvConfig cfg{l.dims, l.stride, l.dilation, l.before, l.after, l.groups, l.mode};
  for (int trial = 0; trial < 8; ++trial) {
    manual_seed(rng());
    Tensor x = uniform(xs, -1, 1, dtype), w = uniform(ws, -1, 1, dtype);
    const Tensor b = uniform({l.O}, -1, 1, dtype);
    const int where = static_cast<int>(rng() % 3);  // input, weight, grad_output
    const double v = specials[rng() % 5];
    if (where == 0) poke(x, static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(x.numel())), v);
    if (where == 1) poke(w, static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(w.numel())), v);
    x.requires_grad_(), w.requires_grad_();
    const Tensor y = autograd::convolution(l.dims == 1 ? "conv1d" : "conv2d", x, w, b, params_of(l));
    Tensor gy = uniform(y.sizes(), -1, 1, dtype);
    if (where == 2) poke(gy, static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(gy.numel())), v);
    y.backward(gy);
    SCOPED_TRACE(str_cat(l.what, " ", dtype_name(dtype), ": ", v, " in the ",
                         where == 0   ? "input"
                         : where == 1 ? "weight"
                                      : "grad_output",
                         " (trial ", trial, ")"));
    const Tensor ry = reference::conv_forward(x.detach(), w.detach(), b, cfg);
    const reference::ConvGrads rg = reference::conv_backward(x.detach(), w.detach(), gy, cfg, false);
    // The same sums over |terms|: a huge value cancelling leaves float32 rounding of its size.
    const Tensor ax = abs(x.detach()), aw = abs(w.detach());
    const Tensor sy = reference::conv_forward(ax, aw, abs(b), cfg);
    const reference::ConvGrads sg = reference::conv_backward(ax, aw, abs(gy), cfg, false);
    // Cast to the dtype first: a float64 sum past float32's range is float32's Inf.
    const double tol = dtype == kFloat32 ? 1e-4 : 1e-12;
    ASSERT_TRUE(test::close_at_scale(y.detach(), native::to(ry, dtype), sy, tol)) << "output";
    ASSERT_TRUE(test::close_at_scale(x.grad(), native::to(rg.input, dtype), sg.input, tol)) << "grad_input";
    ASSERT_TRUE(test::close_at_scale(w.grad(), native::to(rg.weight, dtype), sg.weight, tol)) << "grad_weight";
  }
}

TEST(ConvNonFinite, InfNanAndHugeValuesGiveTheOracleResultOnEveryPathAndTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    std::mt19937_64 rng(test::test_seed(("ConvNonFinite" + target).c_str()));
    for (const Layer& l : kLayers) {
      for (const ScalarType dtype : {kFloat32, kFloat64}) {
        check_layer(l, dtype, rng);
        if (testing::Test::HasFatalFailure()) return;
      }
    }
  });
}

TEST(ConvNonFinite, OneInfinitePixelOnTheWinogradPathGivesInfinitiesNotNaN) {
  // 16 channels each way, 3×3: the Winograd path. PyTorch gives 9 × 16 = 144 infinities, no NaN.
  Tensor x = ones({1, 16, 6, 6});
  x.data_ptr<float>()[2 * 6 + 2] = INFINITY;
  native::ConvParams p;
  p.pad_before = p.pad_after = {1, 1};
  const Tensor y = autograd::convolution("conv2d", x, ones({16, 16, 3, 3}), Tensor(), p);
  std::int64_t nans = 0, infs = 0;
  for (std::int64_t i = 0; i < y.numel(); ++i) {
    nans += std::isnan(y.data_ptr<float>()[i]) ? 1 : 0;
    infs += std::isinf(y.data_ptr<float>()[i]) ? 1 : 0;
  }
  EXPECT_EQ(nans, 0);
  EXPECT_EQ(infs, 144);
}

TEST(ConvNonFinite, HugeFiniteInputsOnTheWinogradPathStayFinite) {
  // A ±1e38 checkerboard: Winograd's input transform sums four of them (4e38 > float32's 3.4e38),
  // but each exact output, 16 channels × 0.001 × (5 − 4) · 1e38 = ±1.6e36, is finite.
  Tensor x = empty({1, 16, 8, 8});
  for (std::int64_t i = 0; i < x.numel(); ++i) x.data_ptr<float>()[i] = (i / 8 + i % 8) % 2 == 0 ? 1e38F : -1e38F;
  const Tensor y = autograd::convolution("conv2d", x, full({16, 16, 3, 3}, 0.001), Tensor(), native::ConvParams{});
  ASSERT_EQ(y.sizes(), (Shape{1, 16, 6, 6}));
  for (std::int64_t i = 0; i < y.numel(); ++i) {
    const std::int64_t row = i % 36 / 6, col = i % 6;
    ASSERT_NEAR(y.data_ptr<float>()[i] / 1.6e36, (row + col) % 2 == 0 ? 1.0 : -1.0, 1e-4) << i;
  }
}

TEST(ConvNonFinite, HugeFiniteWeightsOnTheWinogradPathStayFinite) {
  // Weights of 3e38 on a layer Winograd would take (6 × 6, 16 channels each way: F(2×2)), whose
  // weight transform would reach 2.25 · 3e38 > float32's 3.4e38; each exact output, taps × 16
  // channels × 3e38 · 1e-5, is finite, and so must the result be.
  const Tensor x = full({1, 16, 6, 6}, 1e-5);
  native::ConvParams p;
  p.pad_before = p.pad_after = {1, 1};
  const Tensor y = autograd::convolution("conv2d", x, full({16, 16, 3, 3}, 3e38), Tensor(), p);
  ASSERT_EQ(y.sizes(), (Shape{1, 16, 6, 6}));
  for (std::int64_t i = 0; i < y.numel(); ++i) {
    const std::int64_t row = i % 36 / 6, col = i % 6;
    const int taps = (row == 0 || row == 5 ? 2 : 3) * (col == 0 || col == 5 ? 2 : 3);
    ASSERT_NEAR(y.data_ptr<float>()[i] / (taps * 16 * 3e33), 1.0, 1e-5) << i;
  }
}

}  // namespace
}  // namespace atrous
