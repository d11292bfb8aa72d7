// SPDX-License-Identifier: Apache-2.0
// ConvTranspose1d/2d and conv_transpose1d/2d: PyTorch's printed form, weight layout and
// initialisation, output_size, unbatched inputs, the refused options, the identities that define
// a transposed convolution, and float64 gradchecks over stride × padding × output_padding ×
// dilation × groups × bias.
#include <cmath>
#include <sstream>

#include "atrous/autograd/grad_mode.h"
#include "atrous/autograd/gradcheck.h"
#include "atrous/layers/functional/conv.h"
#include "atrous/layers/functional/padding.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace F = nn::functional;
using nn::ConvTranspose1d;
using nn::ConvTranspose1dOptions;
using nn::ConvTranspose2d;
using nn::ConvTranspose2dOptions;

TEST(ConvTranspose, PrintsLikePyTorch) {
  EXPECT_EQ(
      test::printed(ConvTranspose2d(
          ConvTranspose2dOptions(4, 2, 3).stride(2).padding(1).output_padding(1).groups(2).bias(false).dilation(2))),
      "ConvTranspose2d(4, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), "
      "output_padding=(1, 1), groups=2, bias=False)");
  EXPECT_EQ(test::printed(ConvTranspose1d(ConvTranspose1dOptions(4, 2, 3))),
            "ConvTranspose1d(4, 2, kernel_size=(3,), stride=(1,))");
}

TEST(ConvTranspose, WeightIsInChannelsByOutChannelsPerGroup) {
  ConvTranspose2d c(ConvTranspose2dOptions(4, 6, {3, 2}).groups(2));
  EXPECT_EQ(c->weight.sizes(), (Shape{4, 3, 3, 2}));
  EXPECT_EQ(c->bias.sizes(), (Shape{6}));
  ConvTranspose1d d(ConvTranspose1dOptions(4, 6, 3).bias(false));
  EXPECT_EQ(d->weight.sizes(), (Shape{4, 6, 3}));
  EXPECT_FALSE(d->bias.defined());
}

// PyTorch's fan_in is weight.size(1)·prod(kernel): out_channels/groups for a transposed layer.
TEST(ConvTranspose, InitialisationIsUniformWithinOneOverSqrtOutChannelsPerGroupTimesKernel) {
  manual_seed(0);
  ConvTranspose2d c(ConvTranspose2dOptions(100, 120, {3, 8}).groups(2));
  const double bound = 1.0 / std::sqrt(60.0 * 3 * 8);
  double lo = 1, hi = -1;
  for (std::int64_t i = 0; i < c->weight.numel(); ++i) {
    lo = std::min(lo, value_at(c->weight, i));
    hi = std::max(hi, value_at(c->weight, i));
  }
  EXPECT_GE(lo, -bound);
  EXPECT_LE(hi, bound);
  EXPECT_LT(lo, -0.99 * bound);
  EXPECT_GT(hi, 0.99 * bound);
  for (std::int64_t i = 0; i < c->bias.numel(); ++i) EXPECT_LE(std::abs(value_at(c->bias, i)), bound);
}

TEST(ConvTranspose, OutputSizeFollowsTheTransposedFormula) {
  ConvTranspose2d c(
      ConvTranspose2dOptions(4, 2, {4, 3}).stride({2, 3}).padding({1, 0}).output_padding({1, 2}).dilation({1, 2}));
  // H: (5 - 1)*2 - 2*1 + 1*(4-1) + 1 + 1 = 11; W: (6 - 1)*3 - 0 + 2*(3-1) + 2 + 1 = 22.
  EXPECT_EQ(c(randn({3, 4, 5, 6})).sizes(), (Shape{3, 2, 11, 22}));
}

TEST(ConvTranspose, OutputSizeArgumentPicksTheOutputPadding) {
  ConvTranspose2d c(ConvTranspose2dOptions(4, 2, 3).stride(2).padding(1));
  const Tensor x = randn({1, 4, 5, 5});
  EXPECT_EQ(c->forward(x, Shape{10, 9}).sizes(), (Shape{1, 2, 10, 9}));
  EXPECT_EQ(c->forward(x, Shape{1, 2, 9, 10}).sizes(), (Shape{1, 2, 9, 10}));
  const NoGradGuard no_grad;
  EXPECT_TRUE(test::bit_identical(
      c->forward(x, Shape{10, 9}),
      F::conv_transpose2d(x, c->weight,
                          F::ConvTranspose2dFuncOptions().bias(c->bias).stride(2).padding(1).output_padding({1, 0}))));
}

TEST(ConvTranspose, OutputSizeOutsideTheReachableRangeIsRefusedWithTheRange) {
  ConvTranspose2d c(ConvTranspose2dOptions(4, 2, 3).stride(2).padding(1));
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [&] {
        c->forward(randn({1, 4, 5, 5}), Shape{8, 8});
      },
      "ConvTranspose2d: requested an output size of (8, 8), but valid sizes range from (9, 9) to (10, 10)"));
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [&] {
        c->forward(randn({1, 4, 5, 5}), Shape{9});
      },
      "output_size must have 2 or 4 elements, got output_size=[9]"));
}

TEST(ConvTranspose, UnbatchedInputGivesAnUnbatchedOutput) {
  manual_seed(3);
  ConvTranspose1d c(ConvTranspose1dOptions(3, 2, 4).stride(2));
  const Tensor x = randn({3, 7});
  const Tensor y = c(x);
  EXPECT_EQ(y.sizes(), (Shape{2, 16}));
  EXPECT_TRUE(test::bit_identical(y, c(x.unsqueeze(0)).squeeze(0)));
}

TEST(ConvTranspose, PaddingModesOtherThanZerosAreRefused) {
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [] { ConvTranspose2dOptions(4, 2, 3).padding_mode(kReflect); },
      "ConvTranspose2d: Only \"zeros\" padding mode is supported for ConvTranspose2d, got padding_mode='reflect'"));
}

TEST(ConvTranspose, OutputPaddingAtLeastStrideAndDilationIsRefusedWithTheNumbers) {
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [] {
        ConvTranspose2d(ConvTranspose2dOptions(4, 2, 3).stride(2).output_padding({1, 2}))(randn({1, 4, 5, 5}));
      },
      "output_padding must be smaller than either stride or dilation, got output_padding=(1, 2), stride=(2, 2), "
      "dilation=(1, 1) (width: 2 >= max(2, 1))"));
}

TEST(ConvTranspose, InputChannelsMustMatchTheWeightsFirstDimension) {
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [] {
        F::conv_transpose2d(randn({1, 3, 5, 5}), randn({4, 2, 3, 3}));
      },
      "conv_transpose2d: Given transposed=1, weight of size [4, 2, 3, 3], expected input[1, 3, 5, 5] to have 4 "
      "channels"));
}

TEST(ConvTranspose, OutputCroppedAwayByThePaddingIsRefusedWithTheFormula) {
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [] {
        F::conv_transpose2d(randn({1, 4, 1, 3}), randn({4, 2, 3, 3}), F::ConvTranspose2dFuncOptions().padding(2));
      },
      "Given input size per channel: (1 x 3). Calculated output size per channel: (-1 x 1). Output size is too "
      "small: output height (1 - 1)*1 - 2*2 + 1*(3-1) + 0 + 1 = -1; output width (3 - 1)*1 - 2*2 + 1*(3-1) + 0 + 1 = "
      "1"));
}

// A transposed convolution is the gradient of the convolution with the same options with respect
// to its input: the output padding picks which of the input sizes that conv maps to one size.
TEST(ConvTranspose, EqualsTheGradInputOfTheConvolutionWithTheSameOptions) {
  manual_seed(5);
  const Tensor w = randn({6, 2, 3, 4}, kFloat64), y = randn({2, 6, 5, 4}, kFloat64);
  Tensor x = zeros({2, 4, 12, 11}, kFloat64).requires_grad_();  // conv: 12x11 -> 5x4
  const auto conv = F::Conv2dFuncOptions().stride({2, 3}).padding({1, 2}).dilation({2, 1}).groups(2);
  (F::conv2d(x, w, conv) * y).sum().backward();
  const Tensor t = F::conv_transpose2d(
      y, w,
      F::ConvTranspose2dFuncOptions().stride({2, 3}).padding({1, 2}).dilation({2, 1}).groups(2).output_padding({1, 2}));
  EXPECT_TRUE(test::all_close(t, x.grad(), 1e-13, 1e-13));
}

// The textbook construction (Dumoulin & Visin, ch. 4): insert stride − 1 zeros between input
// elements, pad with d·(k − 1) − p zeros (+ output_padding at the end), and convolve with the
// kernel flipped and its channel axes swapped, stride 1.
TEST(ConvTranspose, EqualsZeroStuffingThenAFlippedKernelConvolution) {
  manual_seed(6);
  const Tensor x = randn({2, 3, 4, 5}, kFloat64), w = randn({3, 2, 3, 4}, kFloat64), b = randn({2}, kFloat64);
  const Shape s{2, 3}, p{1, 2}, d{1, 2}, op{1, 1}, k{3, 4};
  Tensor stuffed = zeros({2, 3, (4 - 1) * s[0] + 1, (5 - 1) * s[1] + 1}, kFloat64);
  stuffed.slice(2, 0, stuffed.size(2), s[0]).slice(3, 0, stuffed.size(3), s[1]).copy_(x);
  Tensor flipped = empty({2, 3, 3, 4}, kFloat64);
  for (std::int64_t co = 0; co < 2; ++co)
    for (std::int64_t ci = 0; ci < 3; ++ci)
      for (std::int64_t i = 0; i < 3; ++i)
        for (std::int64_t j = 0; j < 4; ++j)
          flipped.data_ptr<double>()[((co * 3 + ci) * 3 + i) * 4 + j] =
              value_at(w, ((ci * 2 + co) * 3 + (2 - i)) * 4 + (3 - j));
  const auto before = [&](std::size_t i) { return d[i] * (k[i] - 1) - p[i]; };
  const Tensor padded =
      F::pad(stuffed, F::PadFuncOptions({before(1), before(1) + op[1], before(0), before(0) + op[0]}));
  const Tensor expected = F::conv2d(padded, flipped, F::Conv2dFuncOptions().bias(b).dilation({1, 2}));
  const Tensor t = F::conv_transpose2d(
      x, w,
      F::ConvTranspose2dFuncOptions().bias(b).stride({2, 3}).padding({1, 2}).dilation({1, 2}).output_padding({1, 1}));
  EXPECT_TRUE(test::all_close(t, expected, 1e-13, 1e-13));
}

struct GradCase {
  std::size_t dims;
  Shape kernel, stride, padding, output_padding, dilation;
  std::int64_t groups;
  bool bias;
};

template <std::size_t D>
void gradcheck_case(const GradCase& c) {
  nn::ConvTransposeOptions<D> o(4, 2 * c.groups, c.kernel);
  o.stride(c.stride)
      .padding(c.padding)
      .output_padding(c.output_padding)
      .dilation(c.dilation)
      .groups(c.groups)
      .bias(c.bias);
  nn::ConvTransposeNdImpl<D> conv(o);
  conv.to(kFloat64);
  const Shape xs = D == 1 ? Shape{2, 4, 5} : Shape{2, 4, 4, 3};
  std::vector<Tensor> inputs{randn(xs, kFloat64).requires_grad_(), conv.weight.detach().clone().requires_grad_()};
  if (c.bias) inputs.push_back(conv.bias.detach().clone().requires_grad_());
  const auto r = autograd::gradcheck(
      [&](const std::vector<Tensor>& in) {
        return F::detail::conv_transpose_nd(nn::ConvTransposeOptions<D>::name(), D, in[0], in[1],
                                            c.bias ? in[2] : Tensor(), o.stride(), o.padding(), o.output_padding(),
                                            o.dilation(), o.groups());
      },
      inputs);
  EXPECT_TRUE(r.ok) << r.message;
}

TEST(ConvTranspose, InputWeightAndBiasGradientsMatchFiniteDifferences) {
  manual_seed(7);
  int i = 0;
  for (const Shape& s : {Shape{1, 1}, Shape{2, 1}, Shape{2, 3}}) {
    for (const Shape& p : {Shape{0, 0}, Shape{1, 0}}) {
      for (const Shape& d : {Shape{1, 1}, Shape{1, 3}}) {
        Shape op{s[0] > 1 ? 1 : 0, std::max(s[1], d[1]) - 1};  // the largest allowed on the width
        const GradCase c{2, {3, 2}, s, p, op, d, i % 2 ? 2 : 1, i % 3 != 0};
        SCOPED_TRACE("stride " + shape_str(s) + " padding " + shape_str(p) + " dilation " + shape_str(d) + " case " +
                     std::to_string(i));
        gradcheck_case<2>(c);
        ++i;
      }
    }
  }
  for (const std::int64_t s : {1, 3}) {
    for (const std::int64_t d : {1, 4}) {
      SCOPED_TRACE("conv_transpose1d stride " + std::to_string(s) + " dilation " + std::to_string(d));
      gradcheck_case<1>({1, {3}, {s}, {1}, {std::max(s, d) - 1}, {d}, 2, true});
    }
  }
}

}  // namespace
}  // namespace atrous
