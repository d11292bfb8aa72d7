// SPDX-License-Identifier: Apache-2.0
// The direct convolution kernels (forward, grad_weight, one-pass strided grad_input) at the
// edges of their tiles (256 grid positions or real pixels), panels (MR and NR output channels)
// and k blocks, on every SIMD target, with NaN around every operand: against the float64
// reference, and with the memory around each output untouched.
#include <string>

#include "atrous/tensor/conv/conv_plan.h"
#include "atrous/tensor/conv/direct_conv.h"
#include "atrous/tensor/random.h"
#include "tests/reference/conv_reference.h"
#include "tests/support/poisoned.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

struct Case {
  std::int64_t N, Ci, Co, H, W, k, stride, pad, dilation;
  PadMode mode = PadMode::Zeros;

  std::string str() const {
    return "N=" + std::to_string(N) + " Ci=" + std::to_string(Ci) + " Co=" + std::to_string(Co) + " " +
           std::to_string(H) + "x" + std::to_string(W) + " k=" + std::to_string(k) + " s=" + std::to_string(stride) +
           " p=" + std::to_string(pad) + " d=" + std::to_string(dilation) + " " + pad_mode_name(mode);
  }
  native::ConvParams params() const {
    native::ConvParams p;
    p.stride = {stride, stride};
    p.dilation = {dilation, dilation};
    p.pad_before = p.pad_after = {pad, pad};
    p.mode = mode;
    return p;
  }
  reference::ConvConfig config() const {
    return {2, {stride, stride}, {dilation, dilation}, {pad, pad}, {pad, pad}, 1, mode};
  }
  Shape input() const { return {N, Ci, H, W}; }
  Shape weight() const { return {Co, Ci, k, k}; }
};

// Tile, panel and k-block edges: 16×16 = 256 pixels and its neighbours, output channels around
// MR (4, 6, 8) and NR (16, 32) panels, Ci·k·k around the k blocks (128, 256).
const Case kCases[] = {
    {1, 3, 32, 16, 16, 3, 1, 1, 1},
    {2, 3, 33, 15, 17, 3, 1, 1, 1},
    {1, 29, 16, 17, 17, 3, 1, 1, 1},
    {1, 5, 7, 9, 31, 1, 1, 0, 1},
    {3, 4, 64, 8, 8, 3, 2, 1, 1},
    {1, 2, 6, 23, 19, 5, 2, 2, 1},
    {1, 3, 31, 18, 18, 3, 1, 2, 2},
    {2, 16, 32, 14, 14, 3, 2, 1, 1},
    {1, 32, 32, 12, 13, 1, 2, 0, 1},
    {1, 3, 9, 16, 16, 3, 1, 1, 1, PadMode::Reflect},
    {1, 4, 32, 11, 15, 3, 2, 1, 1, PadMode::Circular},
    {1, 64, 16, 6, 6, 3, 1, 1, 1},
    {1, 8, 1, 3, 257, 1, 1, 0, 1},
};

template <typename T>
void check_forward(const Case& c, const std::string& what) {
  const ScalarType dtype = std::is_same_v<T, float> ? kFloat32 : kFloat64;
  const Tensor x = randn(c.input(), dtype), w = randn(c.weight(), dtype), b = randn({c.Co}, dtype);
  const native::DirectConvPlan p =
      native::direct_forward_plan(native::make_conv_plan(c.input(), c.weight(), c.params()));
  const Tensor want = reference::conv_forward(x, w, b, c.config());
  test::Poisoned<T> px(x), pw(w), pb(b), out(static_cast<std::size_t>(want.numel()));
  native::direct_conv(p, px.data(), pw.data(), pb.data(), out.data());
  const double tol = dtype == kFloat32 ? 2e-5 * static_cast<double>(c.Ci * c.k * c.k + 48) : 1e-12;
  EXPECT_TRUE(test::all_close(out.tensor(want.sizes()), want, tol, tol)) << "forward " << what;
  EXPECT_TRUE(out.guards_intact()) << "forward wrote past its output: " << what;
}

template <typename T>
void check_weight(const Case& c, const std::string& what) {
  const ScalarType dtype = std::is_same_v<T, float> ? kFloat32 : kFloat64;
  const Tensor x = randn(c.input(), dtype), w = randn(c.weight(), dtype);
  const Tensor gy = randn(reference::conv_forward(x, w, Tensor(), c.config()).sizes(), dtype);
  const Tensor want = reference::conv_backward(x, w, gy, c.config(), false).weight;
  const native::DirectConvPlan p =
      native::direct_forward_plan(native::make_conv_plan(c.input(), c.weight(), c.params()));
  test::Poisoned<T> px(x), pgy(gy), gw(static_cast<std::size_t>(w.numel()));
  native::direct_conv_weight(p, px.data(), pgy.data(), gw.data());
  const double tol = dtype == kFloat32 ? 2e-5 * static_cast<double>(gy.numel() / c.Co + 48) : 1e-12;
  EXPECT_TRUE(test::all_close(gw.tensor(w.sizes()), want, tol, tol)) << "grad_weight " << what;
  EXPECT_TRUE(gw.guards_intact()) << "grad_weight wrote past its output: " << what;
}

// The one-pass grad_input where it applies (zero padding, stride > 1, dX channels in whole NR
// panels); it says so by returning true.
template <typename T>
void check_strided_input(const Case& c, const std::string& what) {
  if (c.mode != PadMode::Zeros) return;
  const ScalarType dtype = std::is_same_v<T, float> ? kFloat32 : kFloat64;
  const Tensor x = randn(c.input(), dtype), w = randn(c.weight(), dtype);
  const Tensor gy = randn(reference::conv_forward(x, w, Tensor(), c.config()).sizes(), dtype);
  const native::ConvPlan cp = native::make_conv_plan(c.input(), c.weight(), c.params());
  const std::vector<native::DirectConvPlan> phases = native::direct_backward_input_phases(cp);
  test::Poisoned<T> pgy(gy), pw(w), gx(static_cast<std::size_t>(x.numel()));
  if (!native::direct_conv_input(cp, phases, pgy.data(), pw.data(), gx.data())) {
    EXPECT_TRUE(gx.untouched()) << "declined but wrote: " << what;
    return;
  }
  const Tensor want = reference::conv_backward(x, w, gy, c.config(), false).input;
  const double tol = dtype == kFloat32 ? 2e-5 * static_cast<double>(c.Co * c.k * c.k + 48) : 1e-12;
  EXPECT_TRUE(test::all_close(gx.tensor(x.sizes()), want, tol, tol)) << "grad_input " << what;
  EXPECT_TRUE(gx.guards_intact()) << "grad_input wrote past its output: " << what;
}

TEST(DirectConv, EveryTilePanelAndKBlockEdgeMatchesTheReferenceInsidePoisonedMemoryOnEverySimdTarget) {
  manual_seed(19);
  test::for_each_simd_target([&](const std::string& target) {
    for (const Case& c : kCases) {
      check_forward<float>(c, target + " float32 " + c.str());
      check_forward<double>(c, target + " float64 " + c.str());
      check_weight<float>(c, target + " float32 " + c.str());
      check_weight<double>(c, target + " float64 " + c.str());
      check_strided_input<float>(c, target + " float32 " + c.str());
      check_strided_input<double>(c, target + " float64 " + c.str());
    }
  });
}

TEST(DirectConv, StridedGradInputRunsInOnePassWhereItsChannelsFillWholePanels) {
  // 32 input channels fill whole NR panels on every target (NR = 2, 16 or 32 values).
  const Case c{1, 32, 8, 12, 12, 3, 2, 1, 1};
  const Tensor w = randn(c.weight(), kFloat32);
  const Tensor gy = randn({1, c.Co, 6, 6}, kFloat32);
  const native::ConvPlan cp = native::make_conv_plan(c.input(), c.weight(), c.params());
  test::Poisoned<float> pgy(gy), pw(w), gx(static_cast<std::size_t>(c.Ci * c.H * c.W));
  test::for_each_simd_target([&](const std::string& target) {
    EXPECT_TRUE(
        native::direct_conv_input(cp, native::direct_backward_input_phases(cp), pgy.data(), pw.data(), gx.data()))
        << target;
  });
}

}  // namespace
}  // namespace atrous
