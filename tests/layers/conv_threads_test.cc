// SPDX-License-Identifier: Apache-2.0
// Bit-identical convolution results for 1, 2, 3 and 4 threads, forward and every gradient, on
// shapes large enough that every pass splits its work (grad_weight's reduction included).
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

template <std::size_t D>
std::shared_ptr<nn::ConvNdImpl<D>> make(const nn::ConvOptions<D>& options) {
  return std::make_shared<nn::ConvNdImpl<D>>(options);
}
template <std::size_t D>
std::shared_ptr<nn::ConvTransposeNdImpl<D>> make(const nn::ConvTransposeOptions<D>& options) {
  return std::make_shared<nn::ConvTransposeNdImpl<D>>(options);
}

template <typename Options>
std::vector<Tensor> run(const Options& options, const Shape& input, const ScalarType dtype) {
  manual_seed(77);
  const auto conv = make(options);
  conv->to(dtype);
  Tensor x = randn(input, dtype).requires_grad_();
  const Tensor y = conv->forward(x);
  (y * randn(y.sizes(), dtype)).sum().backward();
  std::vector<Tensor> out{y, x.grad(), conv->weight.grad()};
  if (conv->bias.defined()) out.push_back(conv->bias.grad());
  return out;
}

template <typename Options>
void expect_thread_invariant(const Options& options, const Shape& input, const ScalarType dtype) {
  std::vector<Tensor> one;
  test::with_threads(1, [&] { one = run(options, input, dtype); });
  for (const int threads : {2, 3, 4}) {
    test::with_threads(threads, [&] {
      const std::vector<Tensor> many = run(options, input, dtype);
      const char* names[] = {"output", "grad_input", "grad_weight", "grad_bias"};
      for (std::size_t i = 0; i < one.size(); ++i) {
        EXPECT_TRUE(test::bit_identical(many[i], one[i])) << names[i] << " with " << threads << " threads";
      }
    });
  }
}

TEST(ConvThreads, VggLayerIsBitIdentical) {
  expect_thread_invariant(nn::Conv2dOptions(32, 48, 3).padding(1), {4, 32, 40, 36}, kFloat32);
}

TEST(ConvThreads, WinogradWeightGradientLayerIsBitIdentical) {  // 16 ranges of F(4×4) tiles
  expect_thread_invariant(nn::Conv2dOptions(64, 64, 3).padding(1), {8, 64, 56, 56}, kFloat32);
}

TEST(ConvThreads, StridedReflectLayerIsBitIdentical) {
  expect_thread_invariant(nn::Conv2dOptions(16, 24, {3, 2}).stride(2).padding({1, 1}).padding_mode(kReflect),
                          {3, 16, 45, 38}, kFloat32);
}

TEST(ConvThreads, DilatedGroupedLayerIsBitIdenticalInFloat64) {
  expect_thread_invariant(nn::Conv2dOptions(32, 32, 3).dilation(2).padding(2).groups(4), {2, 32, 30, 33}, kFloat64);
}

TEST(ConvThreads, DepthwiseLayerIsBitIdentical) {
  expect_thread_invariant(nn::Conv2dOptions(24, 24, 3).padding(1).groups(24), {4, 24, 32, 32}, kFloat32);
}

TEST(ConvThreads, StridedReflectDepthwiseLayerIsBitIdentical) {
  expect_thread_invariant(nn::Conv2dOptions(12, 12, 3).stride(2).padding(1).groups(12).padding_mode(kReflect),
                          {3, 12, 47, 45}, kFloat32);
}

TEST(ConvThreads, DepthwiseConv1dOf31TapsIsBitIdentical) {
  expect_thread_invariant(nn::Conv1dOptions(16, 16, 31).padding(kSame).groups(16), {3, 16, 2500}, kFloat32);
}

TEST(ConvThreads, ResNeXtGroupLayerIsBitIdenticalInFloat64) {  // 4 channels per group each way
  expect_thread_invariant(nn::Conv2dOptions(32, 32, 3).padding(1).groups(8), {2, 32, 29, 31}, kFloat64);
}

TEST(ConvThreads, WaveNetLayerIsBitIdentical) {
  expect_thread_invariant(nn::Conv1dOptions(64, 64, 2).dilation(16).padding(kCausal), {2, 64, 6000}, kFloat32);
}

TEST(ConvThreads, LargeWeightLayerIsBitIdentical) {  // grad_weight in k blocks, 2 ranges in 4 slices
  expect_thread_invariant(nn::Conv2dOptions(16, 4160, 1), {8, 16, 8, 8}, kFloat32);
}

TEST(ConvThreads, ResNetDownsamplingLayerIsBitIdentical) {  // grad_input in one pass over dX
  expect_thread_invariant(nn::Conv2dOptions(32, 64, 3).stride(2).padding(1), {3, 32, 44, 42}, kFloat32);
}

// One grid tile (weights read in place, forward and grad_input), its channels shared out among
// tasks; a 3×2 kernel, so not Winograd.
TEST(ConvThreads, BatchOneLayerWithWeightsReadInPlaceIsBitIdentical) {
  expect_thread_invariant(nn::Conv2dOptions(64, 90, {3, 2}).padding({1, 1}), {1, 64, 7, 9}, kFloat32);
}

TEST(ConvThreads, OneByOneProjectionIsBitIdentical) {
  expect_thread_invariant(nn::Conv2dOptions(64, 32, 1).stride(2), {4, 64, 40, 40}, kFloat32);
}

// Transposed layers run the convolution kernels with the roles swapped: forward on grad_input's
// stride phases, grad_input on the forward, grad_weight with input and grad_output exchanged.
TEST(ConvThreads, DcganTransposedLayerIsBitIdentical) {
  expect_thread_invariant(nn::ConvTranspose2dOptions(32, 16, 4).stride(2).padding(1), {4, 32, 14, 14}, kFloat32);
}

TEST(ConvThreads, GroupedDilatedTransposedLayerWithOutputPaddingIsBitIdenticalInFloat64) {
  expect_thread_invariant(nn::ConvTranspose2dOptions(16, 24, {3, 2})
                              .stride({2, 1})
                              .padding(1)
                              .output_padding({1, 1})
                              .dilation({1, 2})
                              .groups(4),
                          {2, 16, 19, 23}, kFloat64);
}

TEST(ConvThreads, UpsamplingTransposedConv1dIsBitIdentical) {
  expect_thread_invariant(nn::ConvTranspose1dOptions(16, 16, 16).stride(8).padding(4), {3, 16, 500}, kFloat32);
}

}  // namespace
}  // namespace atrous
