// SPDX-License-Identifier: Apache-2.0
// Float64 gradcheck of Conv1d/Conv2d with respect to input, weight and bias over a grid of
// stride × padding (int, pair, same, valid, causal) × dilation × groups × padding_mode × bias,
// with H ≠ W and non-square kernels (PyTorch's module test harness does the same).
#include <sstream>

#include "atrous/autograd/gradcheck.h"
#include "atrous/layers/functional/conv.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

struct GradCase {
  std::string name;
  std::size_t dims;
  Shape kernel, stride, dilation;
  nn::ConvPadding padding;
  std::int64_t groups;
  PadMode mode;
  bool bias;
};

std::ostream& operator<<(std::ostream& os, const GradCase& c) { return os << c.name; }

std::vector<GradCase> grid() {
  std::vector<GradCase> cases;
  const std::vector<std::pair<std::string, nn::ConvPadding>> paddings2 = {
      {"P0", 0}, {"P1", 1}, {"P21", nn::ConvPadding({2, 1})}, {"Same", kSame}, {"Valid", kValid}};
  const std::vector<std::pair<std::string, Shape>> strides2 = {{"S11", {1, 1}}, {"S21", {2, 1}}};
  const std::vector<std::pair<std::string, Shape>> dilations2 = {{"D11", {1, 1}}, {"D12", {1, 2}}};
  int i = 0;
  for (const auto& [pn, p] : paddings2) {
    for (const auto& [sn, s] : strides2) {
      if (pn == "Same" && s != Shape{1, 1}) continue;
      for (const auto& [dn, d] : dilations2) {
        for (const PadMode m : {kZeros, kReflect, kReplicate, kCircular}) {
          const std::int64_t g = i % 2 ? 2 : 1;
          const bool bias = i % 3 != 0;
          cases.push_back({"Conv2d" + pn + sn + dn + "G" + std::to_string(g) + pad_mode_name(m) + (bias ? "Bias" : ""),
                           2,
                           {3, 2},
                           s,
                           d,
                           p,
                           g,
                           m,
                           bias});
          ++i;
        }
      }
    }
  }
  const std::vector<std::pair<std::string, nn::ConvPadding>> paddings1 = {
      {"P1", 1}, {"Same", kSame}, {"Valid", kValid}, {"Causal", kCausal}};
  for (const auto& [pn, p] : paddings1) {
    for (const std::int64_t s : {1, 2}) {
      if (pn == "Same" && s != 1) continue;
      for (const std::int64_t k : {2, 3}) {
        for (const PadMode m : {kZeros, kReflect, kReplicate, kCircular}) {
          const std::int64_t g = i % 2 ? 2 : 1;
          cases.push_back({"Conv1d" + pn + "S" + std::to_string(s) + "K" + std::to_string(k) + "G" + std::to_string(g) +
                               pad_mode_name(m),
                           1,
                           {k},
                           {s},
                           {2},
                           p,
                           g,
                           m,
                           i % 3 != 0});
          ++i;
        }
      }
    }
  }
  return cases;
}

template <std::size_t D>
void check(const GradCase& c) {
  nn::ConvOptions<D> o(4, 2, c.kernel);
  o.stride(c.stride).dilation(c.dilation).padding(c.padding).groups(c.groups).padding_mode(c.mode).bias(c.bias);
  manual_seed(std::hash<std::string>{}(c.name));
  nn::ConvNdImpl<D> conv(o);
  conv.to(kFloat64);
  const Shape xs = D == 1 ? Shape{2, 4, 9} : Shape{2, 4, 6, 5};
  std::vector<Tensor> inputs{randn(xs, kFloat64).requires_grad_(), conv.weight.detach().clone().requires_grad_()};
  if (c.bias) inputs.push_back(conv.bias.detach().clone().requires_grad_());
  const auto r = autograd::gradcheck(
      [&](const std::vector<Tensor>& in) {
        // The module's own forward path, with the gradcheck's leaves standing in for its parameters.
        return nn::functional::detail::conv_nd(nn::ConvOptions<D>::name(), D, in[0], in[1], c.bias ? in[2] : Tensor(),
                                               conv.options.stride(), conv.options.padding(), conv.options.dilation(),
                                               conv.options.groups(), conv.options.padding_mode());
      },
      inputs);
  EXPECT_TRUE(r.ok) << r.message;
}

class ConvGradcheck : public ::testing::TestWithParam<GradCase> {};

TEST_P(ConvGradcheck, InputWeightAndBiasGradientsMatchFiniteDifferences) {
  if (GetParam().dims == 1)
    check<1>(GetParam());
  else
    check<2>(GetParam());
}

INSTANTIATE_TEST_SUITE_P(Grid, ConvGradcheck, ::testing::ValuesIn(grid()),
                         [](const ::testing::TestParamInfo<GradCase>& p) { return p.param.name; });

}  // namespace
}  // namespace atrous
