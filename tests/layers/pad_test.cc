// SPDX-License-Identifier: Apache-2.0
// F.pad in every mode: values and gradients from the spec's PyTorch runs (§3.2, §3.3), limits
// and error messages, gradchecks, and bit-identical results for any thread count.
#include "atrous/autograd/gradcheck.h"
#include "atrous/layers/functional/padding.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace F = nn::functional;

Tensor vec(std::vector<double> v) { return from_vector(std::move(v)).reshape({1, 1, -1}); }

std::vector<double> values(const Tensor& t) {
  std::vector<double> v;
  for (std::int64_t i = 0; i < t.numel(); ++i) v.push_back(value_at(t, i));
  return v;
}

struct ModeCase {
  PadMode mode;
  std::vector<double> padded, grad_of_sum, weighted_grad;
};

TEST(Pad, OneDimensionalModesMatchPyTorch) {
  // x = [1..5], pad (3, 2); gradients of sum(pad(x)) and of sum(pad(x) * [1..10]).
  const std::vector<ModeCase> cases = {
      {kConstant, {0, 0, 0, 1, 2, 3, 4, 5, 0, 0}, {1, 1, 1, 1, 1}, {4, 5, 6, 7, 8}},
      {kReflect, {4, 3, 2, 1, 2, 3, 4, 5, 4, 3}, {1, 2, 3, 3, 1}, {4, 8, 18, 17, 8}},
      {kReplicate, {1, 1, 1, 1, 2, 3, 4, 5, 5, 5}, {4, 1, 1, 1, 3}, {10, 5, 6, 7, 27}},
      {kCircular, {3, 4, 5, 1, 2, 3, 4, 5, 1, 2}, {2, 2, 2, 2, 2}, {13, 15, 7, 9, 11}},
  };
  for (const ModeCase& c : cases) {
    Tensor x = vec({1, 2, 3, 4, 5}).requires_grad_();
    const Tensor y = F::pad(x, F::PadFuncOptions({3, 2}).mode(c.mode));
    EXPECT_EQ(values(y), c.padded) << pad_mode_name(c.mode);
    y.sum().backward(Tensor(), /*retain_graph=*/true);
    EXPECT_EQ(values(x.grad()), c.grad_of_sum) << pad_mode_name(c.mode);
    x.zero_grad();
    (y * arange(1.0, 11.0, 1.0, kFloat64).reshape({1, 1, 10})).sum().backward();
    EXPECT_EQ(values(x.grad()), c.weighted_grad) << pad_mode_name(c.mode);
  }
}

TEST(Pad, TwoDimensionalModesAreSeparable) {
  const Tensor x = arange(1.0, 10.0, 1.0, kFloat64).reshape({1, 1, 3, 3});
  const Tensor reflect = F::pad(x, F::PadFuncOptions({1, 1, 1, 1}).mode(kReflect));
  EXPECT_EQ(values(reflect.select(2, 0).flatten()), (std::vector<double>{5, 4, 5, 6, 5}));
  const Tensor circular = F::pad(x, F::PadFuncOptions({1, 1, 1, 1}).mode(kCircular));
  EXPECT_EQ(values(circular.select(2, 0).flatten()), (std::vector<double>{9, 7, 8, 9, 7}));
  const struct {
    PadMode mode;
    std::vector<double> grad;
  } grads[] = {{kReflect, {1, 3, 1, 3, 9, 3, 1, 3, 1}},
               {kReplicate, {4, 2, 4, 2, 1, 2, 4, 2, 4}},
               {kCircular, {4, 2, 4, 2, 1, 2, 4, 2, 4}}};
  for (const auto& c : grads) {
    Tensor leaf = x.clone().requires_grad_();
    F::pad(leaf, F::PadFuncOptions({1, 1, 1, 1}).mode(c.mode)).sum().backward();
    EXPECT_EQ(values(leaf.grad()), c.grad) << pad_mode_name(c.mode);
  }
}

TEST(Pad, AsymmetricPadsGoLastDimensionFirst) {
  const Tensor y = F::pad(ones({1, 3, 3}), F::PadFuncOptions({0, 2, 1, 0}));  // 2 columns right, 1 row on top
  EXPECT_EQ(y.sizes(), (Shape{1, 4, 5}));
  EXPECT_EQ(value_at(y, 0), 0.0);
  EXPECT_EQ(value_at(y, 5), 1.0);
  EXPECT_EQ(value_at(y, 5 + 3), 0.0);
}

TEST(Pad, ConstantModeTakesAValueAndNegativePadsCrop) {
  EXPECT_EQ(value_at(F::pad(ones({2}), F::PadFuncOptions({1, 0}).value(7.5)), 0), 7.5);
  EXPECT_EQ(values(F::pad(vec({1, 2, 3, 4, 5}), F::PadFuncOptions({-1, -2}))), (std::vector<double>{2, 3}));
  EXPECT_EQ(F::pad(vec({1, 2, 3, 4, 5}), F::PadFuncOptions({-3, -2})).numel(), 0);
}

TEST(Pad, ReplicateAcceptsPadsLargerThanTheInput) {
  EXPECT_EQ(F::pad(vec({1, 2}), F::PadFuncOptions({10, 10}).mode(kReplicate)).size(-1), 22);
}

TEST(Pad, CircularPadEqualToTheSizeIsAllowed) {
  EXPECT_EQ(values(F::pad(vec({1, 2, 3}), F::PadFuncOptions({3, 0}).mode(kCircular))),
            (std::vector<double>{1, 2, 3, 1, 2, 3}));
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PadErrors, ReflectPadAsLargeAsTheInputNamesPadsDimensionAndLimit) {
  EXPECT_EQ(error_of([] {
              F::pad(zeros({1, 1, 4}), F::PadFuncOptions({4, 4}).mode(kReflect));
            }),
            "pad: Argument #4: Padding size should be less than the corresponding input dimension, but got: padding "
            "(4, 4) at dimension 2 of input [1, 1, 4] (reflect padding needs each pad <= 3)");
}

TEST(PadErrors, ReflectHeightPadIsArgumentSix) {
  EXPECT_NE(error_of([] {
              F::pad(zeros({1, 1, 4, 9}), F::PadFuncOptions({1, 1, 4, 4}).mode(kReflect));
            }).find("Argument #6: Padding size should be less than the corresponding input dimension"),
            std::string::npos);
}

TEST(PadErrors, CircularWrappingTwiceIsRefused) {
  EXPECT_EQ(error_of([] {
              F::pad(zeros({1, 1, 4}), F::PadFuncOptions({5, 0}).mode(kCircular));
            }),
            "pad: Padding value causes wrapping around more than once: circular padding (5, 0) at dimension 2 of "
            "input [1, 1, 4] needs each pad <= 4");
}

TEST(PadErrors, OddPadLengthIsRefused) {
  EXPECT_EQ(error_of([] {
              F::pad(zeros({1, 4}), F::PadFuncOptions({1, 2, 3}));
            }),
            "pad: padding length must be divisible by 2, got 3 values [1, 2, 3]");
}

TEST(PadErrors, TooManyPairsForTheRankIsRefused) {
  EXPECT_NE(error_of([] {
              F::pad(zeros({4}), F::PadFuncOptions({1, 1, 1, 1}));
            }).find("padding length too large"),
            std::string::npos);
}

TEST(PadErrors, NonConstantModeOnAnUnsupportedRankSaysWhichRanksWork) {
  EXPECT_EQ(error_of([] {
              F::pad(zeros({4}), F::PadFuncOptions({1, 1}).mode(kReflect));
            }),
            "pad: reflect padding of 1 dimension needs a 2-D or 3-D input, got shape [4]");
}

TEST(PadErrors, ValueWithANonConstantModeIsRefused) {
  EXPECT_EQ(error_of([] {
              F::pad(zeros({1, 4}), F::PadFuncOptions({1, 1}).mode(kReflect).value(2));
            }),
            "pad: Padding mode \"reflect\" doesn't take in value argument, got value=2");
}

TEST(PadErrors, ConstantCropBelowZeroIsRefused) {
  EXPECT_NE(error_of([] {
              F::pad(zeros({1, 4}), F::PadFuncOptions({-3, -2}));
            }).find("gives a negative size -1"),
            std::string::npos);
}

TEST(PadGradcheck, EveryModeInOneAndTwoDimensions) {
  manual_seed(31);
  for (const PadMode mode : {kConstant, kReflect, kReplicate, kCircular}) {
    const Tensor x1 = randn({2, 3, 5}, kFloat64).requires_grad_();
    const auto r1 = autograd::gradcheck(
        [&](const std::vector<Tensor>& in) {
          return F::pad(in[0], F::PadFuncOptions({3, 2}).mode(mode));
        },
        {x1});
    EXPECT_TRUE(r1.ok) << pad_mode_name(mode) << ": " << r1.message;
    const Tensor x2 = randn({1, 2, 4, 5}, kFloat64).requires_grad_();
    const auto r2 = autograd::gradcheck(
        [&](const std::vector<Tensor>& in) {
          return F::pad(in[0], F::PadFuncOptions({1, 4, 3, 0}).mode(mode));
        },
        {x2});
    EXPECT_TRUE(r2.ok) << pad_mode_name(mode) << ": " << r2.message;
  }
}

TEST(Pad, ResultsAreBitIdenticalForAnyThreadCount) {
  manual_seed(32);
  Tensor x = randn({8, 16, 40, 40}).requires_grad_();
  const Tensor w = randn({8, 16, 46, 43});
  Tensor y1, g1;
  test::with_threads(1, [&] {
    y1 = F::pad(x, F::PadFuncOptions({1, 2, 3, 3}).mode(kReflect));
    (y1 * w).sum().backward();
    g1 = x.grad().clone();
  });
  test::with_threads(3, [&] {
    x.zero_grad();
    const Tensor y3 = F::pad(x, F::PadFuncOptions({1, 2, 3, 3}).mode(kReflect));
    (y3 * w).sum().backward();
    EXPECT_TRUE(test::bit_identical(y3, y1));
    EXPECT_TRUE(test::bit_identical(x.grad(), g1));
  });
}

}  // namespace
}  // namespace atrous
