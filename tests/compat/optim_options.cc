// SPDX-License-Identifier: Apache-2.0
// Options and optimizers as libtorch code builds them: int padding, pooling from a kernel size,
// functional options, an SGD from a bare learning rate, Adam with a betas tuple, derived options
// keeping their type through setters, and parameter groups with their own learning rates.
#include <atrous/atrous.h>

#include <cmath>
#include <tuple>
#include <vector>

#include "expect.h"

namespace nn = atrous::nn;
namespace F = atrous::nn::functional;
namespace optim = atrous::optim;

int main() {
  atrous::manual_seed(2);
  nn::Conv2d conv(nn::Conv2dOptions(3, 8, 3).stride(1).padding(0).bias(false));
  nn::MaxPool2d pool(2);
  nn::AvgPool2d avg(nn::AvgPool2dOptions(2).stride(2));
  auto x = atrous::randn({1, 3, 10, 10});
  EXPECT(pool(conv(x)).sizes() == std::vector<int64_t>({1, 8, 4, 4}));
  EXPECT(avg(conv(x)).sizes() == std::vector<int64_t>({1, 8, 4, 4}));
  EXPECT(F::max_pool2d(x, F::MaxPool2dFuncOptions(2)).sizes() == std::vector<int64_t>({1, 3, 5, 5}));
  EXPECT(F::avg_pool2d(x, F::AvgPool2dFuncOptions(5)).sizes() == std::vector<int64_t>({1, 3, 2, 2}));
  EXPECT(F::conv2d(x, conv->weight, F::Conv2dFuncOptions().padding(1)).sizes() == std::vector<int64_t>({1, 8, 10, 10}));
  EXPECT(F::dropout(x, F::DropoutFuncOptions().p(0.5).training(false)).equal(x));

  // A least-squares problem every optimizer must solve: fit w to y = X·[1, -2, 3].
  auto X = atrous::randn({64, 3});
  auto y = X.mm(atrous::tensor({1.f, -2.f, 3.f}).unsqueeze(1));
  auto fit = [&](optim::Optimizer& opt, atrous::Tensor& w, int steps) {
    for (int i = 0; i < steps; ++i) {
      opt.zero_grad();
      auto loss = (X.mm(w) - y).pow(2).mean();
      loss.backward();
      opt.step();
    }
    return (X.mm(w) - y).pow(2).mean().item<float>();
  };

  auto w_sgd = atrous::zeros({3, 1}, atrous::requires_grad());
  optim::SGD sgd({w_sgd}, /*lr=*/0.1);
  EXPECT(fit(sgd, w_sgd, 200) < 1e-6);

  auto w_adam = atrous::zeros({3, 1}, atrous::requires_grad());
  optim::Adam adam({w_adam}, optim::AdamOptions(5e-2).betas(std::make_tuple(0.5, 0.9)));
  EXPECT(std::get<0>(static_cast<optim::AdamOptions&>(adam.param_groups()[0].options()).betas()) == 0.5);
  EXPECT(fit(adam, w_adam, 400) < 1e-4);

  auto w_adamw = atrous::zeros({3, 1}, atrous::requires_grad());
  optim::AdamW adamw({w_adamw}, optim::AdamWOptions(5e-2).weight_decay(1e-4));
  EXPECT(fit(adamw, w_adamw, 400) < 1e-3);

  // Parameter groups: each has its options, and changing one group's rate leaves the other.
  auto a = atrous::ones({2}, atrous::requires_grad()), b = atrous::ones({2}, atrous::requires_grad());
  optim::SGD groups(std::vector<optim::OptimizerParamGroup>{optim::OptimizerParamGroup({a})}, optim::SGDOptions(0.1));
  groups.add_param_group(optim::OptimizerParamGroup({b}, std::make_unique<optim::SGDOptions>(0.5)));
  EXPECT(groups.param_groups().size() == 2);
  for (auto& group : groups.param_groups()) {
    auto& options = static_cast<optim::SGDOptions&>(group.options());
    options.lr(options.lr() * 2);
  }
  (a.sum() + b.sum()).backward();
  groups.step();
  EXPECT(std::abs(a[0].item<float>() - 0.8f) < 1e-6 && std::abs(b[0].item<float>() - 0.0f) < 1e-6);
  std::cout << "optim_options: ok\n";
  return 0;
}
