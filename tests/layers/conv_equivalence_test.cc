// SPDX-License-Identifier: Apache-2.0
// Identities that tie the options together: a padding_mode conv is explicit pad + 'valid' conv;
// groups are separate convolutions concatenated; stride s is stride 1 subsampled; 'same' and
// causal are the right explicit pads.
#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/functional/conv.h"
#include "atrous/layers/functional/padding.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace F = nn::functional;

TEST(ConvEquivalence, PaddingModeEqualsExplicitPadThenValidConv) {
  manual_seed(41);
  const Tensor x = randn({2, 3, 7, 9}, kFloat64);
  for (const PadMode mode : {kReflect, kReplicate, kCircular}) {
    nn::Conv2d conv(nn::Conv2dOptions(3, 4, {3, 2}).padding({2, 1}).stride({2, 1}).dilation({1, 2}).padding_mode(mode));
    conv->to(kFloat64);
    const Tensor expected = F::conv2d(F::pad(x, F::PadFuncOptions({1, 1, 2, 2}).mode(mode)), conv->weight,
                                      F::Conv2dFuncOptions().bias(conv->bias).stride({2, 1}).dilation({1, 2}));
    EXPECT_TRUE(test::bit_identical(conv(x), expected)) << pad_mode_name(mode);
  }
}

TEST(ConvEquivalence, GroupsEqualSeparateConvolutionsConcatenated) {
  manual_seed(42);
  const Tensor x = randn({2, 4, 6, 6}, kFloat64);
  const Tensor w = randn({4, 2, 3, 3}, kFloat64), b = randn({4}, kFloat64);
  const Tensor grouped = F::conv2d(x, w, F::Conv2dFuncOptions().bias(b).groups(2));
  const Tensor first = F::conv2d(x.narrow(1, 0, 2), w.narrow(0, 0, 2), F::Conv2dFuncOptions().bias(b.narrow(0, 0, 2)));
  const Tensor second = F::conv2d(x.narrow(1, 2, 2), w.narrow(0, 2, 2), F::Conv2dFuncOptions().bias(b.narrow(0, 2, 2)));
  EXPECT_TRUE(test::all_close(grouped, cat({first, second}, 1), 1e-14, 1e-14));
}

TEST(ConvEquivalence, GroupsGradientsEqualSeparateGradients) {
  manual_seed(43);
  Tensor x = randn({2, 4, 6, 6}, kFloat64).requires_grad_();
  Tensor w = randn({4, 2, 3, 3}, kFloat64).requires_grad_();
  F::conv2d(x, w, F::Conv2dFuncOptions().groups(2)).pow(2.0).sum().backward();
  Tensor x1 = x.detach().narrow(1, 0, 2).clone().requires_grad_();
  Tensor w1 = w.detach().narrow(0, 0, 2).clone().requires_grad_();
  F::conv2d(x1, w1).pow(2.0).sum().backward();
  EXPECT_TRUE(test::all_close(x.grad().narrow(1, 0, 2), x1.grad(), 1e-12, 1e-12));
  EXPECT_TRUE(test::all_close(w.grad().narrow(0, 0, 2), w1.grad(), 1e-12, 1e-12));
}

TEST(ConvEquivalence, StrideEqualsStrideOneSubsampled) {
  manual_seed(44);
  const Tensor x = randn({2, 3, 11, 10}, kFloat64), w = randn({2, 3, 3, 2}, kFloat64);
  const auto opts = F::Conv2dFuncOptions().padding({1, 2}).dilation({2, 1});
  const Tensor dense = F::conv2d(x, w, opts);
  const Tensor strided = F::conv2d(x, w, F::Conv2dFuncOptions().padding({1, 2}).dilation({2, 1}).stride({3, 2}));
  EXPECT_TRUE(
      test::all_close(strided, dense.slice(2, 0, dense.size(2), 3).slice(3, 0, dense.size(3), 2), 1e-14, 1e-14));
}

TEST(ConvEquivalence, SameMatchesPyTorchsExplicitEquivalents) {
  manual_seed(45);
  const Tensor x = randn({1, 2, 12}, kFloat64);
  const Tensor w3 = randn({1, 2, 3}, kFloat64), w4 = randn({1, 2, 4}, kFloat64);
  const auto same = [](std::int64_t d) { return F::Conv1dFuncOptions().padding(kSame).dilation(d); };
  EXPECT_TRUE(test::bit_identical(F::conv1d(x, w3, same(1)), F::conv1d(x, w3, F::Conv1dFuncOptions().padding(1))));
  EXPECT_TRUE(
      test::bit_identical(F::conv1d(x, w4, same(2)), F::conv1d(x, w4, F::Conv1dFuncOptions().padding(3).dilation(2))));
  // k=4, d=3: pads (4, 5) — symmetric padding 5 with the first output dropped.
  const Tensor sym = F::conv1d(x, w4, F::Conv1dFuncOptions().padding(5).dilation(3));
  EXPECT_TRUE(test::bit_identical(F::conv1d(x, w4, same(3)), sym.slice(2, 1, sym.size(2))));
}

TEST(ConvEquivalence, SameInTwoDimensionsMatchesTheCroppedExplicitConv) {
  manual_seed(46);
  const Tensor x = randn({1, 1, 10, 11}, kFloat64), w = randn({1, 1, 4, 5}, kFloat64);
  const Tensor same = F::conv2d(x, w, F::Conv2dFuncOptions().padding(kSame));
  const Tensor sym = F::conv2d(x, w, F::Conv2dFuncOptions().padding({2, 2}));
  EXPECT_EQ(same.sizes(), (Shape{1, 1, 10, 11}));
  EXPECT_TRUE(test::bit_identical(same, sym.slice(2, 1, sym.size(2))));
}

TEST(ConvEquivalence, CausalEqualsLeftPadThenValidConv) {
  manual_seed(47);
  const Tensor x = randn({2, 3, 20}, kFloat64), w = randn({4, 3, 2}, kFloat64);
  for (const std::int64_t d : {1, 2, 4, 8}) {
    const Tensor causal = F::conv1d(x, w, F::Conv1dFuncOptions().padding(kCausal).dilation(d));
    const Tensor manual = F::conv1d(F::pad(x, F::PadFuncOptions({d, 0})), w, F::Conv1dFuncOptions().dilation(d));
    EXPECT_TRUE(test::bit_identical(causal, manual)) << "dilation " << d;
    EXPECT_EQ(causal.size(2), 20);
  }
}

TEST(ConvEquivalence, Conv1dEqualsConv2dWithHeightOne) {
  manual_seed(48);
  const Tensor x = randn({2, 3, 15}, kFloat64), w = randn({4, 3, 3}, kFloat64);
  const Tensor y1 = F::conv1d(x, w, F::Conv1dFuncOptions().stride(2).padding(2).dilation(3));
  const Tensor y2 =
      F::conv2d(x.unsqueeze(2), w.unsqueeze(2), F::Conv2dFuncOptions().stride({1, 2}).padding({0, 2}).dilation({1, 3}));
  EXPECT_TRUE(test::bit_identical(y1, y2.squeeze(2)));
}

}  // namespace
}  // namespace atrous
