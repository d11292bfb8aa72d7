// SPDX-License-Identifier: Apache-2.0
// Every number in the founding chapter (shared/seed/convolution-parameters-chapter.txt),
// reproduced with atrous: the worked 5×5 examples, the shape tables, the quick checks, the
// exercises and the receptive fields.
#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/functional/conv.h"
#include "atrous/layers/functional/padding.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/factory.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace F = nn::functional;

// The chapter's image I = 1..25 (1×1×5×5) and corner-plus-centre kernel K.
Tensor image() { return arange(1.0, 26.0).reshape({1, 1, 5, 5}); }
Tensor kernel() { return from_vector(std::vector<float>{1, 0, 1, 0, 1, 0, 1, 0, 1}, {1, 1, 3, 3}); }
Tensor grid(std::vector<float> v, std::int64_t h, std::int64_t w) { return from_vector(std::move(v), {1, 1, h, w}); }

TEST(SeedChapter, StrideOneGivesTheWorkedThreeByThree) {
  EXPECT_TRUE(test::bit_identical(F::conv2d(image(), kernel()), grid({35, 40, 45, 60, 65, 70, 85, 90, 95}, 3, 3)));
}

TEST(SeedChapter, StrideTwoGivesTheCorners) {
  EXPECT_TRUE(test::bit_identical(F::conv2d(image(), kernel(), F::Conv2dFuncOptions().stride(2)),
                                  grid({35, 45, 85, 95}, 2, 2)));
}

TEST(SeedChapter, StrideTwoEqualsStrideOneSubsampled) {
  const Tensor dense = F::conv2d(image(), kernel());
  const Tensor strided = F::conv2d(image(), kernel(), F::Conv2dFuncOptions().stride(2));
  EXPECT_TRUE(test::bit_identical(strided, dense.slice(2, 0, 3, 2).slice(3, 0, 3, 2)));
}

TEST(SeedChapter, ZeroPaddingOneKeepsTheSizeAndChangesOnlyTheBorder) {
  const Tensor same = F::conv2d(image(), kernel(), F::Conv2dFuncOptions().padding(1));
  EXPECT_TRUE(test::bit_identical(
      same,
      grid({8, 16, 19, 22, 14, 20, 35, 40, 45, 28, 35, 60, 65, 70, 43, 50, 85, 90, 95, 58, 38, 56, 59, 62, 44}, 5, 5)));
  EXPECT_TRUE(test::bit_identical(same.slice(2, 1, 4).slice(3, 1, 4), F::conv2d(image(), kernel())));
}

TEST(SeedChapter, StringSameEqualsPaddingOneForAThreeByThree) {
  EXPECT_TRUE(test::bit_identical(F::conv2d(image(), kernel(), F::Conv2dFuncOptions().padding(kSame)),
                                  F::conv2d(image(), kernel(), F::Conv2dFuncOptions().padding(1))));
}

TEST(SeedChapter, DilationTwoSeesCornersAndCentre) {
  const Tensor y = F::conv2d(image(), kernel(), F::Conv2dFuncOptions().dilation(2));
  EXPECT_EQ(y.sizes(), (Shape{1, 1, 1, 1}));
  EXPECT_EQ(y.item<double>(), 65.0);  // 1 + 5 + 13 + 21 + 25
}

TEST(SeedChapter, DilationTwoWithPaddingTwoKeepsTheSize) {
  EXPECT_EQ(F::conv2d(image(), kernel(), F::Conv2dFuncOptions().dilation(2).padding(2)).sizes(), (Shape{1, 1, 5, 5}));
}

TEST(SeedChapter, ReflectModeChangesTheCornerButNotTheInterior) {
  nn::Conv2d conv(nn::Conv2dOptions(1, 1, 3).padding(1).padding_mode(kReflect).bias(false));
  {
    const NoGradGuard no_grad;
    conv->weight.copy_(kernel());
  }
  const Tensor y = conv(image());
  EXPECT_EQ(y.sizes(), (Shape{1, 1, 5, 5}));
  // Reflect-padded window at (0,0) is [[7,6,7],[2,1,2],[7,6,7]]: 7 + 7 + 1 + 7 + 7 = 29, not 8.
  EXPECT_EQ(value_at(y, 0), 29.0);
  const Tensor zeros_mode = F::conv2d(image(), kernel(), F::Conv2dFuncOptions().padding(1));
  EXPECT_TRUE(test::bit_identical(y.slice(2, 1, 4).slice(3, 1, 4), zeros_mode.slice(2, 1, 4).slice(3, 1, 4)));
  EXPECT_NE(value_at(y, 0), value_at(zeros_mode, 0));
}

TEST(SeedChapter, PaddingModesFillTheBorderAsTheVisualizerShows) {
  const Tensor x = arange(1.0, 26.0).reshape({1, 1, 5, 5});
  const Tensor z = F::pad(x, F::PadFuncOptions({2, 2, 2, 2}));
  EXPECT_EQ(z.sizes(), (Shape{1, 1, 9, 9}));
  EXPECT_EQ(value_at(z, 0), 0.0);
  EXPECT_EQ(value_at(z, 2 * 9 + 2), 1.0);
  EXPECT_EQ(value_at(F::pad(x, F::PadFuncOptions({2, 2, 2, 2}).mode(kReflect)), 0), 13.0);
  EXPECT_EQ(value_at(F::pad(x, F::PadFuncOptions({2, 2, 2, 2}).mode(kReplicate)), 0), 1.0);
  EXPECT_EQ(value_at(F::pad(x, F::PadFuncOptions({2, 2, 2, 2}).mode(kCircular)), 0), 19.0);
}

TEST(SeedChapter, StrideOnlyTableOf32Inputs) {
  EXPECT_EQ(conv_output_size(32, 3, 0, 1, 1), 30);
  EXPECT_EQ(conv_output_size(32, 3, 0, 2, 1), 15);
  EXPECT_EQ(conv_output_size(32, 3, 0, 4, 1), 8);
  EXPECT_EQ(conv_output_size(32, 7, 0, 2, 1), 13);
}

TEST(SeedChapter, ValidSameFullTable) {
  EXPECT_EQ(conv_output_size(32, 3, 0, 1, 1), 32 - 3 + 1);  // valid
  EXPECT_EQ(conv_output_size(32, 3, 1, 1, 1), 32);          // same, P = (K-1)/2
  EXPECT_EQ(conv_output_size(32, 3, 2, 1, 1), 32 + 3 - 1);  // full, P = K-1
  EXPECT_EQ(conv_output_size(32 - 2 * 15, 3, 0, 1, 1), 0);  // 16 unpadded 3×3 layers: vanished
}

TEST(SeedChapter, EffectiveKernelSizes) {
  EXPECT_EQ(effective_kernel_size(3, 1), 3);
  EXPECT_EQ(effective_kernel_size(3, 2), 5);
  EXPECT_EQ(effective_kernel_size(3, 3), 7);
  EXPECT_EQ(conv_output_size(5, 3, 0, 1, 1), 3);
  EXPECT_EQ(conv_output_size(5, 3, 0, 1, 2), 1);
}

TEST(SeedChapter, QuickCheckStridedConvOn224) {
  // nn.Conv2d(64, 128, kernel_size=3, padding=1, stride=2) on 224×224 → 112×112.
  nn::Conv2d conv(nn::Conv2dOptions(64, 128, 3).padding(1).stride(2));
  EXPECT_EQ(conv(zeros({1, 64, 224, 224})).sizes(), (Shape{1, 128, 112, 112}));
}

TEST(SeedChapter, QuickCheckFiveByFiveSamePaddingIsTwo) {
  EXPECT_EQ(same_padding(5, 1), (std::pair<std::int64_t, std::int64_t>{2, 2}));
  EXPECT_EQ(conv_output_size(17, 5, 2, 1, 1), 17);
}

TEST(SeedChapter, QuickCheckDilationFourEffectiveKernelIsNine) { EXPECT_EQ(effective_kernel_size(3, 4), 9); }

TEST(SeedChapter, QuickCheckReceptiveFieldWithPoolingIsFourteen) {
  const auto rf = receptive_field({{3, 1, 1}, {3, 1, 1}, {2, 2, 1}, {3, 1, 1}, {3, 1, 1}});
  EXPECT_EQ(rf.back().size, 14);
  EXPECT_EQ(rf.back().jump, 2);
}

TEST(SeedChapter, ThreeStackedThreeByThreesSeeSeven) {
  const auto rf = receptive_field({{3, 1, 1}, {3, 1, 1}, {3, 1, 1}});
  EXPECT_EQ(rf[0].size, 3);
  EXPECT_EQ(rf[1].size, 5);
  EXPECT_EQ(rf[2].size, 7);
}

TEST(SeedChapter, WaveNetFourLayersSeeSixteen) {
  const auto rf = receptive_field({{2, 1, 1}, {2, 1, 2}, {2, 1, 4}, {2, 1, 8}});
  EXPECT_EQ(rf[0].size, 2);
  EXPECT_EQ(rf[1].size, 4);
  EXPECT_EQ(rf[2].size, 8);
  EXPECT_EQ(rf[3].size, 16);
}

TEST(SeedChapter, ChallengeTenLayerWaveNetDoublesToTwelveHundredTwentyFour) {
  std::vector<LayerGeometry> layers;
  for (int l = 0; l < 10; ++l) layers.push_back({2, 1, std::int64_t{1} << l});
  const auto rf = receptive_field(layers);
  for (int l = 0; l < 10; ++l) EXPECT_EQ(rf[static_cast<std::size_t>(l)].size, std::int64_t{2} << l);
  EXPECT_EQ(rf.back().size, 1024);
}

TEST(SeedChapter, ChallengeCausalStackKeepsLengthAndIsCausal) {
  // Ten causal k=2 Conv1d layers with dilations 1..512 keep the length, and an output at time t
  // depends on no input after t.
  std::vector<nn::Conv1d> layers;
  for (int l = 0; l < 10; ++l) {
    layers.emplace_back(nn::Conv1dOptions(1, 1, 2).dilation(std::int64_t{1} << l).padding(kCausal).bias(false));
  }
  Tensor x = zeros({1, 1, 2048}, kFloat64);
  for (auto& l : layers) l->to(kFloat64);
  x.requires_grad_();
  Tensor y = x;
  for (auto& l : layers) y = l(y);
  EXPECT_EQ(y.sizes(), (Shape{1, 1, 2048}));
  y.select(2, 1500).sum().backward();
  const Tensor g = x.grad();
  for (std::int64_t t = 1501; t < 2048; ++t) ASSERT_EQ(value_at(g, t), 0.0) << "future input " << t;
  EXPECT_NE(value_at(g, 1500), 0.0);
  EXPECT_NE(value_at(g, 1500 - 1023), 0.0);  // the receptive field reaches back 1023 samples
  EXPECT_EQ(value_at(g, 1500 - 1024), 0.0);
}

TEST(SeedChapter, ExerciseFiveByFiveSamePaddingOn56) {
  nn::Conv2d conv(nn::Conv2dOptions(64, 128, 5).padding(2));
  EXPECT_EQ(conv(zeros({1, 64, 56, 56})).sizes(), (Shape{1, 128, 56, 56}));
}

TEST(SeedChapter, ExerciseDilationTwoPaddingFourStill56) {
  nn::Conv2d plain(nn::Conv2dOptions(64, 128, 5).padding(2));
  nn::Conv2d dilated(nn::Conv2dOptions(64, 128, 5).padding(4).dilation(2));
  EXPECT_EQ(dilated(zeros({1, 64, 56, 56})).sizes(), (Shape{1, 128, 56, 56}));
  EXPECT_EQ(plain->weight.numel(), dilated->weight.numel());  // zero extra parameters
  EXPECT_EQ(effective_kernel_size(3, 2), 5);
}

TEST(SeedChapter, ExerciseTwoThreeByThreesEqualOneFiveByFive) {
  EXPECT_EQ(receptive_field({{3, 1, 1}, {3, 1, 1}}).back().size, 5);
  nn::Conv2d a(nn::Conv2dOptions(1, 1, 3).bias(false)), b(nn::Conv2dOptions(1, 1, 5).bias(false));
  EXPECT_EQ(2 * a->weight.numel(), 18);
  EXPECT_EQ(b->weight.numel(), 25);  // 18 / 25 = 72 %
}

TEST(SeedChapter, ExerciseSameWithStrideTwoIsRefused) {
  EXPECT_THROW(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding(kSame).stride(2)), std::invalid_argument);
}

TEST(SeedChapter, PlaygroundResNetDownsamplingIsThree) {
  EXPECT_EQ(F::conv2d(image(), kernel(), F::Conv2dFuncOptions().stride(2).padding(1)).sizes(), (Shape{1, 1, 3, 3}));
}

TEST(SeedChapter, VggParameterCountsEighteenVersusTwentyFivePerChannelPair) {
  nn::Conv2d conv3(nn::Conv2dOptions(8, 16, 3).bias(false));
  nn::Conv2d conv5(nn::Conv2dOptions(8, 16, 5).bias(false));
  EXPECT_EQ(2 * conv3->weight.numel(), 18 * 8 * 16);
  EXPECT_EQ(conv5->weight.numel(), 25 * 8 * 16);
}

}  // namespace
}  // namespace atrous
