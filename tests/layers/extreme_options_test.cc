// SPDX-License-Identifier: Apache-2.0
// Every integer option of the convolution, pooling and pad entry points, one at a time, set to
// extreme values (0, 1, 2^31, 2^59, 2^62, INT64_MAX and neighbours) on small tensors: each call
// either raises std::invalid_argument or gives the float64 oracle's output and gradients. A
// valid huge value (a stride of INT64_MAX: one output) must compute; an unrepresentable one must
// not wrap into an index. Outputs too large to compute here run with an empty batch, which
// checks their shape against the formula evaluated in long double.
#include <cmath>
#include <limits>
#include <vector>

#include "atrous/autograd/ops/conv.h"
#include "atrous/autograd/ops/pool.h"
#include "atrous/layers/functional/conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/reference/conv_reference.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

std::vector<std::int64_t> extreme_values() {
  std::vector<std::int64_t> v{-1, 0, 1, 2, 3, 7};
  for (const std::int64_t big : {std::int64_t{1} << 31, std::int64_t{1} << 59, std::int64_t{1} << 62, kMax}) {
    for (std::int64_t minus = 0; minus <= 2; ++minus) v.push_back(big - minus);
  }
  return v;
}

// The output length in long double (exact for int64 operands), or −1 when it would not fit.
long double formula(long double input, long double kernel, long double before, long double after, long double stride,
                    long double dilation) {
  const long double room = input + before + after - dilation * (kernel - 1) - 1;
  if (room < 0) return 0;
  return std::floor(room / stride) + 1;
}

struct ConvCase {
  std::size_t dims;
  Shape stride, dilation, before, after;
  std::int64_t groups = 1;
  PadMode mode = PadMode::Zeros;

  native::ConvParams params() const {
    native::ConvParams p;
    p.dims = static_cast<std::int64_t>(dims);
    p.stride = stride, p.dilation = dilation, p.pad_before = before, p.pad_after = after;
    p.groups = groups, p.mode = mode;
    return p;
  }
  reference::ConvConfig config() const { return {dims, stride, dilation, before, after, groups, mode}; }
};

// Runs one configuration: an invalid_argument, or the oracle's numbers. Returns whether it ran.
bool run_conv_case(const ConvCase& c) {
  const Shape spatial = c.dims == 1 ? Shape{9} : Shape{5, 6};
  const Shape kernel = c.dims == 1 ? Shape{3} : Shape{3, 2};
  long double numel = 2 * 4;  // N × C_out
  for (std::size_t i = 0; i < c.dims; ++i) {
    numel *= formula(static_cast<long double>(spatial[i]), static_cast<long double>(kernel[i]),
                     static_cast<long double>(c.before[i]), static_cast<long double>(c.after[i]),
                     static_cast<long double>(std::max<std::int64_t>(c.stride[i], 1)),
                     static_cast<long double>(std::max<std::int64_t>(c.dilation[i], 1)));
  }
  const std::int64_t N = numel > 2e5L ? 0 : 2;  // too large to compute: shape only
  Shape xs{N, 4};
  Shape ws{4, 4 / std::max<std::int64_t>(c.groups, 1)};
  for (std::size_t i = 0; i < c.dims; ++i) xs.push_back(spatial[i]), ws.push_back(kernel[i]);
  const Tensor x = randn(xs, kFloat64).requires_grad_(), w = randn(ws, kFloat64).requires_grad_();
  const Tensor b = randn({4}, kFloat64).requires_grad_();
  Tensor y;
  try {
    y = autograd::convolution(c.dims == 1 ? "conv1d" : "conv2d", x, w, b, c.params());
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("conv"), std::string::npos) << e.what();
    return false;
  }
  for (std::size_t i = 0; i < c.dims; ++i) {
    const long double expect = formula(static_cast<long double>(spatial[i]), static_cast<long double>(kernel[i]),
                                       static_cast<long double>(c.before[i]), static_cast<long double>(c.after[i]),
                                       static_cast<long double>(c.stride[i]), static_cast<long double>(c.dilation[i]));
    EXPECT_EQ(static_cast<long double>(y.size(static_cast<std::int64_t>(2 + i))), expect) << "axis " << i;
  }
  if (N == 0) return true;
  const Tensor gy = randn(y.sizes(), kFloat64);
  y.backward(gy);
  const Tensor ry = reference::conv_forward(x.detach(), w.detach(), b.detach(), c.config());
  const reference::ConvGrads rg = reference::conv_backward(x.detach(), w.detach(), gy, c.config(), true);
  EXPECT_TRUE(test::all_close(y.detach(), ry, 1e-12, 1e-12));
  EXPECT_TRUE(test::all_close(x.grad(), rg.input, 1e-12, 1e-12));
  EXPECT_TRUE(test::all_close(w.grad(), rg.weight, 1e-12, 1e-12));
  return true;
}

std::string describe(const ConvCase& c) {
  return str_cat("conv", c.dims, "d stride ", shape_str(c.stride), " dilation ", shape_str(c.dilation), " pads ",
                 shape_str(c.before), "/", shape_str(c.after), " groups ", c.groups, " mode ", pad_mode_name(c.mode));
}

TEST(ExtremeOptions, ConvolutionOptionsRaiseOrMatchTheOracle) {
  manual_seed(11);
  int ran = 0, refused = 0;
  for (const std::size_t dims : {std::size_t{1}, std::size_t{2}}) {
    for (const PadMode mode : {PadMode::Zeros, PadMode::Reflect, PadMode::Replicate, PadMode::Circular}) {
      for (std::size_t axis = 0; axis < dims; ++axis) {
        for (const std::int64_t v : extreme_values()) {
          for (int option = 0; option < 5; ++option) {
            ConvCase c{dims, Shape(dims, 1), Shape(dims, 1), Shape(dims, 1), Shape(dims, 1), 1, mode};
            if (option == 0) c.stride[axis] = v;
            if (option == 1) c.dilation[axis] = v;
            if (option == 2) c.before[axis] = v;
            if (option == 3) c.after[axis] = v;
            if (option == 4) c.groups = v;
            if (option == 1) c.before[axis] = c.after[axis] = v;  // a dilated tap reaches the data only padded
            SCOPED_TRACE(describe(c));
            (run_conv_case(c) ? ran : refused) += 1;
          }
        }
      }
    }
  }
  EXPECT_GT(ran, 100);  // the sweep computes valid huge options, not only refuses them
  EXPECT_GT(refused, 100);
}

TEST(ExtremeOptions, HugeStrideGivesOneOutputAsPyTorch) {
  // PyTorch: conv1d(x, w, stride=2**62) reads taps 0..k-1 once.
  const Tensor x = arange(0, 8, 1, kFloat64).reshape({1, 1, 8}), w = ones({1, 1, 3}, kFloat64);
  for (const std::int64_t s : {std::int64_t{1} << 59, std::int64_t{1} << 62, kMax}) {
    const Tensor y = nn::functional::conv1d(x, w, nn::functional::Conv1dFuncOptions().stride(s));
    ASSERT_EQ(y.sizes(), (Shape{1, 1, 1}));
    EXPECT_EQ(y.item<double>(), 0 + 1 + 2);
  }
}

TEST(ExtremeOptions, DilationThatOverflowsIsRefusedWithTheFormula) {
  const Tensor x = ones({1, 1, 10, 10}), w = ones({1, 1, 3, 3});
  try {
    nn::functional::conv2d(x, w, nn::functional::Conv2dFuncOptions().dilation(kMax));
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("conv2d"), std::string::npos) << m;
    EXPECT_NE(m.find("dilation*(kernel-1) + 1 = 9223372036854775807*2 + 1"), std::string::npos) << m;
  }
}

TEST(ExtremeOptions, HugePaddingAndDilationCostWhatTheOutputCosts) {
  // padding = dilation = 1e7 around an 8×8 input: an 8×8 output whose outer taps read zeros.
  const Tensor x = randn({1, 2, 8, 8}, kFloat64).requires_grad_(), w = randn({3, 2, 3, 3}, kFloat64).requires_grad_();
  native::ConvParams p;
  p.stride = {1, 1}, p.dilation = {10000000, 10000000}, p.pad_before = p.pad_after = {10000000, 10000000};
  const Tensor y = autograd::convolution("conv2d", x, w, Tensor(), p);
  ASSERT_EQ(y.sizes(), (Shape{1, 3, 8, 8}));
  const reference::ConvConfig cfg{2, p.stride, p.dilation, p.pad_before, p.pad_after, 1, PadMode::Zeros};
  EXPECT_TRUE(
      test::all_close(y.detach(), reference::conv_forward(x.detach(), w.detach(), Tensor(), cfg), 1e-12, 1e-12));
  y.sum().backward();
  EXPECT_TRUE(test::all_close(x.grad(),
                              reference::conv_backward(x.detach(), w.detach(), ones_like(y.detach()), cfg, false).input,
                              1e-12, 1e-12));
}

TEST(ExtremeOptions, ScatteredConvolutionsAreBitIdenticalForAnyThreadCount) {
  // Pads of 1e6 around 9×7 inputs with a dilation of 5e5: the scattered kernels, every pass.
  manual_seed(3);
  const Tensor x = randn({3, 4, 9, 7}), w = randn({6, 2, 3, 3}), gy = randn({3, 6, 9, 7});
  native::ConvParams p;
  p.stride = {1, 1}, p.dilation = {500000, 500000}, p.pad_before = p.pad_after = {500000, 500000}, p.groups = 2;
  std::vector<Tensor> one;
  for (const int threads : {1, 2, 3}) {
    test::with_threads(threads, [&] {
      const Tensor xr = x.detach().requires_grad_(), wr = w.detach().requires_grad_();
      const Tensor y = autograd::convolution("conv2d", xr, wr, Tensor(), p);
      y.backward(gy);
      const std::vector<Tensor> now{y.detach(), xr.grad(), wr.grad()};
      if (one.empty()) one = now;
      for (std::size_t i = 0; i < now.size(); ++i)
        EXPECT_TRUE(test::bit_identical(now[i], one[i])) << threads << " " << i;
    });
  }
}

// Max and average pooling, naively: windows clipped to the input; the average divides by the
// padded window (count_include_pad) clipped to input + padding, as PyTorch does.
Tensor naive_pool(const Tensor& x, const native::PoolParams& p, const bool max, const std::int64_t OH,
                  const std::int64_t OW) {
  const std::int64_t H = x.size(2), W = x.size(3), planes = x.size(0) * x.size(1);
  Tensor y = zeros({x.size(0), x.size(1), OH, OW}, kFloat64);
  for (std::int64_t q = 0; q < planes; ++q) {
    for (std::int64_t oh = 0; oh < OH; ++oh) {
      for (std::int64_t ow = 0; ow < OW; ++ow) {
        double acc = max ? -INFINITY : 0.0;
        for (std::int64_t h = 0; h < H; ++h) {
          for (std::int64_t w = 0; w < W; ++w) {
            const std::int64_t dh = h + p.pH - oh * p.sH, dw = w + p.pW - ow * p.sW;  // offsets in the window
            if (dh < 0 || dw < 0 || dh % p.dH != 0 || dw % p.dW != 0 || dh / p.dH >= p.kH || dw / p.dW >= p.kW)
              continue;
            const double v = value_at(x, (q * H + h) * W + w);
            acc = max ? std::max(acc, v) : acc + v;
          }
        }
        if (!max) {
          const double rows = static_cast<double>(std::min(oh * p.sH - p.pH + p.kH, H + p.pH) - (oh * p.sH - p.pH));
          const double cols = static_cast<double>(std::min(ow * p.sW - p.pW + p.kW, W + p.pW) - (ow * p.sW - p.pW));
          acc /= rows * cols;
        }
        y.data_ptr<double>()[(q * OH + oh) * OW + ow] = acc;
      }
    }
  }
  return y;
}

TEST(ExtremeOptions, PoolingOptionsRaiseOrMatchANaivePool) {
  manual_seed(12);
  int ran = 0;
  for (const bool max : {true, false}) {
    for (const bool ceil : {false, true}) {
      for (int option = 0; option < 4; ++option) {
        for (const std::int64_t v : extreme_values()) {
          native::PoolParams p;
          p.kH = p.kW = 2, p.sH = p.sW = 2, p.ceil_mode = ceil;
          if (option == 0) p.kW = v, p.pW = v > 1 ? v / 2 : 0;  // the largest padding a kernel allows
          if (option == 1) p.sW = v;
          if (option == 2) p.pW = v;
          if (option == 3 && max) p.dW = v;
          SCOPED_TRACE(str_cat(max ? "max" : "avg", " ceil ", ceil, " kernel ", p.kW, " stride ", p.sW, " pad ", p.pW,
                               " dilation ", p.dW));
          const Tensor x = randn({1, 2, 5, 7}, kFloat64);
          Tensor y;
          try {
            y = max ? autograd::max_pool2d(x, p) : autograd::avg_pool2d(x, p);
          } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("pool"), std::string::npos) << e.what();
            continue;
          }
          ++ran;
          EXPECT_TRUE(test::all_close(y, naive_pool(x, p, max, y.size(2), y.size(3)), 1e-12, 1e-12));
        }
      }
    }
  }
  EXPECT_GT(ran, 20);
}

TEST(ExtremeOptions, PadOptionsRaiseOrGiveTheFormulaShape) {
  for (const std::int64_t v : extreme_values()) {
    for (const std::int64_t sign : {1, -1}) {
      const std::int64_t pad = sign * v;
      const Tensor x = ones({0, 3, 4});  // no planes: any valid size is cheap
      try {
        const Tensor y = autograd::pad(x, {pad, 2}, PadMode::Constant);
        EXPECT_EQ(static_cast<long double>(y.size(2)), 4.0L + static_cast<long double>(pad) + 2);
      } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("pad"), std::string::npos) << e.what();
        EXPECT_TRUE(4.0L + static_cast<long double>(pad) + 2 < 0 || 4.0L + static_cast<long double>(pad) + 2 > 0x1p63L)
            << "refused a representable pad " << pad;
      }
    }
  }
}

}  // namespace
}  // namespace atrous
