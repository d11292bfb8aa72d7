// SPDX-License-Identifier: Apache-2.0
// Conv1d/Conv2d against PyTorch 1.13 (tools/gen_golden_conv.py): PyTorch's own test
// configurations, the spec's hand-checked cases, and a grid crossing stride × padding (int,
// pair, same, valid, causal) × dilation × groups × padding_mode × bias with H ≠ W and
// non-square kernels. Output and all three gradients.
#include <fstream>
#include <set>
#include <sstream>

#include "atrous/layers/modules/conv.h"
#include "tests/support/conv_golden.h"
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
  const Tensor w = test::load_conv_golden("conv", c.name, "w");
  nn::ConvNdImpl<D> conv(options_for<D>(c, w));
  conv.to(w.dtype());
  // float32: a few ulp of sums of up to C/g·kH·kW = 12 products of magnitude <= 2.
  test::expect_conv_matches_golden("conv", c.name, conv, c.bias, c.dtype == "f32" ? 2e-5 : 1e-12,
                                   [&](const Tensor& x) { return conv.forward(x); });
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
