// SPDX-License-Identifier: Apache-2.0
// Conv1d/Conv2d modules: PyTorch's printed form, initialisation, parameters, unbatched inputs.
#include <cmath>
#include <sstream>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

using nn::Conv1d;
using nn::Conv1dOptions;
using nn::Conv2d;
using nn::Conv2dOptions;

TEST(ConvModule, PrintsLikePyTorch) {
  EXPECT_EQ(test::printed(Conv2d(Conv2dOptions(1, 1, 3).padding(1).padding_mode(kReflect).bias(false))),
            "Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False, padding_mode=reflect)");
  EXPECT_EQ(test::printed(Conv2d(Conv2dOptions(16, 33, {3, 5}).stride({2, 1}).padding({4, 2}).dilation({3, 1}))),
            "Conv2d(16, 33, kernel_size=(3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1))");
  EXPECT_EQ(test::printed(Conv1d(Conv1dOptions(4, 6, 3).padding(kSame).groups(2).bias(false).padding_mode(kCircular))),
            "Conv1d(4, 6, kernel_size=(3,), stride=(1,), padding=same, groups=2, bias=False, padding_mode=circular)");
  EXPECT_EQ(test::printed(Conv1d(Conv1dOptions(64, 64, 2).dilation(8).padding(kCausal))),
            "Conv1d(64, 64, kernel_size=(2,), stride=(1,), padding=causal, dilation=(8,))");
}

TEST(ConvModule, WeightAndBiasHavePyTorchShapes) {
  Conv2d c(Conv2dOptions(4, 6, {3, 2}).groups(2));
  EXPECT_EQ(c->weight.sizes(), (Shape{6, 2, 3, 2}));
  EXPECT_EQ(c->bias.sizes(), (Shape{6}));
  Conv1d d(Conv1dOptions(4, 6, 3).groups(2).bias(false));
  EXPECT_EQ(d->weight.sizes(), (Shape{6, 2, 3}));
  EXPECT_FALSE(d->bias.defined());
}

TEST(ConvModule, InitialisationIsUniformWithinOneOverSqrtFanIn) {
  manual_seed(0);
  Conv2d c(Conv2dOptions(120, 100, {3, 8}).groups(2));
  const double bound = 1.0 / std::sqrt(60.0 * 3 * 8);  // 0.0263523
  double lo = 1, hi = -1;
  for (std::int64_t i = 0; i < c->weight.numel(); ++i) {
    lo = std::min(lo, value_at(c->weight, i));
    hi = std::max(hi, value_at(c->weight, i));
  }
  EXPECT_GE(lo, -bound);
  EXPECT_LE(hi, bound);
  EXPECT_LT(lo, -0.99 * bound);  // 144,000 draws fill the interval
  EXPECT_GT(hi, 0.99 * bound);
  for (std::int64_t i = 0; i < 100; ++i) EXPECT_LE(std::abs(value_at(c->bias, i)), bound);
}

TEST(ConvModule, GlobalSeedMakesInitialisationReproducible) {
  manual_seed(5);
  Conv2d a(Conv2dOptions(3, 4, 3));
  manual_seed(5);
  Conv2d b(Conv2dOptions(3, 4, 3));
  EXPECT_TRUE(test::bit_identical(a->weight, b->weight));
  EXPECT_TRUE(test::bit_identical(a->bias, b->bias));
}

TEST(ConvModule, ResetParametersRedrawsInPlace) {
  Conv2d c(Conv2dOptions(3, 4, 3));
  const Tensor handle = c->weight;
  const Tensor before = c->weight.clone();
  c->reset_parameters();
  EXPECT_FALSE(test::bit_identical(before, c->weight));
  EXPECT_TRUE(handle.is_same(c->weight));  // the same parameter, new values
}

TEST(ConvModule, NamedParametersUsePyTorchNames) {
  Conv2d c(Conv2dOptions(3, 4, 3));
  const auto named = c->named_parameters().pairs();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].first, "weight");
  EXPECT_EQ(named[1].first, "bias");
  EXPECT_TRUE(named[0].second.requires_grad());
  EXPECT_EQ(Conv2d(Conv2dOptions(3, 4, 3).bias(false))->parameters().size(), 1u);
}

TEST(ConvModule, UnbatchedInputGivesUnbatchedOutput) {
  manual_seed(2);
  Conv2d c(Conv2dOptions(3, 4, 3));
  const Tensor x = randn({3, 5, 5});
  const Tensor y = c(x);
  EXPECT_EQ(y.sizes(), (Shape{4, 3, 3}));
  EXPECT_TRUE(test::bit_identical(y, c(x.unsqueeze(0)).squeeze(0)));
  Conv1d d(Conv1dOptions(4, 5, 3).padding(kSame));
  EXPECT_EQ(d(randn({4, 3})).sizes(), (Shape{5, 3}));
}

TEST(ConvModule, CallOperatorAndForwardAgree) {
  Conv1d c(Conv1dOptions(2, 3, 2));
  const Tensor x = randn({1, 2, 6});
  EXPECT_TRUE(test::bit_identical(c(x), c->forward(x)));
}

TEST(ConvModule, ToFloat64ConvertsParametersInPlace) {
  Conv2d c(Conv2dOptions(2, 2, 3));
  const Tensor handle = c->weight;
  c->to(kFloat64);
  EXPECT_EQ(handle.dtype(), kFloat64);
  EXPECT_TRUE(handle.requires_grad());
  EXPECT_EQ(c(randn({1, 2, 4, 4}, kFloat64)).dtype(), kFloat64);
}

TEST(ConvModule, ZeroBatchGivesEmptyOutputAndZeroWeightGradients) {
  Conv2d c(Conv2dOptions(3, 4, {3, 2}));
  Tensor x = zeros({0, 3, 7, 5}).requires_grad_();
  const Tensor y = c(x);
  EXPECT_EQ(y.sizes(), (Shape{0, 4, 5, 4}));
  y.sum().backward();
  EXPECT_EQ(x.grad().sizes(), (Shape{0, 3, 7, 5}));
  EXPECT_EQ(c->weight.grad().abs().sum().item<double>(), 0.0);
  EXPECT_EQ(c->bias.grad().abs().sum().item<double>(), 0.0);
}

TEST(ConvModule, ZeroInputChannelsGiveZeroOutputChannelsAsPyTorch) {
  Conv1d c(Conv1dOptions(0, 8, 2).stride(2));
  EXPECT_EQ(c(zeros({2, 0, 15})).sizes(), (Shape{2, 0, 7}));
}

TEST(ConvModule, OneByOneConvolutionIsAMatrixProduct) {
  manual_seed(9);
  Conv2d c(Conv2dOptions(5, 3, 1).bias(false));
  c->to(kFloat64);
  const Tensor x = randn({2, 5, 4, 6}, kFloat64);
  const Tensor expected = c->weight.reshape({3, 5}).matmul(x.permute({1, 0, 2, 3}).reshape({5, -1}));
  EXPECT_TRUE(test::all_close(c(x).permute({1, 0, 2, 3}).reshape({3, -1}), expected, 1e-13, 1e-13));
}

TEST(ConvModule, ResultsAreBitIdenticalForAnyThreadCount) {
  manual_seed(10);
  Conv2d c(Conv2dOptions(8, 16, 3).padding(1).stride(2).padding_mode(kReflect));
  Tensor x = randn({4, 8, 20, 18}).requires_grad_();
  const Tensor gy = randn({4, 16, 10, 9});
  std::vector<Tensor> one;
  const auto run = [&] {
    c->zero_grad();
    x.zero_grad();
    const Tensor y = c(x);
    (y * gy).sum().backward();
    return std::vector<Tensor>{y, x.grad().clone(), c->weight.grad().clone(), c->bias.grad().clone()};
  };
  test::with_threads(1, [&] { one = run(); });
  for (const int threads : {2, 4}) {
    test::with_threads(threads, [&] {
      const std::vector<Tensor> many = run();
      for (std::size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(test::bit_identical(many[i], one[i])) << i;
    });
  }
}

}  // namespace
}  // namespace atrous
