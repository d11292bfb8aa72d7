// SPDX-License-Identifier: Apache-2.0
// Forward values and gradients against PyTorch 1.13 (tools/gen_golden_tensor.py): for each case
// the output, and the gradient of sum(output * w) for every input, in float32 and float64.
#include <fstream>
#include <map>

#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/io/npy.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

using Inputs = std::vector<Tensor>;
using Fn = std::function<Tensor(const Inputs&)>;

const std::map<std::string, Fn>& cases() {
  static const std::map<std::string, Fn> table = {
      {"add_broadcast", [](const Inputs& x) { return x[0] + x[1]; }},
      {"sub_broadcast", [](const Inputs& x) { return x[0] - x[1]; }},
      {"mul_broadcast", [](const Inputs& x) { return x[0] * x[1]; }},
      {"div_broadcast", [](const Inputs& x) { return x[0] / x[1]; }},
      {"maximum", [](const Inputs& x) { return maximum(x[0], x[1]); }},
      {"minimum", [](const Inputs& x) { return minimum(x[0], x[1]); }},
      {"pow_tensor", [](const Inputs& x) { return pow(x[0], x[1]); }},
      {"pow_scalar", [](const Inputs& x) { return pow(x[0], 3.0); }},
      {"pow_half", [](const Inputs& x) { return pow(x[0], 0.5); }},
      {"neg", [](const Inputs& x) { return -x[0]; }},
      {"exp", [](const Inputs& x) { return x[0].exp(); }},
      {"log", [](const Inputs& x) { return x[0].log(); }},
      {"sqrt", [](const Inputs& x) { return x[0].sqrt(); }},
      {"relu", [](const Inputs& x) { return x[0].relu(); }},
      {"tanh", [](const Inputs& x) { return x[0].tanh(); }},
      {"sigmoid", [](const Inputs& x) { return x[0].sigmoid(); }},
      {"abs", [](const Inputs& x) { return x[0].abs(); }},
      {"clamp", [](const Inputs& x) { return x[0].clamp(-0.5, 0.7); }},
      {"erf", [](const Inputs& x) { return x[0].erf(); }},
      {"gelu", [](const Inputs& x) { return gelu(x[0]); }},
      {"sum_all", [](const Inputs& x) { return x[0].sum(); }},
      {"sum_dim1_keepdim", [](const Inputs& x) { return x[0].sum({1}, true); }},
      {"sum_dims02",
       [](const Inputs& x) {
         return x[0].sum({0, 2});
       }},
      {"mean_all", [](const Inputs& x) { return x[0].mean(); }},
      {"mean_dim_neg1", [](const Inputs& x) { return x[0].mean({-1}); }},
      {"max_dim", [](const Inputs& x) { return std::get<0>(x[0].max(1)); }},
      {"max_all", [](const Inputs& x) { return x[0].max(); }},
      {"matmul_2d", [](const Inputs& x) { return x[0].matmul(x[1]); }},
      {"matmul_batched_broadcast", [](const Inputs& x) { return x[0].matmul(x[1]); }},
      {"matmul_vec_mat", [](const Inputs& x) { return x[0].matmul(x[1]); }},
      {"matmul_mat_vec", [](const Inputs& x) { return x[0].matmul(x[1]); }},
      {"matmul_dot", [](const Inputs& x) { return x[0].matmul(x[1]); }},
      {"softmax_last", [](const Inputs& x) { return x[0].softmax(-1); }},
      {"softmax_dim0", [](const Inputs& x) { return x[0].softmax(0); }},
      {"log_softmax_last", [](const Inputs& x) { return x[0].log_softmax(-1); }},
      {"log_softmax_dim1", [](const Inputs& x) { return x[0].log_softmax(1); }},
      {"transpose_reshape",
       [](const Inputs& x) {
         return x[0].transpose(0, 1).reshape({6, 4}) * 2.0;
       }},
      {"permute_contiguous",
       [](const Inputs& x) {
         return x[0].permute({2, 0, 1}).contiguous();
       }},
      {"narrow_select", [](const Inputs& x) { return x[0].narrow(1, 1, 2).select(0, 2); }},
      {"slice_step", [](const Inputs& x) { return x[0].slice(1, 1, 7, 2); }},
      {"cat_dim1",
       [](const Inputs& x) {
         return cat({x[0], x[1]}, 1);
       }},
      {"expand_mul",
       [](const Inputs& x) {
         return x[0].expand({3, 4}) * x[1];
       }},
      {"composite_mlp", [](const Inputs& x) { return (x[0].matmul(x[1]) + x[2]).tanh().sum({1}); }},
      {"where", [](const Inputs& x) { return where(x[0] > 0, x[0] * 2.0, x[1]); }},
      {"masked_fill", [](const Inputs& x) { return x[0].masked_fill(x[0] < 0, 1.5) * x[0]; }},
      {"var_all", [](const Inputs& x) { return x[0].var(); }},
      {"std_dim_keepdim", [](const Inputs& x) { return x[0].std({1}, true, true); }},
      {"norm", [](const Inputs& x) { return x[0].norm(); }},
      {"min_dim", [](const Inputs& x) { return std::get<0>(x[0].min(1)); }},
      {"stack_dim1",
       [](const Inputs& x) {
         return stack({x[0], x[1].exp()}, 1);
       }},
      {"bmm", [](const Inputs& x) { return bmm(x[0], x[1]); }},
      {"addmm", [](const Inputs& x) { return addmm(x[0], x[1], x[2], 0.5, 2.0); }},
      {"index_slice_none",
       [](const Inputs& x) {
         return x[0].index({indexing::Slice(1, indexing::None), indexing::None, indexing::Slice(0, 4, 2)});
       }},
  };
  return table;
}

Tensor load(const std::string& name) { return load_npy(test::golden_path("tensor/" + name + ".npy")); }

bool exists(const std::string& name) { return std::ifstream(test::golden_path("tensor/" + name + ".npy")).good(); }

void check_case(const std::string& name, const std::string& suffix) {
  const std::string base = name + "_" + suffix;
  Inputs inputs;
  for (int i = 0; exists(base + "_in" + std::to_string(i)); ++i) {
    inputs.push_back(load(base + "_in" + std::to_string(i)).requires_grad_());
  }
  ASSERT_FALSE(inputs.empty()) << "no golden inputs for " << base;
  const ScalarType dtype = inputs[0].dtype();
  const Tensor out = cases().at(name)(inputs);
  // Transcendental kernels differ from PyTorch's by a few ulp; sums of them by a few more.
  const double rtol = dtype == kFloat32 ? 2e-5 : 1e-10, atol = dtype == kFloat32 ? 2e-5 : 1e-10;
  EXPECT_TRUE(test::all_close(out, load(base + "_out"), rtol, atol)) << base << " output";
  (out * load(base + "_w")).sum().backward();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    ASSERT_TRUE(inputs[i].grad().defined()) << base << " input " << i << " got no gradient";
    EXPECT_TRUE(test::all_close(inputs[i].grad(), load(base + "_grad" + std::to_string(i)), rtol, atol))
        << base << " gradient of input " << i;
  }
}

class GoldenOp : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenOp, MatchesPyTorchInFloat32) { check_case(GetParam(), "f32"); }
TEST_P(GoldenOp, MatchesPyTorchInFloat64) { check_case(GetParam(), "f64"); }

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& [name, fn] : cases()) names.push_back(name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(PyTorch, GoldenOp, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(GoldenData, EveryGeneratedCaseHasATest) {
  std::ifstream f(test::golden_path("tensor/cases.txt"));
  ASSERT_TRUE(f.good());
  std::string name;
  int count = 0;
  while (std::getline(f, name)) {
    if (name.empty()) continue;
    ++count;
    EXPECT_TRUE(cases().count(name)) << "tools/gen_golden_tensor.py generates '" << name << "' but no test runs it";
  }
  EXPECT_EQ(count, static_cast<int>(cases().size()));
}

}  // namespace
}  // namespace atrous
