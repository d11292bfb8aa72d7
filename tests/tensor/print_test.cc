// SPDX-License-Identifier: Apache-2.0
// Printing matches PyTorch's repr character for character (golden strings from PyTorch 1.13).
#include <fstream>
#include <sstream>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/io/npy.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

std::string golden_text(const std::string& name) {
  std::ifstream f(test::golden_path("tensor/" + name + ".txt"));
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string printed(const Tensor& t) {
  std::ostringstream os;
  os << t;
  return os.str();
}

class PrintLikePyTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(PrintLikePyTorch, MatchesPyTorchRepr) {
  const Tensor t = load_npy(test::golden_path("tensor/" + GetParam() + ".npy"));
  EXPECT_EQ(printed(t), golden_text(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Golden, PrintLikePyTorch,
                         ::testing::Values("print_int_mode", "print_fixed", "print_sci", "print_float64", "print_int64",
                                           "print_scalar", "print_wrap", "print_3d", "print_summarize",
                                           "print_nonfinite", "print_empty", "print_zeros"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(Print, LeafThatRequiresGradSaysSo) {
  Tensor t = ones({2});
  t.requires_grad_();
  EXPECT_EQ(printed(t), "tensor([1., 1.], requires_grad=True)");
}

TEST(Print, ResultOfAnOpNamesItsGradFn) {
  Tensor t = ones({2});
  t.requires_grad_();
  EXPECT_EQ(printed(t * t), "tensor([1., 1.], grad_fn=<MulBackward0>)");
}

TEST(Print, UndefinedTensorPrintsAPlaceholder) { EXPECT_EQ(printed(Tensor()), "[ Tensor (undefined) ]"); }

}  // namespace
}  // namespace atrous
