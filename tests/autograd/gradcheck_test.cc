// SPDX-License-Identifier: Apache-2.0
// gradcheck itself: it passes correct gradients, and for wrong ones says which input, element,
// analytical and numerical values.
#include "atrous/autograd/gradcheck.h"

#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

using autograd::gradcheck;
using autograd::SavedTensor;

// x * x with a backward that is off by a factor 1.5 (3x instead of 2x).
Tensor wrong_square(const Tensor& x) {
  return autograd::record("WrongSquareBackward", {x}, x.detach() * x.detach(), [sx = SavedTensor(x)](const Tensor& g) {
    return std::vector<Tensor>{g * sx.unpack() * 3.0};
  });
}

TEST(Gradcheck, PassesACorrectGradient) {
  manual_seed(1);
  const Tensor x = randn({3, 4}, kFloat64).requires_grad_();
  const auto r = gradcheck([](const std::vector<Tensor>& in) { return (in[0] * in[0]).sum(); }, {x});
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(r.message.empty());
}

TEST(Gradcheck, NamesTheInputElementAndBothValuesOfAWrongGradient) {
  const Tensor x = from_vector(std::vector<double>{1.0, 2.0}).requires_grad_();
  const auto r = gradcheck([](const std::vector<Tensor>& in) { return wrong_square(in[0]); }, {x});
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.input, 0);
  EXPECT_EQ(r.output, 0);
  EXPECT_EQ(r.element, 0);
  EXPECT_EQ(r.output_element, 0);
  EXPECT_NEAR(r.analytical, 3.0, 1e-12);
  EXPECT_NEAR(r.numerical, 2.0, 1e-6);
  EXPECT_NE(r.message.find("with respect to input 0 at input element 0 [0]"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("analytical 3, numerical 2"), std::string::npos) << r.message;
}

TEST(Gradcheck, FindsTheFailingInputAmongSeveral) {
  const Tensor a = from_vector(std::vector<double>{1.0, 2.0}).requires_grad_();
  const Tensor b = from_vector(std::vector<double>{0.5, -1.5}).requires_grad_();
  const auto r = gradcheck([](const std::vector<Tensor>& in) { return in[0] * 2.0 + wrong_square(in[1]); }, {a, b});
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.input, 1);
}

TEST(Gradcheck, CanRaiseInsteadOfReturning) {
  const Tensor x = from_vector(std::vector<double>{1.0}).requires_grad_();
  EXPECT_THROW(gradcheck([](const std::vector<Tensor>& in) { return wrong_square(in[0]); }, {x},
                         autograd::GradcheckOptions().set_raise_exception(true)),
               std::runtime_error);
}

TEST(Gradcheck, DetectsANonReproducibleBackward) {
  const Tensor x = from_vector(std::vector<double>{1.0, 2.0}).requires_grad_();
  const auto noisy = [](const std::vector<Tensor>& in) {
    static int calls = 0;
    const double wobble = 1e-9 * ++calls;  // far below atol, but not bit-identical
    return autograd::record("NoisyBackward", {in[0]}, in[0].detach() * 2.0,
                            [wobble](const Tensor& g) { return std::vector<Tensor>{g * (2.0 + wobble)}; });
  };
  const auto r = gradcheck(noisy, {x});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("not reproducible"), std::string::npos) << r.message;
}

TEST(Gradcheck, RefusesFloat32Inputs) {
  const Tensor x = ones({2}).requires_grad_();
  EXPECT_THROW(gradcheck([](const std::vector<Tensor>& in) { return in[0].sum(); }, {x}), std::invalid_argument);
}

TEST(Gradcheck, RefusesWhenNothingRequiresGrad) {
  EXPECT_THROW(gradcheck([](const std::vector<Tensor>& in) { return in[0].sum(); }, {ones({2}, kFloat64)}),
               std::invalid_argument);
}

TEST(Gradcheck, LeavesTheCallersTensorsUntouched) {
  const Tensor x = from_vector(std::vector<double>{1.0, 2.0}).requires_grad_();
  gradcheck([](const std::vector<Tensor>& in) { return in[0].exp().sum(); }, {x});
  EXPECT_FALSE(x.grad().defined());
  EXPECT_EQ(value_at(x, 1), 2.0);
}

TEST(Gradcheck, ChecksFunctionsWithSeveralOutputs) {
  const Tensor x = from_vector(std::vector<double>{0.3, -0.7}).requires_grad_();
  const auto r = gradcheck(autograd::GradcheckFunction([](const std::vector<Tensor>& in) {
                             return std::vector<Tensor>{in[0].tanh(), in[0].sigmoid().sum()};
                           }),
                           {x});
  EXPECT_TRUE(r.ok) << r.message;
}

}  // namespace
}  // namespace atrous
