// SPDX-License-Identifier: Apache-2.0
// Pooling, BatchNorm, losses and optimizers against PyTorch 1.13 (tools/gen_golden_layers.py).
#include <algorithm>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/container.h"
#include "atrous/layers/functional/loss.h"
#include "atrous/layers/functional/pooling.h"
#include "atrous/layers/modules/activation.h"
#include "atrous/layers/modules/batchnorm.h"
#include "atrous/layers/modules/linear.h"
#include "atrous/layers/optim/optimizer.h"
#include "atrous/layers/serialize.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/io/npy.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace F = nn::functional;

Tensor load(const std::string& name) { return load_npy(test::golden_path("layers/" + name + ".npy")); }

// Checks fn's output and input gradient against the golden files name_{x,y,g,gx}.
void check_unary(const std::string& name, const std::function<Tensor(const Tensor&)>& fn) {
  Tensor x = load(name + "_x").requires_grad_();
  const Tensor y = fn(x);
  EXPECT_TRUE(test::all_close(y, load(name + "_y"), 1e-12, 1e-12)) << name << " output";
  y.backward(load(name + "_g"));
  EXPECT_TRUE(test::all_close(x.grad(), load(name + "_gx"), 1e-12, 1e-12)) << name << " gradient";
}

TEST(PoolingGolden, MaxPool2dMatchesPyTorch) {
  check_unary("maxpool2d_k2", [](const Tensor& x) { return F::max_pool2d(x, nn::MaxPool2dOptions(2)); });
  check_unary("maxpool2d_k3_s2_p1",
              [](const Tensor& x) { return F::max_pool2d(x, nn::MaxPool2dOptions(3).stride(2).padding(1)); });
  check_unary("maxpool2d_ceil",
              [](const Tensor& x) { return F::max_pool2d(x, nn::MaxPool2dOptions(3).stride(2).ceil_mode(true)); });
  check_unary("maxpool2d_dilated", [](const Tensor& x) {
    return F::max_pool2d(x, nn::MaxPool2dOptions({2, 3}).stride({1, 2}).padding(1).dilation(2));
  });
}

TEST(PoolingGolden, AvgPool2dMatchesPyTorch) {
  check_unary("avgpool2d_k2", [](const Tensor& x) { return F::avg_pool2d(x, nn::AvgPool2dOptions(2)); });
  check_unary("avgpool2d_p1_include",
              [](const Tensor& x) { return F::avg_pool2d(x, nn::AvgPool2dOptions(3).stride(2).padding(1)); });
  check_unary("avgpool2d_p1_exclude", [](const Tensor& x) {
    return F::avg_pool2d(x, nn::AvgPool2dOptions(3).stride(2).padding(1).count_include_pad(false));
  });
  check_unary("avgpool2d_ceil", [](const Tensor& x) {
    return F::avg_pool2d(x, nn::AvgPool2dOptions(3).stride(2).padding(1).ceil_mode(true));
  });
}

TEST(PoolingGolden, AdaptiveAvgPool2dMatchesPyTorch) {
  check_unary("adaptiveavg_1x1",
              [](const Tensor& x) { return F::adaptive_avg_pool2d(x, nn::AdaptiveAvgPool2dOptions(1)); });
  check_unary("adaptiveavg_3x2", [](const Tensor& x) {
    return F::adaptive_avg_pool2d(x, nn::AdaptiveAvgPool2dOptions({3, 2}));
  });
}

TEST(PoolingGolden, OneDimensionalPoolingMatchesPyTorch) {
  check_unary("maxpool1d_k3_s2",
              [](const Tensor& x) { return F::max_pool1d(x, nn::MaxPool1dOptions(3).stride(2).padding(1)); });
  check_unary("avgpool1d_k4_s3", [](const Tensor& x) { return F::avg_pool1d(x, nn::AvgPool1dOptions(4).stride(3)); });
}

TEST(BatchNormGolden, TrainingStepsAndEvalMatchPyTorch) {
  nn::BatchNorm2d bn(nn::BatchNormOptions(3).momentum(0.2));
  bn->to(kFloat64);
  {
    const NoGradGuard no_grad;
    bn->weight.copy_(load("bn_weight"));
    bn->bias.copy_(load("bn_bias"));
  }
  for (int step = 0; step < 2; ++step) {
    const std::string base = "bn_train" + std::to_string(step);
    Tensor x = load(base + "_x").requires_grad_();
    const Tensor y = bn(x);
    EXPECT_TRUE(test::all_close(y, load(base + "_y"), 1e-12, 1e-12)) << base;
    y.backward(load(base + "_g"));
    EXPECT_TRUE(test::all_close(x.grad(), load(base + "_gx"), 1e-11, 1e-11)) << base;
  }
  EXPECT_TRUE(test::all_close(bn->weight.grad(), load("bn_gweight"), 1e-11, 1e-11));
  EXPECT_TRUE(test::all_close(bn->bias.grad(), load("bn_gbias"), 1e-11, 1e-11));
  EXPECT_TRUE(test::all_close(bn->running_mean, load("bn_running_mean"), 1e-12, 1e-12));
  EXPECT_TRUE(test::all_close(bn->running_var, load("bn_running_var"), 1e-12, 1e-12));
  EXPECT_EQ(bn->num_batches_tracked.item<std::int64_t>(), 2);
  bn->eval();
  EXPECT_TRUE(test::all_close(bn(load("bn_eval_x")), load("bn_eval_y"), 1e-12, 1e-12));
}

void check_loss(const std::string& name, const std::function<Tensor(const Tensor&)>& fn,
                const std::string& input = "logits") {
  Tensor x = load(input).requires_grad_();
  const Tensor y = fn(x);
  EXPECT_TRUE(test::all_close(y, load(name + "_y"), 1e-12, 1e-12)) << name;
  y.backward(load(name + "_g"));
  EXPECT_TRUE(test::all_close(x.grad(), load(name + "_gx"), 1e-12, 1e-12)) << name << " gradient";
}

TEST(LossGolden, CrossEntropyInEveryReduction) {
  const Tensor t = load("target");
  check_loss("ce_mean", [&](const Tensor& x) { return F::cross_entropy(x, t); });
  check_loss("ce_sum", [&](const Tensor& x) { return F::cross_entropy(x, t, kSum); });
  check_loss("ce_none", [&](const Tensor& x) { return F::cross_entropy(x, t, kNone); });
}

TEST(LossGolden, CrossEntropyWithLabelSmoothingAndIgnoreIndex) {
  check_loss("ce_smooth", [&](const Tensor& x) { return F::cross_entropy(x, load("target"), kMean, 0.1); });
  check_loss("ce_ignore", [&](const Tensor& x) { return F::cross_entropy(x, load("target_ignore")); });
  check_loss("ce_ignore_smooth",
             [&](const Tensor& x) { return F::cross_entropy(x, load("target_ignore"), kMean, 0.2); });
}

TEST(LossGolden, NllMseL1AndBceWithLogits) {
  const Tensor soft = load("logits").tanh();
  check_loss("nll_mean", [&](const Tensor& x) { return F::nll_loss(x.log_softmax(1), load("target")); });
  check_loss("mse_mean", [&](const Tensor& x) { return F::mse_loss(x, soft); });
  check_loss("mse_sum", [&](const Tensor& x) { return F::mse_loss(x, soft, kSum); });
  check_loss("l1_mean", [&](const Tensor& x) { return F::l1_loss(x, soft); });
  check_loss("bce_logits", [&](const Tensor& x) {
    return F::binary_cross_entropy_with_logits(x * 10.0, (load("logits") * 3.0).sigmoid());
  });
}

// The losses of weighted_and_new_losses() in tools/gen_golden_layers.py, on their own input.
void check_loss2(const std::string& name, const std::function<Tensor(const Tensor&)>& fn) {
  check_loss("loss2_" + name, fn, "loss2_x");
}

TEST(LossGolden, ClassWeightedNllAndCrossEntropy) {
  const Tensor w = load("loss2_weight");
  check_loss2("nll_weighted", [&](const Tensor& x) {
    return F::nll_loss(x.log_softmax(1), load("loss2_target_ignore"), F::NLLLossFuncOptions().weight(w));
  });
  check_loss2("nll_weighted_sum", [&](const Tensor& x) {
    return F::nll_loss(x.log_softmax(1), load("loss2_target"), F::NLLLossFuncOptions().weight(w).reduction(kSum));
  });
  check_loss2("ce_weighted", [&](const Tensor& x) {
    return F::cross_entropy(x, load("loss2_target"), F::CrossEntropyFuncOptions().weight(w));
  });
}

TEST(LossGolden, BinaryCrossEntropyOnProbabilitiesAndWithPosWeight) {
  const Tensor p = load("loss2_probs"), w = load("loss2_bce_weight");
  check_loss2("bce", [&](const Tensor& x) { return F::binary_cross_entropy(x.sigmoid(), p, w); });
  check_loss2("bce_pos_weight", [&](const Tensor& x) {
    return F::binary_cross_entropy_with_logits(
        x, p, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(load("loss2_pos_weight")).weight(w));
  });
}

TEST(LossGolden, SmoothL1HuberAndKlDivergence) {
  const Tensor other = load("loss2_other");
  check_loss2("smooth_l1",
              [&](const Tensor& x) { return F::smooth_l1_loss(x, other, F::SmoothL1LossFuncOptions().beta(0.5)); });
  check_loss2("huber",
              [&](const Tensor& x) { return F::huber_loss(x, other, F::HuberLossFuncOptions(kSum).delta(0.7)); });
  check_loss2("kl_batchmean", [&](const Tensor& x) {
    return F::kl_div(x.log_softmax(1), other.softmax(1), F::KLDivFuncOptions(kBatchMean));
  });
  check_loss2("kl_log_target", [&](const Tensor& x) {
    return F::kl_div(x.log_softmax(1), other.log_softmax(1), F::KLDivFuncOptions(kNone).log_target(true));
  });
}

TEST(LossErrors, TargetOutOfRangeNamesSampleAndClassCount) {
  try {
    F::cross_entropy(load("logits"), from_vector(std::vector<std::int64_t>{0, 1, 2, 9, 0, 0}));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "nll_loss: target 9 of sample 3 is out of bounds for 5 classes (expected 0 <= target < 5, "
                 "or ignore_index -100)");
  }
  EXPECT_THROW(F::cross_entropy(load("logits"), load("logits")), std::invalid_argument);
  EXPECT_THROW(F::mse_loss(load("logits"), load("target").to(kFloat64)), std::invalid_argument);
}

// The MLP of the PyTorch script, with its initial weights from the safetensors file PyTorch wrote.
nn::Sequential mlp() {
  nn::Sequential net(nn::Linear(4, 8), nn::Tanh(), nn::Linear(8, 3));
  atrous::load(*net, test::golden_path("layers/opt_init.safetensors"));
  return net;
}

void check_trajectory(const std::string& name,
                      const std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>& make) {
  nn::Sequential net = mlp();
  const auto opt = make(net->parameters());
  const Tensor x = load("opt_x"), y = load("opt_y"), losses = load("opt_" + name + "_losses");
  for (std::int64_t step = 0; step < 20; ++step) {
    opt->zero_grad();
    const Tensor loss = F::cross_entropy(net(x), y);
    loss.backward();
    opt->step();
    EXPECT_NEAR(loss.item<double>(), value_at(losses, step), 1e-5 * std::abs(value_at(losses, step)))
        << name << " step " << step;
  }
  for (auto& [pname, p] : net->named_parameters()) {
    std::string file = pname;
    std::replace(file.begin(), file.end(), '.', '_');
    EXPECT_TRUE(test::all_close(p, load("opt_" + name + "_final_" + file), 1e-5, 1e-6)) << name << " " << pname;
  }
}

TEST(OptimizerGolden, SgdWithNesterovMomentumAndWeightDecay) {
  check_trajectory("sgd", [](std::vector<Tensor> ps) {
    return std::make_unique<optim::SGD>(std::move(ps),
                                        optim::SGDOptions(0.1).momentum(0.9).nesterov(true).weight_decay(0.01));
  });
}

TEST(OptimizerGolden, SgdWithDampening) {
  check_trajectory("sgd_dampening", [](std::vector<Tensor> ps) {
    return std::make_unique<optim::SGD>(std::move(ps), optim::SGDOptions(0.05).momentum(0.8).dampening(0.3));
  });
}

TEST(OptimizerGolden, AdamWithWeightDecay) {
  check_trajectory("adam", [](std::vector<Tensor> ps) {
    return std::make_unique<optim::Adam>(std::move(ps), optim::AdamOptions(0.01).weight_decay(0.001));
  });
}

TEST(OptimizerGolden, AdamW) {
  check_trajectory("adamw", [](std::vector<Tensor> ps) {
    return std::make_unique<optim::AdamW>(std::move(ps), optim::AdamWOptions(0.01));
  });
}

}  // namespace
}  // namespace atrous
