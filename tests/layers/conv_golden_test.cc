// SPDX-License-Identifier: Apache-2.0
// Conv1d/Conv2d against PyTorch 1.13 (tools/gen_golden_conv.py): PyTorch's own test
// configurations, the spec's hand-checked cases, and a grid crossing stride × padding (int,
// pair, same, valid, causal) × dilation × groups × padding_mode × bias with H ≠ W and
// non-square kernels. Output and all three gradients.
#include <fstream>
#include <set>
#include <sstream>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/io/npy.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

struct ConvCase {
  std::string name, padding, mode, dtype;
  std::size_t dims = 2;
  Shape stride, dilation;
  std::int64_t groups = 1;
  bool bias = true;
};

std::ostream& operator<<(std::ostream& os, const ConvCase& c) { return os << c.name; }

std::vector<ConvCase> load_cases() {
  std::ifstream f(test::golden_path("conv/cases.txt"));
  std::vector<ConvCase> cases;
  for (std::string line; std::getline(f, line);) {
    if (line.empty()) continue;
    std::stringstream s(line);
    ConvCase c;
    std::string stride, dilation;
    int bias = 0;
    s >> c.name >> c.dims >> stride >> c.padding >> dilation >> c.groups >> c.mode >> bias >> c.dtype;
    c.stride = test::parse_ints(stride);
    c.dilation = test::parse_ints(dilation);
    c.bias = bias != 0;
    cases.push_back(c);
  }
  return cases;
}

Tensor load(const std::string& name, const char* suffix) {
  return load_npy(test::golden_path("conv/" + name + "_" + suffix + ".npy"));
}

template <std::size_t D>
nn::ConvOptions<D> options_for(const ConvCase& c, const Tensor& w) {
  Shape kernel(w.sizes().begin() + 2, w.sizes().end());
  nn::ConvOptions<D> o(w.size(1) * c.groups, w.size(0), kernel);
  o.stride(c.stride).dilation(c.dilation).groups(c.groups).bias(c.bias).padding_mode(c.mode);
  if (c.padding == "same" || c.padding == "valid" || c.padding == "causal")
    o.padding(c.padding);
  else
    o.padding(test::parse_ints(c.padding));
  return o;
}

template <std::size_t D>
void run_case(const ConvCase& c) {
  const Tensor w = load(c.name, "w");
  nn::ConvNdImpl<D> conv(options_for<D>(c, w));
  conv.to(w.dtype());
  {
    const NoGradGuard no_grad;
    conv.weight.copy_(w);
    if (c.bias) conv.bias.copy_(load(c.name, "b"));
  }
  Tensor x = load(c.name, "x").requires_grad_();
  const Tensor y = conv.forward(x);
  // float64 results differ from PyTorch's only by summation order; float32 by a few ulp of
  // sums of up to C/g·kH·kW = 12 products of magnitude <= 2.
  const double tol = c.dtype == "f32" ? 2e-5 : 1e-12;
  ASSERT_TRUE(test::all_close(y, load(c.name, "y"), tol, tol)) << "output";
  (y * load(c.name, "gy")).sum().backward();
  if (x.numel() > 0) {
    EXPECT_TRUE(test::all_close(x.grad(), load(c.name, "gx"), tol, tol)) << "grad_input";
  }
  EXPECT_TRUE(test::all_close(conv.weight.grad(), load(c.name, "gw"), tol, tol)) << "grad_weight";
  if (c.bias) {
    EXPECT_TRUE(test::all_close(conv.bias.grad(), load(c.name, "gb"), tol, tol)) << "grad_bias";
  }
}

class ConvGolden : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvGolden, OutputAndGradientsMatchPyTorch) {
  if (GetParam().dims == 1)
    run_case<1>(GetParam());
  else
    run_case<2>(GetParam());
}

INSTANTIATE_TEST_SUITE_P(PyTorch, ConvGolden, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<ConvCase>& p) { return p.param.name; });

TEST(ConvGoldenData, CoversEveryModeAndPaddingKind) {
  std::set<std::string> modes, paddings;
  for (const ConvCase& c : load_cases()) {
    modes.insert(c.mode);
    paddings.insert(c.padding == "same" || c.padding == "valid" || c.padding == "causal" ? c.padding : "explicit");
  }
  EXPECT_EQ(modes, (std::set<std::string>{"zeros", "reflect", "replicate", "circular"}));
  EXPECT_EQ(paddings, (std::set<std::string>{"same", "valid", "causal", "explicit"}));
  EXPECT_GT(load_cases().size(), 300u);
}

}  // namespace
}  // namespace atrous
