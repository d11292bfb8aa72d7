// SPDX-License-Identifier: Apache-2.0
// summary(): shapes, parameter and multiply-add counts, and receptive fields of VGG-, ResNet-
// and WaveNet-like stacks against hand-computed values.
#include "atrous/layers/utils/summary.h"

#include <sstream>

#include "atrous/layers/container.h"
#include "atrous/layers/functional/pooling.h"
#include "atrous/layers/modules/activation.h"
#include "atrous/layers/modules/batchnorm.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/layers/modules/linear.h"
#include "atrous/layers/modules/pooling.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

// The columns of layer `name` ("0", "1.3", …) that follow its output shape.
struct Cols {
  std::string params, macs, rf, jump, start;
};

Cols row(const std::string& table, const std::string& name) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(']') + 1));
    Cols c;
    words >> c.params >> c.macs >> c.rf >> c.jump >> c.start;
    return c;
  }
  ADD_FAILURE() << "no row " << name << " in\n" << table;
  return {};
}

TEST(Summary, VggStackReceptiveFieldsMatchTheChapter) {
  nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(1, 8, 3).padding(1)), nn::ReLU(),
                     nn::Conv2d(nn::Conv2dOptions(8, 8, 3).padding(1)), nn::ReLU(),
                     nn::MaxPool2d(nn::MaxPool2dOptions(2)), nn::Conv2d(nn::Conv2dOptions(8, 16, 3).padding(1)),
                     nn::Conv2d(nn::Conv2dOptions(16, 16, 3).padding(1)), nn::Flatten(), nn::Linear(16 * 14 * 14, 10));
  const std::string table = utils::summary(net, {1, 1, 28, 28});
  // conv3, conv3, pool2, conv3, conv3: 3, 5, 6, 10, 14 (the chapter's quick check), jump 2 after the pool.
  EXPECT_EQ(row(table, "0").rf, "3");
  EXPECT_EQ(row(table, "2").rf, "5");
  EXPECT_EQ(row(table, "4").rf, "6");
  EXPECT_EQ(row(table, "4").jump, "2");
  EXPECT_EQ(row(table, "4").start, "0.5");
  EXPECT_EQ(row(table, "6").rf, "14");
  EXPECT_EQ(row(table, "8").rf, "-");
  EXPECT_NE(table.find("0 Conv2d               [1, 8, 28, 28]"), std::string::npos) << table;
  EXPECT_EQ(row(table, "0").params, "80");                                    // 8·1·9 + 8 parameters
  EXPECT_EQ(row(table, "0").macs, "56,448");                                  // 8·28·28 outputs × 9 multiply-adds
  EXPECT_EQ(row(table, "8").macs, "31,360");                                  // 10 outputs × 3136 inputs
  EXPECT_NE(table.find("Total params: 35,522"), std::string::npos) << table;  // 80 + 584 + 1,168 + 2,320 + 31,370
}

TEST(Summary, ResNetStemAndDownsamplingReceptiveFields) {
  nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(3, 8, 7).stride(2).padding(3)), nn::BatchNorm2d(8), nn::ReLU(),
                     nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1)),
                     nn::Sequential(nn::Conv2d(nn::Conv2dOptions(8, 8, 3).padding(1)), nn::ReLU(),
                                    nn::Conv2d(nn::Conv2dOptions(8, 8, 3).padding(1))),
                     nn::Conv2d(nn::Conv2dOptions(8, 16, 3).stride(2).padding(1)));
  const std::string table = utils::summary(net, {2, 3, 64, 64});
  // 7 (jump 2), pool: 7 + 2·2 = 11 (jump 4), two 3×3: 19, 27, strided 3×3: 35 (jump 8).
  EXPECT_EQ(row(table, "0").rf, "7");
  EXPECT_EQ(row(table, "3").rf, "11");
  EXPECT_EQ(row(table, "4.2").rf, "27");
  EXPECT_EQ(row(table, "5").rf, "35");
  EXPECT_EQ(row(table, "5").jump, "8");
}

TEST(Summary, WaveNetStackDoublesToTwelveHundredTwentyFour) {
  nn::Sequential net;
  for (int l = 0; l < 10; ++l) {
    net->push_back(nn::Conv1d(nn::Conv1dOptions(4, 4, 2).dilation(std::int64_t{1} << l).padding(kCausal)));
  }
  const std::string table = utils::summary(net, {1, 4, 2048});
  for (int l = 0; l < 10; ++l) EXPECT_EQ(row(table, std::to_string(l)).rf, std::to_string(2 << l)) << l;
  EXPECT_EQ(row(table, "9").start, "-511.5");  // causal: unit 0's window [-1023, 0] is centred at -511.5
}

TEST(Summary, ACustomModuleIsOneRowWithAllItsParameters) {
  nn::Linear fc(6, 4);
  const std::string table = utils::summary(fc, {2, 6});
  EXPECT_EQ(row(table, " Linear").params, "28");  // the top-level row has no index: 6·4 + 4
  EXPECT_NE(table.find("[2, 4]"), std::string::npos) << table;
  EXPECT_NE(table.find("Total params: 28"), std::string::npos) << table;
}

// A residual block: conv3x3 → conv3x3 plus a 1×1 shortcut.
class ResidualImpl : public nn::Module {
 public:
  ResidualImpl() : nn::Module("Residual") {
    a = register_module("a", nn::Conv2d(nn::Conv2dOptions(2, 2, 3).padding(1)));
    b = register_module("b", nn::Conv2d(nn::Conv2dOptions(2, 2, 3).padding(1)));
    skip = register_module("skip", nn::Conv2d(nn::Conv2dOptions(2, 2, 1)));
  }
  Tensor forward(const Tensor& x) { return b(a(x)) + skip(x); }
  nn::Conv2d a{nullptr}, b{nullptr}, skip{nullptr};
};
class Residual : public nn::ModuleHolder<ResidualImpl> {
 public:
  Residual() : nn::ModuleHolder<ResidualImpl>(std::make_shared<ResidualImpl>()) {}
};

TEST(Summary, ACompositeModuleCountsTheMultAddsOfEverythingItRuns) {
  nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(1, 2, 3).padding(1)), Residual(), nn::Flatten(),
                     nn::Linear(2 * 5 * 5, 3));
  const std::string table = utils::summary(net, {1, 1, 5, 5});
  // Per output element: 2·3·3 (a), 2·3·3 (b), 2·1·1 (skip); 2·5·5 outputs each.
  EXPECT_EQ(row(table, "1 Residual").macs, "1,900") << table;
  EXPECT_EQ(row(table, "0 Conv2d").rf, "3") << table;
  EXPECT_EQ(row(table, "3 Linear").macs, "150") << table;
}

TEST(Summary, AResidualBlockHasTheFieldOfItsWidestPath) {
  nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(1, 2, 3).padding(1)), Residual());
  const std::string table = utils::summary(net, {1, 1, 8, 8});
  EXPECT_EQ(row(table, "1 Residual").rf, "7") << table;  // 3, then two 3x3 (+4); the 1x1 skip adds nothing
  EXPECT_EQ(row(table, "1 Residual").jump, "1") << table;
  EXPECT_EQ(row(table, "1 Residual").start, "0.0") << table;
}

// The modules below are run by summary() only; each is one row whose field comes from its graph.
template <typename F>
class LambdaImpl : public nn::Module {
 public:
  explicit LambdaImpl(F f) : nn::Module("Lambda"), f_(std::move(f)) {}
  Tensor forward(const Tensor& x) { return f_(x); }
  template <typename M>
  M add(const std::string& name, M m) {
    return register_module(name, std::move(m));
  }

 private:
  F f_;
};

// Parallel dilated 3x3 branches concatenated along channels, as in ASPP: the widest, 1 + 2*4.
TEST(Summary, ParallelBranchesHaveTheFieldOfTheWidestBranch) {
  nn::Conv2d d1(nn::Conv2dOptions(1, 1, 3).padding(1)), d4(nn::Conv2dOptions(1, 1, 3).padding(4).dilation(4));
  auto branches = std::make_shared<LambdaImpl<std::function<Tensor(const Tensor&)>>>([d1, d4](const Tensor& x) {
    return cat({d1(x), d4(x), x}, 1);
  });
  branches->add("d1", d1);
  branches->add("d4", d4);
  const std::string table =
      utils::summary(*branches, [&](const Tensor& x) { return branches->forward(x); }, {1, 1, 16, 16});
  EXPECT_EQ(row(table, " Lambda").rf, "9") << table;
  EXPECT_EQ(row(table, " Lambda").start, "0.0") << table;
}

// A causal gated unit as in WaveNet: tanh and sigmoid halves of one causal k=2, d=2 convolution.
TEST(Summary, ACausalGatedUnitSeesOnlyThePast) {
  nn::Conv1d conv(nn::Conv1dOptions(2, 4, 2).dilation(2).padding(kCausal));
  auto unit = std::make_shared<LambdaImpl<std::function<Tensor(const Tensor&)>>>([conv](const Tensor& x) {
    const Tensor fg = conv(x);
    return x + fg.narrow(1, 0, 2).tanh() * fg.narrow(1, 2, 2).sigmoid();
  });
  unit->add("conv", conv);
  const std::string table = utils::summary(*unit, [&](const Tensor& x) { return unit->forward(x); }, {1, 2, 10});
  EXPECT_EQ(row(table, " Lambda").rf, "3") << table;        // inputs t-2 .. t
  EXPECT_EQ(row(table, " Lambda").start, "-1.0") << table;  // centred one step in the past
}

TEST(Summary, AModuleThatMovesTheLastAxisHasNoField) {
  auto swap = std::make_shared<LambdaImpl<std::function<Tensor(const Tensor&)>>>(
      [](const Tensor& x) { return x.transpose(2, 3).relu(); });
  swap->add("unused", nn::ReLU());  // a child, so the module counts as composite
  const std::string table = utils::summary(*swap, [&](const Tensor& x) { return swap->forward(x); }, {1, 1, 4, 4});
  EXPECT_EQ(row(table, " Lambda").rf, "?") << table;
}

TEST(Summary, AGlobalPoolingBranchMixesAllPositions) {
  nn::Conv2d conv(nn::Conv2dOptions(1, 1, 3).padding(1));
  auto pooled = std::make_shared<LambdaImpl<std::function<Tensor(const Tensor&)>>>([conv](const Tensor& x) {
    return cat(
        {conv(x), nn::functional::adaptive_avg_pool2d(x, nn::AdaptiveAvgPool2dOptions({1, 1})).expand(x.sizes())}, 1);
  });
  pooled->add("conv", conv);
  const std::string table = utils::summary(*pooled, [&](const Tensor& x) { return pooled->forward(x); }, {1, 1, 6, 6});
  EXPECT_EQ(row(table, " Lambda").rf, "-") << table;
}

// A U-Net-like stack: an encoder halves the resolution twice (jump 4), transposed stride-2 layers
// undo it (jump 2, then 1); their fields are each unit's window through the stack.
TEST(Summary, TransposedLayersThatUndoADownsamplingHaveReceptiveFields) {
  nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(1, 4, 3).stride(2).padding(1)),
                     nn::Conv2d(nn::Conv2dOptions(4, 8, 3).stride(2).padding(1)),
                     nn::ConvTranspose2d(nn::ConvTranspose2dOptions(8, 4, 2).stride(2)),
                     nn::ConvTranspose2d(nn::ConvTranspose2dOptions(4, 4, 4).stride(2).padding(1)));
  const std::string table = utils::summary(net, {1, 1, 16, 16});
  EXPECT_NE(table.find("2 ConvTranspose2d      [1, 4, 8, 8]"), std::string::npos) << table;
  EXPECT_EQ(row(table, "1").rf, "7");  // 3, then 3 + 2*2
  EXPECT_EQ(row(table, "2").rf, "7");  // k2 s2: each output sees one input unit
  EXPECT_EQ(row(table, "2").jump, "2");
  EXPECT_EQ(row(table, "3").rf, "11");  // unit by unit; a uniform jump would say 7 + 1*2 = 9
  EXPECT_EQ(row(table, "3").jump, "1");
  EXPECT_EQ(row(table, "2").macs, "2,048");  // 8·4·4 inputs × 4·2·2 taps
}

// A generator from 1×1 noise up-samples below the input's resolution: its jumps are fractions of
// the one noise element.
TEST(Summary, TransposedLayersFinerThanTheInputHaveFractionalJumps) {
  nn::Sequential net(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(16, 8, 7).bias(false)), nn::ReLU(),
                     nn::ConvTranspose2d(nn::ConvTranspose2dOptions(8, 1, 4).stride(2).padding(1)));
  const std::string table = utils::summary(net, {1, 16, 1, 1});
  EXPECT_NE(table.find("2 ConvTranspose2d      [1, 1, 14, 14]"), std::string::npos) << table;
  EXPECT_EQ(row(table, "0").rf, "7");  // stride 1, 7 taps: 7 inputs per output on an unbounded input
  EXPECT_EQ(row(table, "0").start, "-3.0");
  EXPECT_EQ(row(table, "2").jump, "1/2");
  EXPECT_EQ(row(table, "0").params, "6,272");  // 16·8·49
  EXPECT_EQ(row(table, "2").macs, "6,272");    // 8·49 inputs × 16 taps
}

// A dilated transposed layer reaches its inputs out of order: "?" rather than a wrong number.
TEST(Summary, DilatedTransposedLayersHaveNoReceptiveField) {
  nn::Sequential net(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(1, 1, 3).stride(2).dilation(2)));
  EXPECT_EQ(row(utils::summary(net, {1, 1, 8, 8}), "0").rf, "?");
}

TEST(Summary, LeavesTheModelInItsTrainingMode) {
  nn::Sequential net(nn::BatchNorm2d(2));
  utils::summary(net, {1, 2, 3, 3});
  EXPECT_TRUE(net->is_training());
  EXPECT_EQ(dynamic_cast<nn::BatchNorm2dImpl&>(*net->operator[](0)).num_batches_tracked.item<std::int64_t>(), 0);
}

}  // namespace
}  // namespace atrous
