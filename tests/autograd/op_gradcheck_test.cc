// SPDX-License-Identifier: Apache-2.0
// Float64 gradcheck of every differentiable op, including broadcasting, strided inputs and
// the view ops.
#include <cmath>

#include "atrous/autograd/gradcheck.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

using Inputs = std::vector<Tensor>;

struct OpCase {
  std::string name;
  std::function<Tensor(const Inputs&)> fn;
  std::vector<Shape> shapes;
  double lo = -2.0, hi = 2.0;  // input range (positive for log, sqrt, pow)
};

std::ostream& operator<<(std::ostream& os, const OpCase& c) { return os << c.name; }

const std::vector<OpCase>& op_cases() {
  static const std::vector<OpCase> cases = {
      {"Add", [](const Inputs& x) { return x[0] + x[1]; }, {{3, 4}, {3, 4}}},
      {"AddBroadcastRow", [](const Inputs& x) { return x[0] + x[1]; }, {{2, 3, 4}, {4}}},
      {"AddBroadcastBothWays", [](const Inputs& x) { return x[0] + x[1]; }, {{3, 1}, {1, 4}}},
      {"AddScalar", [](const Inputs& x) { return 2.5 + x[0]; }, {{5}}},
      {"SubBroadcast", [](const Inputs& x) { return x[0] - x[1]; }, {{2, 1, 3}, {4, 1}}},
      {"RsubScalar", [](const Inputs& x) { return 1.0 - x[0]; }, {{4}}},
      {"MulBroadcast", [](const Inputs& x) { return x[0] * x[1]; }, {{2, 3}, {3}}},
      {"MulSameTensor", [](const Inputs& x) { return x[0] * x[0]; }, {{4}}},
      {"DivBroadcast", [](const Inputs& x) { return x[0] / x[1]; }, {{2, 3}, {2, 1}}, 0.5, 2.0},
      {"RdivScalar", [](const Inputs& x) { return 1.0 / x[0]; }, {{4}}, 0.5, 2.0},
      {"Maximum", [](const Inputs& x) { return maximum(x[0], x[1]); }, {{3, 4}, {4}}},
      {"Minimum", [](const Inputs& x) { return minimum(x[0], x[1]); }, {{3, 4}, {3, 1}}},
      {"Neg", [](const Inputs& x) { return -x[0]; }, {{3, 2}}},
      {"Exp", [](const Inputs& x) { return x[0].exp(); }, {{3, 2}}},
      {"Log", [](const Inputs& x) { return x[0].log(); }, {{3, 2}}, 0.5, 3.0},
      {"Sqrt", [](const Inputs& x) { return x[0].sqrt(); }, {{3, 2}}, 0.5, 3.0},
      {"PowScalar", [](const Inputs& x) { return x[0].pow(3.0); }, {{3, 2}}},
      {"PowFractional", [](const Inputs& x) { return x[0].pow(-1.5); }, {{3, 2}}, 0.5, 3.0},
      {"PowZero", [](const Inputs& x) { return x[0].pow(0.0); }, {{3}}},
      {"PowTensor", [](const Inputs& x) { return x[0].pow(x[1]); }, {{2, 3}, {3}}, 0.5, 2.0},
      {"Abs", [](const Inputs& x) { return x[0].abs(); }, {{6}}},
      {"Erf", [](const Inputs& x) { return x[0].erf(); }, {{6}}},
      {"Gelu", [](const Inputs& x) { return gelu(x[0]); }, {{6}}},
      {"Relu", [](const Inputs& x) { return x[0].relu(); }, {{3, 4}}},
      {"Tanh", [](const Inputs& x) { return x[0].tanh(); }, {{3, 4}}},
      {"Sigmoid", [](const Inputs& x) { return x[0].sigmoid(); }, {{3, 4}}},
      {"Clamp", [](const Inputs& x) { return x[0].clamp(-0.5, 0.5); }, {{3, 4}}},
      {"ClampMinOnly", [](const Inputs& x) { return x[0].clamp(0.1, std::nullopt); }, {{3, 4}}},
      {"SumAll", [](const Inputs& x) { return x[0].sum(); }, {{2, 3, 4}}},
      {"SumDims",
       [](const Inputs& x) {
         return x[0].sum({0, 2});
       },
       {{2, 3, 4}}},
      {"SumKeepdim", [](const Inputs& x) { return x[0].sum({1}, true); }, {{2, 3, 4}}},
      {"MeanAll", [](const Inputs& x) { return x[0].mean(); }, {{2, 3}}},
      {"MeanDim", [](const Inputs& x) { return x[0].mean({-1}, true); }, {{2, 3}}},
      {"MaxDim", [](const Inputs& x) { return std::get<0>(x[0].max(1)); }, {{3, 5}}},
      {"MaxDimKeepdim", [](const Inputs& x) { return std::get<0>(x[0].max(0, true)); }, {{3, 5}}},
      {"MaxAll", [](const Inputs& x) { return x[0].max(); }, {{3, 5}}},
      {"Matmul2d", [](const Inputs& x) { return x[0].matmul(x[1]); }, {{3, 4}, {4, 5}}},
      {"MatmulBatchedBroadcast", [](const Inputs& x) { return x[0].matmul(x[1]); }, {{2, 1, 3, 4}, {3, 4, 2}}},
      {"MatmulVecMat", [](const Inputs& x) { return x[0].matmul(x[1]); }, {{4}, {4, 3}}},
      {"MatmulMatVec", [](const Inputs& x) { return x[0].matmul(x[1]); }, {{3, 4}, {4}}},
      {"MatmulDot", [](const Inputs& x) { return x[0].matmul(x[1]); }, {{5}, {5}}},
      {"MatmulBatchedVec", [](const Inputs& x) { return x[0].matmul(x[1]); }, {{2, 3, 4}, {4}}},
      {"MatmulTransposed", [](const Inputs& x) { return x[0].t().matmul(x[1]); }, {{4, 3}, {4, 2}}},
      {"Softmax", [](const Inputs& x) { return x[0].softmax(1); }, {{3, 4}}},
      {"SoftmaxDim0", [](const Inputs& x) { return x[0].softmax(0); }, {{3, 4, 2}}},
      {"LogSoftmax", [](const Inputs& x) { return x[0].log_softmax(-1); }, {{3, 4}}},
      {"LogSoftmaxMiddle", [](const Inputs& x) { return x[0].log_softmax(1); }, {{2, 3, 2}}},
      {"Reshape",
       [](const Inputs& x) {
         return x[0].reshape({3, -1}) * 2.0;
       },
       {{2, 6}}},
      {"ViewFlatten", [](const Inputs& x) { return x[0].view({-1}).exp(); }, {{2, 3}}},
      {"Flatten", [](const Inputs& x) { return x[0].flatten(1); }, {{2, 3, 2}}},
      {"Transpose", [](const Inputs& x) { return x[0].transpose(0, 2).exp(); }, {{2, 3, 4}}},
      {"Permute",
       [](const Inputs& x) {
         return x[0].permute({1, 2, 0}) * 3.0;
       },
       {{2, 3, 4}}},
      {"UnsqueezeSqueeze", [](const Inputs& x) { return x[0].unsqueeze(1).exp().squeeze(1); }, {{3, 2}}},
      {"Expand",
       [](const Inputs& x) {
         return x[0].expand({4, 3}).tanh();
       },
       {{1, 3}}},
      {"Narrow", [](const Inputs& x) { return x[0].narrow(1, 1, 2).exp(); }, {{3, 4}}},
      {"SliceWithStep", [](const Inputs& x) { return x[0].slice(0, 1, 5, 2); }, {{5, 2}}},
      {"Select", [](const Inputs& x) { return x[0].select(1, -1).sigmoid(); }, {{3, 4}}},
      {"Cat",
       [](const Inputs& x) {
         return cat({x[0], x[1].exp(), x[0]}, 0);
       },
       {{2, 3}, {1, 3}}},
      {"ContiguousOfTranspose", [](const Inputs& x) { return x[0].t().contiguous(); }, {{3, 4}}},
      {"Clone", [](const Inputs& x) { return x[0].clone() * x[0]; }, {{3}}},
      {"ToFloat32AndBack", [](const Inputs& x) { return (x[0] * 2.0).to(kFloat64); }, {{3}}},
      {"Where", [](const Inputs& x) { return where(x[0] > 0, x[0] * 2.0, x[1]); }, {{3, 4}, {4}}},
      {"MaskedFill", [](const Inputs& x) { return x[0].masked_fill(x[0] < 0, 1.5) * x[0]; }, {{3, 4}}},
      {"Var", [](const Inputs& x) { return x[0].var(); }, {{3, 4}}},
      {"StdDim", [](const Inputs& x) { return x[0].std({1}, true, true); }, {{3, 4}}},
      {"Norm", [](const Inputs& x) { return x[0].norm(); }, {{3, 4}}},
      {"MinAll", [](const Inputs& x) { return x[0].min(); }, {{3, 5}}},
      {"MinDim", [](const Inputs& x) { return std::get<0>(x[0].min(1)); }, {{3, 5}}},
      {"Stack",
       [](const Inputs& x) {
         return stack({x[0], x[1].exp()}, 1);
       },
       {{2, 3}, {2, 3}}},
      {"Bmm", [](const Inputs& x) { return bmm(x[0], x[1]); }, {{2, 3, 4}, {2, 4, 2}}},
      {"Addmm", [](const Inputs& x) { return addmm(x[0], x[1], x[2], 0.5, 2.0); }, {{3, 2}, {3, 4}, {4, 2}}},
      {"Index",
       [](const Inputs& x) {
         return x[0].index({indexing::Slice(1, indexing::None), indexing::None, 0}).exp();
       },
       {{3, 4}}},
      {"Mlp",
       [](const Inputs& x) { return (x[0].matmul(x[1]) + x[2]).tanh().matmul(x[3]).log_softmax(1); },
       {{4, 3}, {3, 5}, {5}, {5, 2}}},
  };
  return cases;
}

class OpGradcheck : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpGradcheck, AnalyticalGradientMatchesFiniteDifferences) {
  const OpCase& c = GetParam();
  manual_seed(std::hash<std::string>{}(c.name));
  Inputs inputs;
  for (const Shape& s : c.shapes) inputs.push_back(uniform(s, c.lo, c.hi, kFloat64).requires_grad_());
  const auto r = autograd::gradcheck(c.fn, inputs);
  EXPECT_TRUE(r.ok) << r.message;
}

INSTANTIATE_TEST_SUITE_P(EveryOp, OpGradcheck, ::testing::ValuesIn(op_cases()),
                         [](const ::testing::TestParamInfo<OpCase>& p) { return p.param.name; });

}  // namespace
}  // namespace atrous

namespace atrous {
namespace {

TEST(PowGradient, ExponentGradientIsZeroWhereTheBaseIsZero) {
  // d/db a^b = a^b·log a is 0·(−inf) at a = 0; PyTorch defines it as 0 when b >= 0.
  const Tensor a = from_vector(std::vector<double>{0.0, 0.0, 2.0});
  Tensor b = from_vector(std::vector<double>{2.0, 0.0, 3.0}).requires_grad_();
  pow(a, b).sum().backward();
  EXPECT_EQ(value_at(b.grad(), 0), 0.0);
  EXPECT_EQ(value_at(b.grad(), 1), 0.0);
  EXPECT_NEAR(value_at(b.grad(), 2), 8.0 * std::log(2.0), 1e-12);
}

}  // namespace
}  // namespace atrous
