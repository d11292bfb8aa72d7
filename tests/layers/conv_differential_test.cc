// SPDX-License-Identifier: Apache-2.0
// Differential testing: random convolution configurations (rank, batch incl. 0, channels,
// groups, H ≠ W, kernel, stride, padding incl. same/valid/causal, dilation, padding mode, bias,
// float32 and float64) through Conv1d/Conv2d, compared with the float64 oracle for the output
// and all gradients. The seed is printed; ATROUS_TEST_SEED replays it.
#include <random>
#include <sstream>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/reference/conv_reference.h"
#include "tests/support/seed.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

// How large a drawn configuration may be. The many small ones cover the option combinations;
// the wide ones cross the kernels' tile edges (8-row and 32-column register tiles, 256-pixel
// tasks, several k blocks) where the small ones never reach; the deep ones have output channels
// in whole 32-channel panels and enough input channels for the pixel-major forward to pay; the
// long 1-D ones span several tasks' tiles, whose middle ones read the padded sequence in place;
// the wide-input ones have input channels in whole 16- and 32-channel panels, so that strided
// layers take grad_input in one pass over dX; the narrow ones have at most 8 channels per group
// each way (the depthwise kernels) and kernels up to 7×7, or 31 taps in 1-D.
struct Limits {
  int configs;
  std::int64_t groups, cg_in, cg_out, extra, out_multiple = 1, dims = 0, in_multiple = 1;  // dims 0: 1 or 2
  std::int64_t kernel_max = 4;
};
constexpr Limits kSmall{2000, 3, 3, 2, 4};
constexpr Limits kWide{60, 2, 12, 40, 32};
constexpr Limits kDeep{24, 2, 48, 2, 20, 32};
constexpr Limits kLong{24, 2, 6, 6, 1500, 1, 1};
constexpr Limits kWideInput{120, 2, 2, 3, 24, 1, 0, 16};
constexpr Limits kNarrow{60, 6, 8, 8, 40, 1, 2, 1, 7};
constexpr Limits kNarrowLong{16, 8, 2, 2, 1200, 1, 1, 1, 31};

struct RandomConv {
  std::size_t dims;
  std::int64_t N, groups, cg_in, cg_out;
  Shape kernel, stride, dilation, spatial, pads;
  PaddingKind kind;
  PadMode mode;
  bool bias;
  ScalarType dtype;

  std::string str() const {
    std::ostringstream s;
    s << "Conv" << dims << "d(N=" << N << ", groups=" << groups << ", in=" << cg_in * groups
      << ", out=" << cg_out * groups << ", kernel=" << shape_str(kernel) << ", stride=" << shape_str(stride)
      << ", dilation=" << shape_str(dilation) << ", padding="
      << (kind == kSame     ? "same"
          : kind == kValid  ? "valid"
          : kind == kCausal ? "causal"
                            : shape_str(pads))
      << ", mode=" << pad_mode_name(mode) << ", bias=" << bias << ", " << dtype_name(dtype) << ", input spatial "
      << shape_str(spatial) << ")";
    return s.str();
  }
};

RandomConv draw(std::mt19937_64& rng, const Limits& limits) {
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  RandomConv c{};
  c.dims = static_cast<std::size_t>(limits.dims > 0 ? limits.dims : pick(1, 2));
  c.N = pick(0, 3) == 0 ? pick(0, 1) : pick(1, 3);  // batch 0 and 1 come up often
  c.groups = pick(1, limits.groups);
  c.cg_in = pick(1, limits.cg_in) * limits.in_multiple;
  c.cg_out = pick(1, limits.cg_out) * limits.out_multiple;
  c.mode = static_cast<PadMode>(std::array<int, 4>{0, 2, 3, 4}[static_cast<std::size_t>(pick(0, 3))]);
  c.bias = pick(0, 1) == 1;
  c.dtype = pick(0, 1) ? kFloat64 : kFloat32;
  const int kind = static_cast<int>(pick(0, c.dims == 1 ? 3 : 2));
  c.kind = kind == 0 ? PaddingKind::Explicit : kind == 1 ? kSame : kind == 2 ? kValid : kCausal;
  for (std::size_t i = 0; i < c.dims; ++i) {
    c.kernel.push_back(pick(1, limits.kernel_max));
    c.stride.push_back(c.kind == kSame ? 1 : pick(1, 3));
    c.dilation.push_back(pick(1, 3));
    c.pads.push_back(c.kind == PaddingKind::Explicit ? pick(0, 3) : 0);
    const std::int64_t span = c.dilation[i] * (c.kernel[i] - 1) + 1;
    // Big enough for the kernel, and for reflect (pad < size) and circular (pad <= size).
    std::int64_t before = c.pads[i], after = c.pads[i];
    if (c.kind == kSame) std::tie(before, after) = same_padding(c.kernel[i], c.dilation[i]);
    if (c.kind == kCausal) std::tie(before, after) = causal_padding(c.kernel[i], c.dilation[i]);
    const std::int64_t need = std::max({span - before - after, std::max(before, after) + 1, std::int64_t{1}});
    c.spatial.push_back(need + pick(0, limits.extra));
  }
  return c;
}

template <std::size_t D>
void check(const RandomConv& c, std::mt19937_64& rng) {
  nn::ConvOptions<D> o(c.cg_in * c.groups, c.cg_out * c.groups, c.kernel);
  o.stride(c.stride).dilation(c.dilation).groups(c.groups).bias(c.bias).padding_mode(c.mode);
  if (c.kind == PaddingKind::Explicit)
    o.padding(c.pads);
  else
    o.padding(c.kind);
  manual_seed(rng());
  nn::ConvNdImpl<D> conv(o);
  conv.to(c.dtype);
  Shape xs{c.N, c.cg_in * c.groups};
  xs.insert(xs.end(), c.spatial.begin(), c.spatial.end());
  const auto [x, y, gy] = test::run_with_random_gradient(conv, xs, c.dtype);

  reference::ConvConfig cfg;
  cfg.dims = D;
  cfg.stride = c.stride;
  cfg.dilation = c.dilation;
  cfg.groups = c.groups;
  cfg.mode = c.mode;
  for (std::size_t i = 0; i < D; ++i) {
    auto [b, a] = std::pair<std::int64_t, std::int64_t>{c.pads[i], c.pads[i]};
    if (c.kind == kSame) std::tie(b, a) = same_padding(c.kernel[i], c.dilation[i]);
    if (c.kind == kCausal) std::tie(b, a) = causal_padding(c.kernel[i], c.dilation[i]);
    cfg.pad_before.push_back(b);
    cfg.pad_after.push_back(a);
  }
  const Tensor ry = reference::conv_forward(x, conv.weight, conv.bias, cfg);
  const reference::ConvGrads rg = reference::conv_backward(x, conv.weight, gy, cfg, c.bias);
  // float32: each result sums at most Cin/g·kH·kW (forward), Cout/g·kH·kW (grad_input) or
  // N·OH·OW (grad_weight) products of values in [-1, 1]; float32 rounding keeps the error well
  // under 2e-5 per term.
  std::int64_t taps = 1;
  for (const std::int64_t k : c.kernel) taps *= k;
  const std::int64_t terms = std::max({std::int64_t{48}, std::max(c.cg_in, c.cg_out) * taps,
                                       y.numel() / std::max<std::int64_t>(1, c.cg_out * c.groups)});
  const double tol = c.dtype == kFloat32 ? 2e-5 * static_cast<double>(terms) : 1e-12;
  ASSERT_TRUE(reference::matches_oracle(y, x, conv.weight, conv.bias, ry, rg, tol)) << c.str();
}

void check_random(const char* name, const Limits& limits) {
  std::mt19937_64 rng(test::test_seed(name));
  for (int i = 0; i < limits.configs; ++i) {
    const RandomConv c = draw(rng, limits);
    SCOPED_TRACE("configuration " + std::to_string(i) + ": " + c.str());
    if (c.dims == 1)
      check<1>(c, rng);
    else
      check<2>(c, rng);
    if (testing::Test::HasFatalFailure()) return;
  }
}

TEST(ConvDifferential, RandomConfigurationsMatchTheFloat64Oracle) { check_random("ConvDifferential", kSmall); }

TEST(ConvDifferential, WideRandomConfigurationsMatchTheFloat64Oracle) { check_random("ConvDifferentialWide", kWide); }

TEST(ConvDifferential, DeepRandomConfigurationsMatchTheFloat64Oracle) { check_random("ConvDifferentialDeep", kDeep); }

TEST(ConvDifferential, LongSequenceConfigurationsMatchTheFloat64Oracle) { check_random("ConvDifferentialLong", kLong); }

TEST(ConvDifferential, WideInputConfigurationsMatchTheFloat64Oracle) {
  check_random("ConvDifferentialWideInput", kWideInput);
}

// A grad_weight too large for one core's L2 is computed in k blocks that share dYᵀ panels packed
// a slice of every unit range at a time: a 3×3 layer in k blocks, and a 1×1 layer of 4160 output
// channels whose 8 one-tile units (1 MB of float32 panels each) form 2 ranges, walked in 4 slices
// of one unit from each.
TEST(ConvDifferential, LargeWeightGradientsMatchTheFloat64Oracle) {
  std::mt19937_64 rng(test::test_seed("ConvDifferentialLargeWeight"));
  const auto layer = [](const std::int64_t N, const std::int64_t cg_in, const std::int64_t cg_out, const std::int64_t k,
                        const Shape& spatial, const ScalarType dtype) {
    return RandomConv{.dims = 2,
                      .N = N,
                      .groups = 1,
                      .cg_in = cg_in,
                      .cg_out = cg_out,
                      .kernel = {k, k},
                      .stride = {1, 1},
                      .dilation = {1, 1},
                      .spatial = spatial,
                      .pads = {k / 2, k / 2},
                      .kind = PaddingKind::Explicit,
                      .mode = PadMode::Zeros,
                      .bias = true,
                      .dtype = dtype};
  };
  for (const RandomConv& c : {layer(3, 64, 128, 3, {6, 5}, kFloat32), layer(3, 64, 64, 3, {6, 5}, kFloat64),
                              layer(8, 16, 4160, 1, {8, 8}, kFloat32), layer(8, 16, 4160, 1, {8, 8}, kFloat64)}) {
    SCOPED_TRACE(c.str());
    check<2>(c, rng);
  }
}

// A strided grad_input phase can be one input row whose dY row lies past dY's edge: a single-row
// virtual plane that is all zeros, not dY's row read in place (a random SCALAR configuration found
// the kernels reading it; 80 columns reach the in-place path on every target).
TEST(ConvDifferential, InputRowsThatNoOutputReadsGetZeroGradientOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    std::mt19937_64 rng(test::test_seed(("ConvDifferentialEdgePhase" + target).c_str()));
    const RandomConv c{.dims = 2,
                       .N = 2,
                       .groups = 1,
                       .cg_in = 4,
                       .cg_out = 8,
                       .kernel = {3, 1},
                       .stride = {3, 1},
                       .dilation = {1, 1},
                       .spatial = {3, 80},
                       .pads = {1, 0},
                       .kind = PaddingKind::Explicit,
                       .mode = PadMode::Zeros,
                       .bias = false,
                       .dtype = kFloat32};
    check<2>(c, rng);
  });
}

// Grid tiles without wrap-around columns accumulate their whole panels in the output planes and
// only the rest in a tile buffer: 1×1 layers (stride 1 and 2) and a causal 1-D layer whose
// channels end in a part panel (20 = 8 + 8 + 4), whose tiles end in a part 32-pixel panel, and
// whose reductions span two k blocks (260 input channels), with a bias, on every target.
TEST(ConvDifferential, TilesAccumulatedInTheOutputPlanesMatchTheFloat64OracleOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    std::mt19937_64 rng(test::test_seed(("ConvDifferentialOutputPanels" + target).c_str()));
    for (const ScalarType dtype : {kFloat32, kFloat64}) {
      for (const std::int64_t stride : {1, 2}) {
        const RandomConv c{.dims = 2,
                           .N = 2,
                           .groups = 1,
                           .cg_in = 260,
                           .cg_out = 20,
                           .kernel = {1, 1},
                           .stride = {stride, stride},
                           .dilation = {1, 1},
                           .spatial = {9 * stride, 30 * stride},
                           .pads = {0, 0},
                           .kind = PaddingKind::Explicit,
                           .mode = PadMode::Zeros,
                           .bias = true,
                           .dtype = dtype};
        SCOPED_TRACE(c.str());
        check<2>(c, rng);
      }
      const RandomConv causal{.dims = 1,
                              .N = 2,
                              .groups = 1,
                              .cg_in = 130,
                              .cg_out = 20,
                              .kernel = {2},
                              .stride = {1},
                              .dilation = {5},
                              .spatial = {300},
                              .pads = {0},
                              .kind = kCausal,
                              .mode = PadMode::Zeros,
                              .bias = true,
                              .dtype = dtype};
      SCOPED_TRACE(causal.str());
      check<1>(causal, rng);
    }
  });
}

// Strided 2-D layers with output channels in whole panels run pixel-major, their bands holding the
// virtual plane unstrided: zero-padded, reflect-padded, and unpadded (read from the source in
// place), strides 2 and (2, 3), dilated, tiles of 256 pixels crossing output rows, on every target.
TEST(ConvDifferential, StridedPixelMajorLayersMatchTheFloat64OracleOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    std::mt19937_64 rng(test::test_seed(("ConvDifferentialStridedPixels" + target).c_str()));
    int i = 0;
    for (const PadMode mode : {PadMode::Zeros, PadMode::Reflect}) {
      for (const std::int64_t pad : {0, 1}) {
        const RandomConv c{.dims = 2,
                           .N = 2,
                           .groups = 1,
                           .cg_in = 8,
                           .cg_out = 64,
                           .kernel = {3, 3},
                           .stride = {2, i % 2 == 0 ? 2 : 3},
                           .dilation = {1, i == 3 ? 2 : 1},
                           .spatial = {33, 35},
                           .pads = {pad, pad},
                           .kind = PaddingKind::Explicit,
                           .mode = mode,
                           .bias = true,
                           .dtype = i < 2 ? kFloat32 : kFloat64};
        SCOPED_TRACE(c.str());
        check<2>(c, rng);
        if (testing::Test::HasFatalFailure()) return;
        ++i;
      }
    }
  });
}

// Strided layers whose input channels per group come in whole panels (32 on every target) take
// grad_input in one pass over dX: the ResNet downsampling shape, strides (2, 3) with dilation,
// stride 3 over a 2-tap kernel (input pixels no tap reaches), groups, a reflect-padded layer
// (through its unpadded gradient), tiles of whole rows and, in 1-D, runs of one long row; float32
// and float64, on every target.
TEST(ConvDifferential, StridedInputGradientsInOnePassMatchTheFloat64OracleOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    std::mt19937_64 rng(test::test_seed(("ConvDifferentialInputPass" + target).c_str()));
    const auto layer = [](const Shape& kernel, const Shape& stride, const Shape& dilation, const Shape& pads,
                          const std::int64_t groups, const PadMode mode, const Shape& spatial, const ScalarType dtype) {
      return RandomConv{.dims = spatial.size(),
                        .N = 2,
                        .groups = groups,
                        .cg_in = 32,
                        .cg_out = 12,
                        .kernel = kernel,
                        .stride = stride,
                        .dilation = dilation,
                        .spatial = spatial,
                        .pads = pads,
                        .kind = PaddingKind::Explicit,
                        .mode = mode,
                        .bias = false,
                        .dtype = dtype};
    };
    const RandomConv layers[] = {
        layer({3, 3}, {2, 2}, {1, 1}, {1, 1}, 1, PadMode::Zeros, {34, 31}, kFloat32),
        layer({3, 3}, {2, 3}, {1, 2}, {2, 1}, 1, PadMode::Zeros, {33, 40}, kFloat64),
        layer({2, 2}, {3, 3}, {1, 1}, {0, 1}, 2, PadMode::Zeros, {20, 26}, kFloat32),
        layer({3, 3}, {2, 2}, {1, 1}, {1, 1}, 1, PadMode::Reflect, {21, 18}, kFloat64),
        layer({3}, {2}, {2}, {3}, 1, PadMode::Zeros, {2500}, kFloat32),
    };
    for (const RandomConv& c : layers) {
      SCOPED_TRACE(c.str());
      if (c.dims == 1)
        check<1>(c, rng);
      else
        check<2>(c, rng);
      if (testing::Test::HasFatalFailure()) return;
    }
  });
}

// 3×3 stride-1 layers with 8 or more channels each way run as Winograd F(2×2, 3×3), forward and
// grad_input: every padding mode, 'valid', odd and even output sizes (tiles cut at the bottom and
// right edges), tile runs longer than a tile row, dilations (one undilated layer per output
// phase), micro-kernel blocks and task runs that take tiles from two images or phases, groups,
// part channel panels, on every target.
TEST(ConvDifferential, WinogradLayersMatchTheFloat64OracleOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    std::mt19937_64 rng(test::test_seed(("ConvDifferentialWinograd" + target).c_str()));
    int i = 0;
    for (const PadMode mode : {PadMode::Zeros, PadMode::Reflect, PadMode::Replicate, PadMode::Circular}) {
      for (const Shape& spatial : {Shape{7, 10}, Shape{12, 5}, Shape{3, 40}, Shape{11, 13}}) {
        const bool valid = i % 3 == 2, grouped = i % 2 == 1;
        const std::int64_t dh = spatial[0] == 11 ? 1 + i % 3 : 1, dw = spatial[0] == 11 ? 2 + i % 2 : 1;
        const RandomConv c{.dims = 2,
                           .N = 2,
                           .groups = grouped ? 2 : 1,
                           .cg_in = 9,
                           .cg_out = grouped ? 12 : 20,
                           .kernel = {3, 3},
                           .stride = {1, 1},
                           .dilation = {dh, dw},
                           .spatial = spatial,
                           .pads = {valid ? 0 : dh, valid ? 0 : dw},
                           .kind = valid ? kValid : PaddingKind::Explicit,
                           .mode = valid ? PadMode::Zeros : mode,
                           .bias = i % 4 != 3,
                           .dtype = i % 2 == 0 ? kFloat32 : kFloat64};
        SCOPED_TRACE(c.str());
        check<2>(c, rng);
        if (testing::Test::HasFatalFailure()) return;
        ++i;
      }
    }
    // Blocks enough (1056 float64 tiles) for tasks of several blocks, whose runs cross images.
    const RandomConv c{.dims = 2,
                       .N = 4,
                       .groups = 1,
                       .cg_in = 9,
                       .cg_out = 12,
                       .kernel = {3, 3},
                       .stride = {1, 1},
                       .dilation = {1, 1},
                       .spatial = {23, 44},
                       .pads = {1, 1},
                       .kind = PaddingKind::Explicit,
                       .mode = PadMode::Reflect,
                       .bias = true,
                       .dtype = kFloat64};
    SCOPED_TRACE(c.str());
    check<2>(c, rng);
  });
}

// Depthwise and narrow-group layers (at most 8 channels per group each way: the depthwise kernels),
// 2-D kernels up to 7×7 (1×k and k×1 among them) and 1-D ones up to 31 taps over sequences that
// span several tasks, with every padding mode, stride and dilation, on every target.
TEST(ConvDifferential, NarrowGroupLayersMatchTheFloat64OracleOnEveryTarget) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    check_random(("ConvDifferentialNarrow" + target).c_str(), kNarrow);
    if (testing::Test::HasFatalFailure()) return;
    check_random(("ConvDifferentialNarrowLong" + target).c_str(), kNarrowLong);
  });
}

// The kernels' per-target code (tile shapes, masked tails, scalar fallbacks) on every target this
// build compiled that the machine runs, with fewer configurations of each kind.
TEST(ConvDifferential, EverySimdTargetMatchesTheFloat64Oracle) {
  test::for_each_simd_target([](const std::string& target) {
    SCOPED_TRACE("SIMD target " + target);
    for (const Limits& kind : {Limits{150, 3, 3, 2, 4}, Limits{8, 2, 12, 40, 32}, Limits{3, 2, 48, 2, 20, 32},
                               Limits{4, 2, 6, 6, 1500, 1, 1}, Limits{12, 2, 2, 3, 24, 1, 0, 16}}) {
      check_random(("ConvDifferentialTargets" + target).c_str(), kind);
      if (testing::Test::HasFatalFailure()) return;
    }
  });
}

}  // namespace
}  // namespace atrous
