// SPDX-License-Identifier: Apache-2.0
// Modules and containers: PyTorch's dotted parameter names and printed form, train/eval,
// apply, zero_grad, dropout and the schedulers' learning rates.
#include <cmath>
#include <numbers>
#include <sstream>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/container.h"
#include "atrous/layers/modules/activation.h"
#include "atrous/layers/modules/batchnorm.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/layers/modules/dropout.h"
#include "atrous/layers/modules/linear.h"
#include "atrous/layers/modules/pooling.h"
#include "atrous/layers/optim/optimizer.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

nn::Sequential small_cnn() {
  return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, 4, 3).padding(1)), nn::BatchNorm2d(4), nn::ReLU(),
                        nn::MaxPool2d(nn::MaxPool2dOptions(2)), nn::Flatten(), nn::Dropout(0.5),
                        nn::Linear(4 * 4 * 4, 10));
}

TEST(Sequential, ParametersAndBuffersHavePyTorchsDottedNames) {
  const nn::Sequential net = small_cnn();
  std::vector<std::string> names;
  for (const auto& [n, t] : net->named_parameters()) names.push_back(n);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias", "6.weight", "6.bias"}));
  std::vector<std::string> buffers;
  for (const auto& [n, t] : net->named_buffers()) buffers.push_back(n);
  EXPECT_EQ(buffers, (std::vector<std::string>{"1.running_mean", "1.running_var", "1.num_batches_tracked"}));
}

TEST(Sequential, NestedContainersJoinNamesWithDots) {
  nn::Sequential features(nn::Linear(2, 3), nn::ReLU());
  nn::Sequential net(features, nn::Linear(3, 1));
  EXPECT_EQ(net->named_parameters().keys()[0], "0.0.weight");
  EXPECT_EQ(net->named_parameters().keys()[2], "1.weight");
}

TEST(Sequential, PrintsLikePyTorch) {
  nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(1, 4, 3).padding(1)), nn::ReLU(),
                     nn::MaxPool2d(nn::MaxPool2dOptions(2)), nn::Flatten(), nn::Dropout(0.5), nn::Linear(64, 10));
  std::ostringstream os;
  os << *net;
  EXPECT_EQ(os.str(),
            "Sequential(\n"
            "  (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"
            "  (1): ReLU()\n"
            "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
            "  (3): Flatten(start_dim=1, end_dim=-1)\n"
            "  (4): Dropout(p=0.5, inplace=False)\n"
            "  (5): Linear(in_features=64, out_features=10, bias=True)\n"
            ")");
}

TEST(Sequential, ForwardChainsEveryModule) {
  manual_seed(1);
  nn::Sequential net = small_cnn();
  net->eval();
  EXPECT_EQ(net(randn({2, 1, 8, 8})).sizes(), (Shape{2, 10}));
}

TEST(Module, TrainAndEvalReachEveryChild) {
  nn::Sequential net = small_cnn();
  net->eval();
  for (const auto& child : net->children()) EXPECT_FALSE(child->is_training());
  net->train();
  for (const auto& child : net->children()) EXPECT_TRUE(child->is_training());
}

TEST(Module, ApplyVisitsParentsFirst) {
  nn::Sequential net = small_cnn();
  std::vector<std::string> seen;
  net->apply([&](nn::Module& m) { seen.push_back(m.name()); });
  ASSERT_EQ(seen.size(), 8u);
  EXPECT_EQ(seen[0], "Sequential");
  EXPECT_EQ(seen[1], "Conv2d");
}

TEST(Module, ZeroGradZeroesEveryParameter) {
  manual_seed(2);
  nn::Sequential net(nn::Linear(3, 2), nn::Tanh());
  net(randn({4, 3})).sum().backward();
  net->zero_grad();
  for (const Tensor& p : net->parameters()) EXPECT_EQ(p.grad().abs().sum().item<double>(), 0.0);
}

TEST(Dropout, ZeroesAboutPAndScalesTheRestWhileTraining) {
  manual_seed(3);
  nn::Dropout drop(0.25);
  const Tensor y = drop(ones({100000}));
  const double zeros_fraction = 1.0 - y.eq(zeros({100000})).to(kFloat64).mean().item<double>();
  EXPECT_NEAR(1.0 - zeros_fraction, 0.25, 0.01);  // 4 sigma of a binomial(1e5, 0.25)
  EXPECT_NEAR(y.max().item<double>(), 1.0 / 0.75, 1e-6);
  drop->eval();
  EXPECT_TRUE(test::bit_identical(drop(ones({10})), ones({10})));
}

TEST(Dropout, InvalidProbabilityIsRefused) { EXPECT_THROW(nn::Dropout(1.5), std::invalid_argument); }

TEST(Linear, ShapeMismatchNamesInFeatures) {
  nn::Linear fc(4, 2);
  try {
    fc(ones({3, 5}));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "Linear: expected input with last dimension 4 (in_features), got shape [3, 5]");
  }
}

TEST(Schedulers, StepLrDecaysEveryStepSizeEpochs) {
  Tensor p = zeros({1}).requires_grad_();
  optim::SGD opt({p}, optim::SGDOptions(1.0));
  optim::StepLR sched(opt, 2, 0.5);
  std::vector<double> lrs;
  for (int e = 0; e < 5; ++e) {
    sched.step();
    lrs.push_back(opt.lr());
  }
  EXPECT_EQ(lrs, (std::vector<double>{1.0, 0.5, 0.5, 0.25, 0.25}));
}

TEST(Schedulers, CosineAnnealingFollowsTheHalfCosine) {
  Tensor p = zeros({1}).requires_grad_();
  optim::Adam opt({p}, optim::AdamOptions(0.1));
  optim::CosineAnnealingLR sched(opt, 10, 0.001);
  for (int e = 1; e <= 10; ++e) {
    sched.step();
    EXPECT_NEAR(opt.lr(), 0.001 + (0.1 - 0.001) * (1 + std::cos(std::numbers::pi * e / 10)) / 2, 1e-15);
  }
  EXPECT_NEAR(opt.lr(), 0.001, 1e-15);
}

TEST(Optimizers, InvalidHyperparametersAreRefused) {
  Tensor p = zeros({1}).requires_grad_();
  EXPECT_THROW(optim::SGD({p}, optim::SGDOptions(-1.0)), std::invalid_argument);
  EXPECT_THROW(optim::SGD({p}, optim::SGDOptions(0.1).nesterov(true)), std::invalid_argument);
  EXPECT_THROW(optim::Adam({p}, optim::AdamOptions(0.1).betas({1.0, 0.9})), std::invalid_argument);
}

}  // namespace
}  // namespace atrous
