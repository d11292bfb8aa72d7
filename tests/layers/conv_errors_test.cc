// SPDX-License-Identifier: Apache-2.0
// One test per invalid convolution input: each raises std::invalid_argument whose message names
// the operation, the argument and the numbers (spec §1.2, §1.3, §3.3, §8.4).
#include "atrous/layers/functional/conv.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/factory.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace F = nn::functional;
using nn::Conv1d;
using nn::Conv1dOptions;
using nn::Conv2d;
using nn::Conv2dOptions;

// The message of the std::invalid_argument that fn throws (fails the test if it throws nothing).
std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected std::invalid_argument";
  return "";
}

TEST(ConvErrors, GroupsMustBePositive) {
  EXPECT_EQ(error_of([] { Conv2dOptions(4, 4, 3).groups(0); }),
            "Conv2d: groups must be a positive integer, got groups=0");
  EXPECT_EQ(error_of([] { Conv2dOptions(4, 4, 3).groups(-2); }),
            "Conv2d: groups must be a positive integer, got groups=-2");
}

TEST(ConvErrors, InChannelsMustBeDivisibleByGroups) {
  EXPECT_EQ(error_of([] { Conv2d(Conv2dOptions(5, 4, 3).groups(2)); }),
            "Conv2d: in_channels must be divisible by groups, got in_channels=5, groups=2 (5 % 2 = 1)");
}

TEST(ConvErrors, OutChannelsMustBeDivisibleByGroups) {
  EXPECT_EQ(error_of([] { Conv1d(Conv1dOptions(4, 3, 3).groups(2)); }),
            "Conv1d: out_channels must be divisible by groups, got out_channels=3, groups=2 (3 % 2 = 1)");
}

TEST(ConvErrors, UnknownPaddingStringListsTheValidOnes) {
  EXPECT_EQ(error_of([] { Conv2dOptions(1, 1, 3).padding("foo"); }),
            "Conv2d: Invalid padding string 'foo', should be one of {'valid', 'same'}");
  EXPECT_EQ(error_of([] { Conv1dOptions(1, 1, 3).padding("full"); }),
            "Conv1d: Invalid padding string 'full', should be one of {'valid', 'same', 'causal'}");
  EXPECT_EQ(error_of([] { F::Conv2dFuncOptions().padding("foo"); }),
            "conv2d: Invalid padding string: 'foo', should be one of {'valid', 'same'}");
}

TEST(ConvErrors, SameWithStrideIsRefusedAtConstruction) {
  EXPECT_EQ(error_of([] {
              Conv2d(Conv2dOptions(1, 1, 3).padding(kSame).stride({1, 2}));
            }),
            "Conv2d: padding='same' is not supported for strided convolutions, got stride=(1, 2)");
}

TEST(ConvErrors, SameWithStrideIsRefusedByTheFunctionalForm) {
  EXPECT_NE(error_of([] {
              F::conv2d(ones({1, 1, 5, 5}), ones({1, 1, 3, 3}), F::Conv2dFuncOptions().padding(kSame).stride(2));
            }).find("conv2d: padding='same' is not supported for strided convolutions, got stride=(2, 2)"),
            std::string::npos);
}

TEST(ConvErrors, CausalIsOnlyForConv1d) {
  EXPECT_EQ(
      error_of([] { Conv2dOptions(1, 1, 3).padding(kCausal); }),
      "Conv2d: padding='causal' pads the left of a sequence and is only defined for 1-D convolutions (Conv1d, conv1d)");
}

TEST(ConvErrors, UnknownPaddingModeListsTheValidOnes) {
  EXPECT_EQ(
      error_of([] { Conv2dOptions(1, 1, 3).padding_mode("xyz"); }),
      "Conv2d: padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='xyz'");
  EXPECT_EQ(error_of([] { Conv2dOptions(1, 1, 3).padding_mode(kConstant); }),
            "Conv2d: padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got "
            "padding_mode='constant'");
}

TEST(ConvErrors, KernelSizeMustBePositive) {
  EXPECT_EQ(error_of([] {
              Conv2dOptions(1, 1, {0, 3});
            }),
            "Conv2d: kernel_size must be positive in every dimension, got kernel_size=(0, 3)");
}

TEST(ConvErrors, StrideMustBePositive) {
  EXPECT_EQ(error_of([] { Conv1dOptions(1, 1, 3).stride(-1); }),
            "Conv1d: non-positive stride is not supported, got stride=(-1,)");
  EXPECT_EQ(error_of([] {
              F::Conv2dFuncOptions().stride({1, 0});
            }),
            "conv2d: non-positive stride is not supported, got stride=(1, 0)");
}

TEST(ConvErrors, DilationMustBePositive) {
  EXPECT_EQ(error_of([] { Conv2dOptions(1, 1, 3).dilation(0); }),
            "Conv2d: dilation must be positive in every dimension, got dilation=(0, 0)");
}

TEST(ConvErrors, NegativePaddingIsRefused) {
  EXPECT_EQ(error_of([] {
              Conv2dOptions(1, 1, 3).padding({-1, 0});
            }),
            "Conv2d: negative padding is not supported, got padding=(-1, 0)");
}

TEST(ConvErrors, ListOfTheWrongLengthNamesTheOption) {
  EXPECT_EQ(error_of([] {
              Conv2dOptions(1, 1, 3).stride({1, 1, 1});
            }),
            "Conv2d: expected stride to be a single integer value or a list of 2 values to match the convolution "
            "dimensions, but got stride=[1, 1, 1]");
  EXPECT_EQ(error_of([] { Conv2dOptions(1, 1, {3}); }),
            "Conv2d: expected kernel_size to be a single integer value or a list of 2 values to match the convolution "
            "dimensions, but got kernel_size=[3]");
}

TEST(ConvErrors, WrongInputRankFor2d) {
  Conv2d conv(Conv2dOptions(1, 1, 3));
  EXPECT_EQ(
      error_of([&] {
        conv(ones({1, 10, 1, 28, 28}));
      }),
      "Conv2d: Expected 3D (unbatched) or 4D (batched) input to Conv2d, but got input of size: [1, 10, 1, 28, 28]");
  EXPECT_NE(error_of([&] { conv(ones({28, 28})); }).find("Expected 3D (unbatched) or 4D (batched)"), std::string::npos);
}

TEST(ConvErrors, WrongInputRankFor1d) {
  EXPECT_EQ(error_of([] {
              F::conv1d(ones({5}), ones({1, 1, 3}));
            }),
            "conv1d: Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [5]");
}

TEST(ConvErrors, ChannelMismatchSaysBothCounts) {
  Conv2d conv(Conv2dOptions(3, 4, 3));
  EXPECT_EQ(error_of([&] {
              conv(ones({1, 5, 5, 5}));
            }),
            "Conv2d: Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 5, 5, 5] to have 3 channels, but "
            "got 5 channels instead");
}

TEST(ConvErrors, GroupedChannelMismatchSaysBothCounts) {
  EXPECT_EQ(error_of([] {
              F::conv2d(ones({1, 6, 5, 5}), ones({4, 2, 3, 3}), F::Conv2dFuncOptions().groups(2));
            }),
            "conv2d: Given groups=2, weight of size [4, 2, 3, 3], expected input[1, 6, 5, 5] to have 4 channels, but "
            "got 6 channels instead");
}

TEST(ConvErrors, WeightNotDivisibleByGroups) {
  EXPECT_EQ(error_of([] {
              F::conv2d(ones({1, 4, 5, 5}), ones({3, 2, 3, 3}), F::Conv2dFuncOptions().groups(2));
            }),
            "conv2d: Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size "
            "[3, 2, 3, 3] instead (3 % 2 = 1)");
}

TEST(ConvErrors, BiasOfTheWrongSize) {
  EXPECT_EQ(error_of([] {
              F::conv2d(ones({1, 3, 5, 5}), ones({4, 3, 3, 3}), F::Conv2dFuncOptions().bias(ones({5})));
            }),
            "conv2d: Given weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 4 elements, but got "
            "bias of size [5] instead");
}

TEST(ConvErrors, KernelLargerThanPaddedInputShowsTheFormula) {
  EXPECT_EQ(error_of([] {
              Conv1d(Conv1dOptions(3, 33, 10))(ones({1, 3, 4}));
            }),
            "Conv1d: Calculated padded input size per channel: (4). Kernel size: (10). Kernel size can't be greater "
            "than actual input size: output length floor((4 + 2*0 - 1*(10-1) - 1)/1) + 1 = -5");
  EXPECT_EQ(error_of([] {
              Conv2d(Conv2dOptions(1, 1, 3).dilation(2).stride(2))(ones({1, 1, 4, 4}));
            }),
            "Conv2d: Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel size can't be "
            "greater than actual input size: output height floor((4 + 2*0 - 2*(3-1) - 1)/2) + 1 = 0; output width "
            "floor((4 + 2*0 - 2*(3-1) - 1)/2) + 1 = 0");
}

TEST(ConvErrors, ShapeCheckAcceptsExactFits) {
  // PyTorch's test_conv_shapecheck: these fit and must not raise.
  EXPECT_EQ(Conv1d(Conv1dOptions(1, 1, 2))(ones({3, 1, 2})).size(-1), 1);
  EXPECT_EQ(Conv1d(Conv1dOptions(1, 1, 2).stride(2))(ones({3, 1, 2})).size(-1), 1);
  EXPECT_EQ(Conv1d(Conv1dOptions(1, 1, 3).stride(2).padding(1))(ones({3, 1, 2})).size(-1), 1);
  EXPECT_EQ(Conv2d(Conv2dOptions(1, 1, 3))(ones({3, 1, 3, 3})).size(-1), 1);
  EXPECT_EQ(Conv2d(Conv2dOptions(1, 1, 3).padding(1))(ones({3, 1, 2, 2})).size(-1), 2);
  EXPECT_THROW(Conv1d(Conv1dOptions(1, 1, 3).stride(2))(ones({3, 1, 2})), std::invalid_argument);
}

TEST(ConvErrors, EmptySpatialDimensionIsRefused) {
  EXPECT_EQ(error_of([] {
              F::conv2d(ones({2, 3, 0, 5}), ones({1, 3, 1, 1}), F::Conv2dFuncOptions().padding(1));
            }),
            "conv2d: Only zero batch or zero channel inputs are supported, but got input shape: [2, 3, 0, 5]");
}

TEST(ConvErrors, InputAndWeightDtypesMustMatch) {
  EXPECT_EQ(error_of([] {
              F::conv2d(ones({1, 1, 3, 3}, kFloat64), ones({1, 1, 3, 3}));
            }),
            "conv2d: Input type (float64) and weight type (float32) should be the same");
}

TEST(ConvErrors, BiasDtypeMustMatch) {
  EXPECT_EQ(error_of([] {
              F::conv2d(ones({1, 1, 3, 3}), ones({1, 1, 3, 3}), F::Conv2dFuncOptions().bias(ones({1}, kFloat64)));
            }),
            "conv2d: Input type (float32) and bias type (float64) should be the same");
}

TEST(ConvErrors, IntegerInputsAreRefused) {
  EXPECT_EQ(error_of([] {
              F::conv1d(arange(6).reshape({1, 1, 6}), arange(3).reshape({1, 1, 3}));
            }),
            "conv1d: needs float32 or float64 tensors, got int64");
}

TEST(ConvErrors, WeightOfTheWrongRank) {
  EXPECT_EQ(
      error_of([] {
        F::conv2d(ones({1, 1, 5, 5}), ones({1, 3, 3}));
      }),
      "conv2d: expected a 4-D weight (out_channels, in_channels/groups, kH, kW), but got weight of size [1, 3, 3]");
}

TEST(ConvErrors, ReflectPaddingLargerThanTheInputNamesTheLimit) {
  Conv1d conv(Conv1dOptions(1, 1, 3).padding(4).padding_mode(kReflect));
  EXPECT_NE(error_of([&] {
              conv(ones({1, 1, 4}));
            })
                .find("Argument #4: Padding size should be less than the corresponding input dimension, but got: "
                      "padding (4, 4) at dimension 2 of input [1, 1, 4]"),
            std::string::npos);
}

TEST(ConvErrors, SameWithReflectOnAnInputShorterThanThePadIsRefused) {
  Conv1d conv(Conv1dOptions(1, 1, 5).padding(kSame).padding_mode(kReflect));
  EXPECT_NE(error_of([&] { conv(ones({1, 1, 2})); }).find("reflect padding needs each pad <= 1"), std::string::npos);
  Conv1d zeros_mode(Conv1dOptions(1, 1, 5).padding(kSame));
  EXPECT_EQ(zeros_mode(ones({1, 1, 2})).size(-1), 2);  // zeros mode works on inputs shorter than the kernel
}

TEST(ConvErrors, CircularPaddingWrappingTwiceIsRefused) {
  Conv1d conv(Conv1dOptions(1, 1, 3).padding(5).padding_mode(kCircular));
  EXPECT_NE(error_of([&] {
              conv(ones({1, 1, 4}));
            }).find("Padding value causes wrapping around more than once"),
            std::string::npos);
}

TEST(ConvErrors, EmptyModuleHandleRaisesInsteadOfCrashing) {
  const Conv2d empty(nullptr);
  EXPECT_THROW(empty->forward(ones({1, 1, 3, 3})), std::runtime_error);
}

}  // namespace
}  // namespace atrous
