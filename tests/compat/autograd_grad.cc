// SPDX-License-Identifier: Apache-2.0
// A linear regression trained with autograd::grad (no optimizer, no .grad()), as libtorch's
// autograd tutorial does, and the graph's node names.
#include <atrous/atrous.h>

#include <cmath>
#include <string>
#include <vector>

#include "expect.h"

int main() {
  atrous::manual_seed(3);
  auto x = atrous::randn({100, 2});
  auto y = x.mm(atrous::tensor({{2.0f}, {-1.0f}})) + 0.5;

  auto w = atrous::zeros({2, 1}, atrous::requires_grad());
  auto b = atrous::zeros({1}, atrous::requires_grad());
  for (int step = 0; step < 300; ++step) {
    auto loss = (x.mm(w) + b - y).pow(2).mean();
    auto grads = atrous::autograd::grad({loss}, {w, b});
    atrous::NoGradGuard no_grad;
    w -= 0.1 * grads[0];
    b -= 0.1 * grads[1];
  }
  EXPECT(std::abs(w[0][0].item<float>() - 2.0f) < 1e-3 && std::abs(w[1][0].item<float>() + 1.0f) < 1e-3);
  EXPECT(std::abs(b[0].item<float>() - 0.5f) < 1e-3);
  EXPECT(!w.grad().defined());  // grad() returns gradients instead of accumulating them

  // grad_outputs, retain_graph and allow_unused.
  auto a = atrous::tensor({1.0, 2.0, 3.0}, atrous::requires_grad());
  auto unused = atrous::tensor({1.0}, atrous::requires_grad());
  auto out = a * a;
  auto g = atrous::autograd::grad({out}, {a}, {atrous::ones_like(out)}, /*retain_graph=*/true);
  EXPECT(g[0].equal(2 * a.detach()));
  auto again = atrous::autograd::grad({out.sum()}, {a, unused}, {}, false, false, /*allow_unused=*/true);
  EXPECT(again[0].equal(2 * a.detach()) && !again[1].defined());

  // backward() accumulates; node names follow PyTorch's.
  auto s = (a * 3).sum();
  EXPECT(s.grad_fn()->name() == "SumBackward0");
  EXPECT(a.mean().grad_fn()->name() == "MeanBackward0");
  s.backward();
  EXPECT(a.grad().equal(atrous::full({3}, 3.0, atrous::kDouble)));
  std::cout << "autograd_grad: ok\n";
  return 0;
}
