// SPDX-License-Identifier: Apache-2.0
// Custom autograd functions from libtorch's autograd tutorial: LinearFunction saves tensors
// for backward, MulConstant saves a number in saved_data, and ArgMaxMask marks an output as
// non-differentiable. Their gradients are checked against the built-in ops'.
#include <atrous/atrous.h>

#include <vector>

#include "expect.h"

using atrous::Tensor;
using atrous::autograd::AutogradContext;
using atrous::autograd::Function;
using atrous::autograd::variable_list;

struct LinearFunction : public Function<LinearFunction> {
  static Tensor forward(AutogradContext* ctx, Tensor input, Tensor weight, Tensor bias = Tensor()) {
    ctx->save_for_backward({input, weight, bias});
    auto output = input.mm(weight.t());
    if (bias.defined()) output += bias.unsqueeze(0).expand_as(output);
    return output;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    auto input = saved[0], weight = saved[1], bias = saved[2];
    auto grad_output = grad_outputs[0];
    auto grad_input = grad_output.mm(weight);
    auto grad_weight = grad_output.t().mm(input);
    auto grad_bias = Tensor();
    if (bias.defined()) grad_bias = grad_output.sum(0);
    return {grad_input, grad_weight, grad_bias};
  }
};

struct MulConstant : public Function<MulConstant> {
  static Tensor forward(AutogradContext* ctx, Tensor tensor, double constant) {
    ctx->saved_data["constant"] = constant;
    return tensor * constant;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    return {grad_outputs[0] * ctx->saved_data["constant"].toDouble(), Tensor()};
  }
};

struct ArgMaxMask : public Function<ArgMaxMask> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    auto mask = x.eq(x.max());
    ctx->mark_non_differentiable({mask});
    return mask;
  }

  static variable_list backward(AutogradContext* /*ctx*/, variable_list grad_outputs) { return {grad_outputs[0]}; }
};

int main() {
  atrous::manual_seed(4);
  auto x = atrous::randn({2, 3}, atrous::dtype(atrous::kDouble).requires_grad(true));
  auto w = atrous::randn({4, 3}, atrous::dtype(atrous::kDouble).requires_grad(true));
  auto b = atrous::randn({4}, atrous::dtype(atrous::kDouble).requires_grad(true));

  auto y = LinearFunction::apply(x, w, b);
  y.pow(2).sum().backward();
  auto gx = x.grad().clone(), gw = w.grad().clone(), gb = b.grad().clone();
  x.grad().zero_();
  w.grad().zero_();
  b.grad().zero_();
  (x.mm(w.t()) + b).pow(2).sum().backward();
  EXPECT(atrous::allclose(gx, x.grad()) && atrous::allclose(gw, w.grad()) && atrous::allclose(gb, b.grad()));
  EXPECT(atrous::allclose(y, x.mm(w.t()) + b));

  auto z = LinearFunction::apply(x, w);  // no bias
  EXPECT(z.sizes() == std::vector<int64_t>({2, 4}));

  x.grad().zero_();
  auto m = MulConstant::apply(x, 5.5);
  m.sum().backward();
  EXPECT(atrous::allclose(x.grad(), atrous::full({2, 3}, 5.5, atrous::kDouble)));

  auto mask = ArgMaxMask::apply(x);
  EXPECT(!mask.requires_grad() && mask.sum().item<int64_t>() == 1);
  std::cout << "custom_function: ok\n";
  return 0;
}
