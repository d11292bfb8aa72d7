// SPDX-License-Identifier: Apache-2.0
// ConvTranspose1d/2d against PyTorch 1.13 (tools/gen_golden_conv.py): PyTorch's own test
// configurations, DCGAN / U-Net / 1-D up-sampling layers, output_size, output_padding up to the
// dilation, and a grid crossing stride × padding × output_padding × dilation × groups × bias with
// H ≠ W and non-square kernels. Output and all three gradients.
#include <fstream>
#include <set>
#include <sstream>

#include "atrous/layers/modules/conv.h"
#include "tests/support/conv_golden.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

struct TransposeCase {
  std::string name, dtype, output_size;
  std::size_t dims = 2;
  Shape stride, padding, output_padding, dilation;
  std::int64_t groups = 1;
  bool bias = true;
};

std::ostream& operator<<(std::ostream& os, const TransposeCase& c) { return os << c.name; }

std::vector<TransposeCase> load_cases() {
  std::ifstream f(test::golden_path("conv_transpose/cases.txt"));
  std::vector<TransposeCase> cases;
  for (std::string line; std::getline(f, line);) {
    if (line.empty()) continue;
    std::stringstream s(line);
    TransposeCase c;
    std::string stride, padding, output_padding, dilation;
    int bias = 0;
    s >> c.name >> c.dims >> stride >> padding >> output_padding >> dilation >> c.groups >> bias >> c.dtype >>
        c.output_size;
    c.stride = test::parse_ints(stride);
    c.padding = test::parse_ints(padding);
    c.output_padding = test::parse_ints(output_padding);
    c.dilation = test::parse_ints(dilation);
    c.bias = bias != 0;
    cases.push_back(c);
  }
  return cases;
}

template <std::size_t D>
void run_case(const TransposeCase& c) {
  const Tensor w = test::load_conv_golden("conv_transpose", c.name, "w");
  Shape kernel(w.sizes().begin() + 2, w.sizes().end());
  nn::ConvTransposeNdImpl<D> conv(nn::ConvTransposeOptions<D>(w.size(0), w.size(1) * c.groups, kernel)
                                      .stride(c.stride)
                                      .padding(c.padding)
                                      .output_padding(c.output_padding)
                                      .dilation(c.dilation)
                                      .groups(c.groups)
                                      .bias(c.bias));
  conv.to(w.dtype());
  // float32: a few ulp of sums of up to in/groups·prod(kernel) = 64 products of magnitude <= 2.
  test::expect_conv_matches_golden(
      "conv_transpose", c.name, conv, c.bias, c.dtype == "f32" ? 2e-5 : 1e-12, [&](const Tensor& x) {
        return c.output_size == "-" ? conv.forward(x) : conv.forward(x, test::parse_ints(c.output_size));
      });
}

class ConvTransposeGolden : public ::testing::TestWithParam<TransposeCase> {};

TEST_P(ConvTransposeGolden, OutputAndGradientsMatchPyTorch) {
  if (GetParam().dims == 1)
    run_case<1>(GetParam());
  else
    run_case<2>(GetParam());
}

INSTANTIATE_TEST_SUITE_P(PyTorch, ConvTransposeGolden, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<TransposeCase>& p) { return p.param.name; });

TEST(ConvTransposeGoldenData, CoversOutputPaddingBeyondTheStrideGroupsAndOutputSize) {
  bool beyond_stride = false, groups = false, output_size = false, one_d = false;
  for (const TransposeCase& c : load_cases()) {
    for (std::size_t i = 0; i < c.stride.size(); ++i) beyond_stride |= c.output_padding[i] >= c.stride[i];
    groups |= c.groups > 1;
    output_size |= c.output_size != "-";
    one_d |= c.dims == 1;
  }
  EXPECT_TRUE(beyond_stride && groups && output_size && one_d);
  EXPECT_GT(load_cases().size(), 150u);
}

}  // namespace
}  // namespace atrous
