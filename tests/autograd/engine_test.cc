// SPDX-License-Identifier: Apache-2.0
// Engine semantics: accumulation, retain_graph, no-grad, detach, freed graphs, non-scalar
// roots, diamonds, deep chains and in-place modification of saved tensors.
#include <cmath>

#include "atrous/autograd/grad_mode.h"
#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

Tensor leaf(std::vector<double> v) { return from_vector(std::move(v)).requires_grad_(); }

TEST(Engine, LeavesAndResultsKnowWhatTheyAre) {
  const Tensor x = leaf({1, 2});
  const Tensor y = x * 2.0;
  EXPECT_TRUE(x.is_leaf());
  EXPECT_FALSE(y.is_leaf());
  EXPECT_EQ(y.grad_fn()->name(), "MulBackward0");
  EXPECT_EQ(x.grad_fn(), nullptr);
  EXPECT_FALSE(x.grad().defined());  // until a backward reaches it
}

TEST(Engine, GradientsAccumulateAcrossBackwardCalls) {
  Tensor x = leaf({1, 2, 3});
  (x * x).sum().backward();
  (x * 3.0).sum().backward();
  EXPECT_EQ(value_at(x.grad(), 1), 2 * 2 + 3);
  x.zero_grad();
  EXPECT_EQ(value_at(x.grad(), 1), 0.0);
}

TEST(Engine, SecondBackwardThroughAFreedGraphIsAClearError) {
  const Tensor x = leaf({1, 2});
  const Tensor y = (x * x).sum();
  y.backward();
  try {
    y.backward();
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("backward through the graph a second time"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("retain_graph"), std::string::npos);
  }
}

TEST(Engine, RetainGraphAllowsASecondBackward) {
  const Tensor x = leaf({1, 2});
  const Tensor y = (x * x).sum();
  y.backward(Tensor(), /*retain_graph=*/true);
  y.backward();
  EXPECT_EQ(value_at(x.grad(), 1), 8.0);
}

TEST(Engine, BackwardOnNonScalarNeedsAGradient) {
  const Tensor x = leaf({1, 2});
  const Tensor y = x * 2.0;
  EXPECT_THROW(y.backward(), std::invalid_argument);
  y.backward(from_vector(std::vector<double>{1, 10}));
  EXPECT_EQ(value_at(x.grad(), 1), 20.0);
}

TEST(Engine, GradientOfTheWrongShapeIsRefused) {
  const Tensor x = leaf({1, 2});
  EXPECT_THROW((x * 2.0).backward(ones({3}, kFloat64)), std::invalid_argument);
}

TEST(Engine, BackwardOnATensorWithoutGraphIsRefused) {
  try {
    ones({1}).backward();
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("does not require grad"), std::string::npos);
  }
}

TEST(Engine, NoGradGuardRecordsNothing) {
  const Tensor x = leaf({1, 2});
  Tensor y;
  {
    const NoGradGuard guard;
    y = x * x;
  }
  EXPECT_FALSE(y.requires_grad());
  EXPECT_EQ(y.grad_fn(), nullptr);
  EXPECT_TRUE(GradMode::is_enabled());
}

TEST(Engine, DetachCutsTheGraphButSharesMemory) {
  const Tensor x = leaf({1, 2});
  const Tensor d = (x * 2.0).detach();
  EXPECT_FALSE(d.requires_grad());
  const Tensor y = (x * d).sum();
  y.backward();
  EXPECT_EQ(value_at(x.grad(), 1), 4.0);  // d is a constant: dy/dx = d
}

TEST(Engine, LeafGradientsNeverShareMemoryWithAGradientPassedToTwoInputs) {
  Tensor x = leaf({1, 2}), y = leaf({3, 4});
  (x + y).backward(from_vector(std::vector<double>{5, 6}));  // AddBackward hands one gradient to both
  Tensor gx = x.grad();
  gx.fill_(0.0);
  EXPECT_EQ(value_at(y.grad(), 0), 5.0);
}

TEST(Engine, LeafGradientNeverSharesMemoryWithTheCallersGradient) {
  Tensor x = leaf({1, 2});
  const Tensor g = from_vector(std::vector<double>{5, 6});
  (x + 1.0).backward(g);  // AddBackward passes g on unchanged
  Tensor gx = x.grad();
  gx.fill_(0.0);
  EXPECT_EQ(value_at(g, 1), 6.0);
}

TEST(Engine, DiamondSharedSubexpressionsAccumulate) {
  const Tensor x = leaf({3});
  const Tensor a = x * 2.0;
  const Tensor y = (a * a + a.exp()).sum();  // dy/dx = 2 * (2a + e^a)
  y.backward();
  EXPECT_NEAR(value_at(x.grad(), 0), 2 * (2 * 6 + std::exp(6.0)), 1e-9);
}

TEST(Engine, SameLeafUsedTwiceInOneOpGetsBothContributions) {
  const Tensor x = leaf({5});
  (x * x).sum().backward();
  EXPECT_EQ(value_at(x.grad(), 0), 10.0);
}

TEST(Engine, DeepChainOfTenThousandOpsNeitherOverflowsNorLeaks) {
  const Tensor x = leaf({1.0});
  std::weak_ptr<autograd::Node> first;
  {
    Tensor y = x;
    for (int i = 0; i < 10000; ++i) {
      y = y * 1.0001;
      if (i == 0) first = y.grad_fn();
    }
    y.sum().backward();
    EXPECT_NEAR(value_at(x.grad(), 0), std::pow(1.0001, 10000), 1e-9);
    EXPECT_FALSE(first.expired());
  }
  EXPECT_TRUE(first.expired());  // the whole chain was freed when its last tensor went away
}

TEST(Engine, DeepGraphDroppedWithoutBackwardIsFreed) {
  std::weak_ptr<autograd::Node> first;
  {
    Tensor y = leaf({1.0});
    for (int i = 0; i < 100000; ++i) {
      y = y + 1.0;
      if (i == 0) first = y.grad_fn();
    }
  }
  EXPECT_TRUE(first.expired());
}

TEST(Engine, RetainedGraphIsFreedWhenItsOutputIsDropped) {
  std::weak_ptr<autograd::Node> node;
  const Tensor x = leaf({1.0, 2.0});
  {
    const Tensor y = (x * x).sum();
    node = y.grad_fn();
    y.backward({}, true);
    y.backward({}, true);
  }
  EXPECT_TRUE(node.expired());
  EXPECT_EQ(x.grad().sizes(), (Shape{2}));
}

TEST(Engine, GraphBuiltBeforeAnExceptionIsFreed) {
  std::weak_ptr<autograd::Node> node;
  const Tensor x = leaf({1.0, 2.0});
  try {
    const Tensor y = x * 3.0;
    node = y.grad_fn();
    (void)y.matmul(ones({3}, kFloat64));  // (2) @ (3): refused mid-"forward"
    FAIL() << "matmul of mismatched vectors must throw";
  } catch (const std::invalid_argument&) {
  }
  EXPECT_TRUE(node.expired());
}

TEST(Engine, ModifyingASavedTensorInPlaceIsDetected) {
  const Tensor x = leaf({1, 2});
  Tensor w = from_vector(std::vector<double>{3, 4});
  const Tensor y = (x * w).sum();
  w.fill_(0.0);
  try {
    y.backward();
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("modified by an in-place operation"), std::string::npos) << e.what();
  }
}

TEST(Engine, InPlaceOnALeafThatRequiresGradIsRefusedOutsideNoGrad) {
  Tensor x = leaf({1, 2});
  EXPECT_THROW(x.fill_(0), std::runtime_error);
  EXPECT_THROW(x.add_(ones({2}, kFloat64)), std::runtime_error);
  {
    const NoGradGuard guard;
    x.add_(ones({2}, kFloat64), -0.5);  // an optimizer step
  }
  EXPECT_EQ(value_at(x, 1), 1.5);
}

TEST(Engine, RequiresGradOnInt64IsRefused) {
  Tensor i = arange(3);
  EXPECT_THROW(i.requires_grad_(), std::invalid_argument);
}

TEST(Engine, GradientsFlowOnlyIntoInputsThatRequireIt) {
  const Tensor x = leaf({1, 2});
  const Tensor c = from_vector(std::vector<double>{3, 4});
  (x * c).sum().backward();
  EXPECT_TRUE(x.grad().defined());
  EXPECT_FALSE(c.grad().defined());
}

TEST(Engine, BranchThatDoesNotReachTheRootIsIgnored) {
  const Tensor x = leaf({1, 2});
  const Tensor unused = x.exp();
  (x * 2.0).sum().backward();
  EXPECT_EQ(value_at(x.grad(), 0), 2.0);
  EXPECT_TRUE(unused.requires_grad());
}

TEST(Engine, IntegerResultsDoNotRequireGrad) {
  const Tensor x = leaf({1, 5, 2});
  EXPECT_FALSE(x.argmax().requires_grad());
  EXPECT_FALSE(std::get<1>(x.max(0)).requires_grad());
}

TEST(Engine, ABackwardReturningTooFewGradientsRaisesNamingTheFunction) {
  const Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
  const Tensor y =
      autograd::record("MyBackward", {a, b}, ones({2}), [](const Tensor& g) { return std::vector<Tensor>{g}; });
  try {
    y.sum().backward();
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("MyBackward returned an incorrect number of gradients (expected 2, got 1)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Engine, AGradientOfAnotherDtypeIsConvertedToTheInputsDtype) {
  const Tensor a = ones({2}).requires_grad_();
  const Tensor y = autograd::record("MyBackward", {a}, ones({2}),
                                    [](const Tensor& g) { return std::vector<Tensor>{native::to(g, kFloat64)}; });
  y.sum().backward();
  EXPECT_TRUE(test::bit_identical(a.grad(), ones({2})));  // float32, as PyTorch casts
}

}  // namespace
}  // namespace atrous
