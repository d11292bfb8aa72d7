// SPDX-License-Identifier: Apache-2.0
// Winograd F(2×2, 3×3) and F(4×4, 3×3) at the edges of their tiles (output sizes that are not
// multiples of the tile cut its blocks), their blocks of NR tiles (tiles taken across images and
// dilated output phases) and channel panels, on every SIMD target, with NaN around every operand:
// against the float64 reference, and with the memory around the output untouched.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "atrous/tensor/conv/conv_plan.h"
#include "atrous/tensor/conv/direct_conv.h"
#include "atrous/tensor/conv/winograd_conv.h"
#include "atrous/tensor/conv/winograd_tiles.h"
#include "atrous/tensor/random.h"
#include "tests/reference/conv_reference.h"
#include "tests/support/poisoned.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

struct Case {
  std::int64_t N, Ci, Co, H, W, pad, dilation;
  PadMode mode = PadMode::Zeros;

  std::string str() const {
    return "N=" + std::to_string(N) + " Ci=" + std::to_string(Ci) + " Co=" + std::to_string(Co) + " " +
           std::to_string(H) + "x" + std::to_string(W) + " p=" + std::to_string(pad) +
           " d=" + std::to_string(dilation) + " " + pad_mode_name(mode);
  }
};

const Case kCases[] = {
    {1, 8, 8, 4, 4, 0, 1},
    {1, 8, 9, 5, 7, 1, 1},
    {3, 9, 16, 9, 8, 1, 1},
    {2, 16, 33, 17, 15, 1, 1},
    {1, 33, 8, 6, 31, 0, 1},
    {1, 8, 8, 13, 13, 2, 2},
    {2, 12, 10, 10, 11, 1, 3},
    {1, 8, 17, 8, 8, 1, 1, PadMode::Reflect},
    {1, 10, 8, 7, 9, 1, 1, PadMode::Replicate},
    {1, 64, 64, 6, 6, 1, 1},
};

// Case c's shapes, options, Winograd's plans and the oracle's configuration.
struct Layer {
  Shape input, weight;
  native::ConvParams params;
  std::vector<native::DirectConvPlan> plans;
  reference::ConvConfig cfg;

  Layer(const Case& c, const std::size_t element_size)
      : input{c.N, c.Ci, c.H, c.W}, weight{c.Co, c.Ci, 3, 3}, cfg{2,
                                                                  {1, 1},
                                                                  {c.dilation, c.dilation},
                                                                  {c.pad, c.pad},
                                                                  {c.pad, c.pad},
                                                                  1,
                                                                  c.mode} {
    params.dilation = {c.dilation, c.dilation};
    params.pad_before = params.pad_after = {c.pad, c.pad};
    params.mode = c.mode;
    plans = native::winograd_plans(native::direct_forward_plan(native::make_conv_plan(input, weight, params)),
                                   element_size);
  }
};

template <typename T>
void check(const Case& c, const std::int64_t tile, const std::string& what) {
  const ScalarType dtype = std::is_same_v<T, float> ? kFloat32 : kFloat64;
  const Layer layer(c, sizeof(T));
  const Shape &input = layer.input, &weight = layer.weight;
  const std::vector<native::DirectConvPlan>& plans = layer.plans;
  ASSERT_FALSE(plans.empty()) << "Winograd declined " << what;
  const Tensor x = randn(input, dtype), w = randn(weight, dtype), b = randn({c.Co}, dtype);
  const Tensor want = reference::conv_forward(x, w, b, layer.cfg);
  test::Poisoned<T> px(x), pw(w), pb(b), out(static_cast<std::size_t>(want.numel()));
  ASSERT_TRUE(native::winograd_conv(plans, px.data(), pw.data(), pb.data(), out.data(), tile)) << what;
  // The transforms round differently from the direct sum: a few more ulps per term.
  const double tol = dtype == kFloat32 ? 1e-4 * static_cast<double>(c.Ci * 9 + 48) : 1e-11;
  EXPECT_TRUE(test::all_close(out.tensor(want.sizes()), want, tol, tol)) << what;
  EXPECT_TRUE(out.guards_intact()) << "wrote past its output: " << what;
}

// fn(case, tile, label) for every case and both tiles, on every SIMD target.
template <class Fn>
void for_every_case_and_tile(const Fn& fn) {
  test::for_each_simd_target([&](const std::string& target) {
    for (const Case& c : kCases) {
      for (const std::int64_t tile : {2, 4}) {
        fn(c, tile, target + " F(" + std::to_string(tile) + "x" + std::to_string(tile) + ") " + c.str());
      }
    }
  });
}

TEST(Winograd, EveryTileBlockAndPanelEdgeMatchesTheReferenceInsidePoisonedMemoryOnEverySimdTarget) {
  manual_seed(23);
  for_every_case_and_tile([](const Case& c, const std::int64_t tile, const std::string& what) {
    check<float>(c, tile, "float32 " + what);
    check<double>(c, tile, "float64 " + what);
  });
}

// grad_weight of case c through winograd_conv_weight with `tile`, against the float64 oracle.
template <typename T>
void check_weight(const Case& c, const std::int64_t tile, const std::string& what) {
  const ScalarType dtype = std::is_same_v<T, float> ? kFloat32 : kFloat64;
  const Layer layer(c, sizeof(T));
  const Shape &input = layer.input, &weight = layer.weight;
  const std::vector<native::DirectConvPlan>& plans = layer.plans;
  ASSERT_FALSE(plans.empty()) << "Winograd declined " << what;
  const Tensor x = randn(input, dtype), w = randn(weight, dtype);
  const Tensor gy = randn(native::conv_output_shape(input, weight, layer.params), dtype);
  const Tensor want = reference::conv_backward(x, w, gy, layer.cfg, false).weight;
  test::Poisoned<T> px(x), pgy(gy), out(static_cast<std::size_t>(want.numel()));
  ASSERT_TRUE(native::winograd_conv_weight(plans, px.data(), pgy.data(), out.data(), tile)) << what;
  // Each weight sums N·OH·OW products; the transforms round a few more ulps per term.
  const double tol = dtype == kFloat32 ? 1e-5 * static_cast<double>(c.N * c.H * c.W + 48) : 1e-11;
  EXPECT_TRUE(test::all_close(out.tensor(want.sizes()), want, tol, tol)) << what;
  EXPECT_TRUE(out.guards_intact()) << "wrote past its output: " << what;
}

TEST(Winograd, WeightGradientAtEveryTileBlockAndPanelEdgeMatchesTheReferenceOnEverySimdTarget) {
  manual_seed(29);
  for_every_case_and_tile([](const Case& c, const std::int64_t tile, const std::string& what) {
    check_weight<float>(c, tile, "float32 " + what);
    check_weight<double>(c, tile, "float64 " + what);
  });
}

// An Inf or NaN in the input or dY, or values whose products could overflow the sums over the
// tiles: Winograd's grad_weight declines, writing nothing, and the caller takes the direct sum.
TEST(Winograd, WeightGradientDeclinesNonFiniteOrHugeValuesWritingNothing) {
  const Shape input{2, 8, 9, 9}, weight{8, 8, 3, 3};
  native::ConvParams same;
  same.pad_before = same.pad_after = {1, 1};
  const std::vector<native::DirectConvPlan> plans =
      native::winograd_plans(native::direct_forward_plan(native::make_conv_plan(input, weight, same)), 4);
  ASSERT_FALSE(plans.empty());
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  for (const float bad : {inf, -inf, nan, 3e38F}) {
    for (const bool in_dy : {false, true}) {
      std::vector<float> x(2 * 8 * 9 * 9, 1.0F), gy(2 * 8 * 9 * 9, 1.0F), gw(8 * 8 * 9, 7.0F);
      (in_dy ? gy : x)[100] = bad;
      for (const std::int64_t tile : {2, 4}) {
        EXPECT_FALSE(native::winograd_conv_weight(plans, x.data(), gy.data(), gw.data(), tile))
            << bad << (in_dy ? " in dY" : " in the input") << " F(" << tile << "x" << tile << ")";
        EXPECT_TRUE(std::all_of(gw.begin(), gw.end(), [](const float v) { return v == 7.0F; }));
      }
    }
  }
}

// A tile row's last tile overhangs a 14-wide output (F(4×4): 4 tiles, 16 columns) and its
// window reads two positions past the band's line. grad_weight multiplies what it reads there by
// transformed zeros, which are not exact zeros: it must read the band's own values, not what an
// earlier call left in the thread's scratch — here the NaN dY of a declined call.
TEST(Winograd, WeightGradientPastTheRightEdgeIgnoresWhatAnEarlierCallLeftInScratch) {
  manual_seed(31);
  native::ConvParams same;
  same.pad_before = same.pad_after = {1, 1};
  const auto plans_of = [&](const Shape& input, const Shape& weight) {
    return native::winograd_plans(native::direct_forward_plan(native::make_conv_plan(input, weight, same)), 4);
  };
  const Shape big{1, 8, 40, 40}, small{1, 8, 14, 14}, weight{8, 8, 3, 3};
  const std::vector<native::DirectConvPlan> big_plans = plans_of(big, weight), small_plans = plans_of(small, weight);
  ASSERT_FALSE(big_plans.empty());
  ASSERT_FALSE(small_plans.empty());
  const Tensor x = randn(small, kFloat32), gy = randn(small, kFloat32);
  const reference::ConvConfig cfg{2, {1, 1}, {1, 1}, {1, 1}, {1, 1}, 1, PadMode::Zeros};
  const Tensor want = reference::conv_backward(x, randn(weight, kFloat32), gy, cfg, false).weight;
  test::with_threads(1, [&] {
    test::for_each_simd_target([&](const std::string& target) {
      std::vector<float> big_x(static_cast<std::size_t>(1 * 8 * 40 * 40), 1.0F);
      std::vector<float> nan_gy(big_x.size(), std::numeric_limits<float>::quiet_NaN());
      std::vector<float> gw(static_cast<std::size_t>(8 * 8 * 3 * 3));
      ASSERT_FALSE(native::winograd_conv_weight(big_plans, big_x.data(), nan_gy.data(), gw.data(), 4)) << target;
      ASSERT_TRUE(native::winograd_conv_weight(small_plans, x.data_ptr<float>(), gy.data_ptr<float>(), gw.data(), 4))
          << target;
      EXPECT_TRUE(test::all_close(from_blob(gw.data(), weight, kFloat32), want, 2e-3, 2e-3)) << target;
    });
  });
}

TEST(Winograd, DeclinesStridedAndNarrowLayers) {
  const Shape input{1, 8, 8, 8};
  native::ConvParams strided;
  strided.stride = {2, 2};
  EXPECT_TRUE(
      native::winograd_plans(native::direct_forward_plan(native::make_conv_plan(input, {8, 8, 3, 3}, strided)), 4)
          .empty());
  EXPECT_TRUE(native::winograd_plans(
                  native::direct_forward_plan(native::make_conv_plan(input, {4, 8, 3, 3}, native::ConvParams{})), 4)
                  .empty());
}

// The tile whose estimated time is the lower: 4×4 where a map's side fills whole 4-wide tiles and
// the channels make the GEMMs dominate; 2×2 where a 2×2 output would leave most of a 4×4 tile
// empty, or where a batch-1 call's 4 tiles of 4×4 would fill an eighth of a GEMM block.
TEST(Winograd, TakesFourByFourTilesOnWideLayersAndTwoByTwoOnTinyOutputs) {
  const auto tile = [](const Shape& input, const std::int64_t channels) {
    native::ConvParams same;
    same.pad_before = same.pad_after = {1, 1};
    const native::DirectConvPlan p =
        native::direct_forward_plan(native::make_conv_plan(input, {channels, input[1], 3, 3}, same));
    return native::winograd::tile_for({p}, 16).m;
  };
  EXPECT_EQ(tile({8, 64, 56, 56}, 64), 4);
  EXPECT_EQ(tile({8, 128, 28, 28}, 128), 4);
  EXPECT_EQ(tile({128, 128, 7, 7}, 128), 4);
  EXPECT_EQ(tile({8, 64, 2, 2}, 64), 2);
  EXPECT_EQ(tile({1, 128, 7, 7}, 128), 2);
}

}  // namespace
}  // namespace atrous
