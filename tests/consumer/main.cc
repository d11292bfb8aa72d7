// SPDX-License-Identifier: Apache-2.0
// The README's first program, built against the installed package by CTest
// (InstalledPackage.ConsumerBuildsAndRuns): a linear fit with autograd and a hand-written step.
#include <atrous/atrous.h>

#include <cmath>
#include <iostream>

int main() {
  using namespace atrous;
  manual_seed(0);
  Tensor w = randn({3, 1}).requires_grad_();
  Tensor x = randn({8, 3});
  Tensor y = x.matmul(from_vector(std::vector<float>{1, -2, 0.5}, {3, 1}));
  for (int step = 0; step < 200; ++step) {
    Tensor loss = (x.matmul(w) - y).pow(2).mean();
    w.zero_grad();
    loss.backward();
    NoGradGuard no_grad;  // parameter updates are not part of the graph
    w.add_(w.grad(), -0.1);
  }
  std::cout << w << "\n";
  const bool fitted = std::abs(value_at(w, 0) - 1) < 1e-3 && std::abs(value_at(w, 1) + 2) < 1e-3 &&
                      std::abs(value_at(w, 2) - 0.5) < 1e-3;
  return fitted ? 0 : 1;
}
