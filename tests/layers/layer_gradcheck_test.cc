// SPDX-License-Identifier: Apache-2.0
// Float64 gradcheck of every layer and loss with respect to its inputs and parameters.
#include "atrous/autograd/gradcheck.h"
#include "atrous/autograd/ops/batch_norm.h"
#include "atrous/layers/functional/loss.h"
#include "atrous/layers/functional/pooling.h"
#include "atrous/layers/modules/activation.h"
#include "atrous/layers/modules/batchnorm.h"
#include "atrous/layers/modules/linear.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace F = nn::functional;
using Inputs = std::vector<Tensor>;

void expect_gradcheck(const std::function<Tensor(const Inputs&)>& fn, const std::vector<Shape>& shapes,
                      const std::string& what) {
  manual_seed(std::hash<std::string>{}(what));
  Inputs inputs;
  for (const Shape& s : shapes) inputs.push_back(randn(s, kFloat64).requires_grad_());
  const auto r = autograd::gradcheck(fn, inputs);
  EXPECT_TRUE(r.ok) << what << ": " << r.message;
}

TEST(LayerGradcheck, Pooling) {
  expect_gradcheck([](const Inputs& x) { return F::max_pool2d(x[0], nn::MaxPool2dOptions(3).stride(2).padding(1)); },
                   {{1, 2, 5, 6}}, "max_pool2d");
  expect_gradcheck(
      [](const Inputs& x) { return F::avg_pool2d(x[0], nn::AvgPool2dOptions(3).stride(2).padding(1).ceil_mode(true)); },
      {{1, 2, 5, 6}}, "avg_pool2d");
  expect_gradcheck(
      [](const Inputs& x) { return F::avg_pool2d(x[0], nn::AvgPool2dOptions(2).padding(1).count_include_pad(false)); },
      {{1, 2, 4, 5}}, "avg_pool2d exclude pad");
  expect_gradcheck(
      [](const Inputs& x) {
        return F::adaptive_avg_pool2d(x[0], nn::AdaptiveAvgPool2dOptions({2, 3}));
      },
      {{2, 1, 5, 7}}, "adaptive_avg_pool2d");
  expect_gradcheck([](const Inputs& x) { return F::max_pool1d(x[0], nn::MaxPool1dOptions(2)); }, {{2, 3, 8}},
                   "max_pool1d");
}

TEST(LayerGradcheck, LinearWithInputWeightAndBias) {
  expect_gradcheck([](const Inputs& x) { return x[0].matmul(x[1].t()) + x[2]; }, {{3, 4}, {2, 4}, {2}}, "linear");
}

TEST(LayerGradcheck, BatchNormInTrainingMode) {
  nn::BatchNorm2d bn(3);
  bn->to(kFloat64);
  expect_gradcheck([&](const Inputs& x) { return bn(x[0]); }, {{3, 3, 2, 2}}, "batch_norm");
}

TEST(LayerGradcheck, FusedBatchNormForInputWeightAndBiasWithBatchStatistics) {
  for (const Shape& shape : {Shape{4, 3}, Shape{2, 3, 5}, Shape{2, 3, 2, 3}}) {
    expect_gradcheck([](const Inputs& x) { return autograd::batch_norm(x[0], x[1], x[2], {}, {}, true, 1e-5).output; },
                     {shape, {3}, {3}}, "batch_norm train " + shape_str(shape));
  }
}

TEST(LayerGradcheck, FusedBatchNormWithRunningStatisticsAndWithoutAffine) {
  const Tensor mean = randn({3}, kFloat64), var = rand({3}, kFloat64) + 0.5;
  expect_gradcheck(
      [&](const Inputs& x) { return autograd::batch_norm(x[0], x[1], x[2], mean, var, false, 1e-5).output; },
      {{2, 3, 4}, {3}, {3}}, "batch_norm eval");
  expect_gradcheck([](const Inputs& x) { return autograd::batch_norm(x[0], {}, {}, {}, {}, true, 1e-5).output; },
                   {{2, 3, 4}}, "batch_norm without affine");
}

TEST(LayerGradcheck, LeakyReLU) {
  nn::LeakyReLU act(nn::LeakyReLUOptions().negative_slope(0.2));
  expect_gradcheck([&](const Inputs& x) { return act(x[0]); }, {{4, 5}}, "leaky_relu");
}

TEST(LayerGradcheck, EveryLoss) {
  const Tensor target = from_vector(std::vector<std::int64_t>{1, 0, 3});
  expect_gradcheck([&](const Inputs& x) { return F::cross_entropy(x[0], target); }, {{3, 4}}, "cross_entropy");
  expect_gradcheck([&](const Inputs& x) { return F::cross_entropy(x[0], target, kSum, 0.3); }, {{3, 4}},
                   "cross_entropy smoothed");
  expect_gradcheck([&](const Inputs& x) { return F::nll_loss(x[0], target, kNone); }, {{3, 4}}, "nll_loss");
  expect_gradcheck([](const Inputs& x) { return F::mse_loss(x[0], x[1]); }, {{3, 4}, {3, 4}}, "mse_loss");
  expect_gradcheck([](const Inputs& x) { return F::l1_loss(x[0], x[1], kSum); }, {{3, 4}, {3, 4}}, "l1_loss");
  expect_gradcheck([](const Inputs& x) { return F::binary_cross_entropy_with_logits(x[0], x[1].sigmoid()); },
                   {{3, 4}, {3, 4}}, "bce_with_logits");
}

TEST(LayerGradcheck, WeightedAndNewLosses) {
  const Tensor target = from_vector(std::vector<std::int64_t>{1, 0, 3});
  const Tensor weight = from_vector(std::vector<double>{0.5, 2.0, 1.0, 3.0});
  expect_gradcheck([&](const Inputs& x) { return F::nll_loss(x[0], target, F::NLLLossFuncOptions().weight(weight)); },
                   {{3, 4}}, "nll_loss weighted");
  expect_gradcheck(
      [&](const Inputs& x) { return F::cross_entropy(x[0], target, F::CrossEntropyFuncOptions().weight(weight)); },
      {{3, 4}}, "cross_entropy weighted");
  expect_gradcheck([](const Inputs& x) { return F::binary_cross_entropy(x[0].sigmoid(), x[1].sigmoid(), x[2]); },
                   {{3, 4}, {3, 4}, {4}}, "binary_cross_entropy");
  expect_gradcheck(
      [](const Inputs& x) {
        return F::binary_cross_entropy_with_logits(
            x[0], x[1].sigmoid(), F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(x[2].exp()).weight(x[3]));
      },
      {{3, 4}, {3, 4}, {4}, {4}}, "bce_with_logits pos_weight");
  expect_gradcheck(
      [](const Inputs& x) { return F::smooth_l1_loss(x[0], x[1], F::SmoothL1LossFuncOptions().beta(0.7)); },
      {{3, 4}, {3, 4}}, "smooth_l1_loss");
  expect_gradcheck([](const Inputs& x) { return F::huber_loss(x[0], x[1], F::HuberLossFuncOptions().delta(0.7)); },
                   {{3, 4}, {3, 4}}, "huber_loss");
  expect_gradcheck(
      [](const Inputs& x) { return F::kl_div(x[0].log_softmax(1), x[1].softmax(1), F::KLDivFuncOptions(kBatchMean)); },
      {{3, 4}, {3, 4}}, "kl_div");
  expect_gradcheck(
      [](const Inputs& x) {
        return F::kl_div(x[0].log_softmax(1), x[1].log_softmax(1), F::KLDivFuncOptions(kSum).log_target(true));
      },
      {{3, 4}, {3, 4}}, "kl_div log_target");
}

}  // namespace
}  // namespace atrous
