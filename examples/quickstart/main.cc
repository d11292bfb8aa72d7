// SPDX-License-Identifier: Apache-2.0
// Quickstart: fit a two-layer tanh network to y = sin(3x) with nothing but tensors, autograd
// and a hand-written SGD step, printing the loss as it falls.
#include <atrous/atrous.h>

#include <cmath>
#include <cstdio>

int main() {
  using namespace atrous;
  manual_seed(0);

  // 256 points on [-1, 1] and their targets.
  const Tensor x = arange(-1.0, 1.0, 2.0 / 256).reshape({256, 1});
  std::vector<float> targets(256);
  for (std::size_t i = 0; i < targets.size(); ++i)
    targets[i] = std::sin(3.0f * (-1.0f + 2.0f * static_cast<float>(i) / 256));
  const Tensor y = from_vector(targets, {256, 1});

  const int hidden = 32;
  Tensor w1 = randn({1, hidden}).requires_grad_();
  Tensor b1 = zeros({hidden}).requires_grad_();
  Tensor w2 = (randn({hidden, 1}) * (1.0 / std::sqrt(hidden))).requires_grad_();
  Tensor b2 = zeros({1}).requires_grad_();
  std::vector<Tensor> params{w1, b1, w2, b2};

  const double lr = 0.1;
  float first = 0, last = 0;
  for (int step = 0; step <= 2000; ++step) {
    const Tensor h = (x.matmul(w1) + b1).tanh();
    const Tensor pred = h.matmul(w2) + b2;
    const Tensor loss = ((pred - y) * (pred - y)).mean();
    for (Tensor& p : params) p.zero_grad();
    loss.backward();
    {
      const NoGradGuard no_grad;
      for (Tensor& p : params) p.add_(p.grad(), -lr);
    }
    const auto l = loss.item<float>();
    if (step == 0) first = l;
    last = l;
    if (step % 250 == 0) std::printf("step %4d  loss %.6f\n", step, static_cast<double>(l));
  }
  std::printf("loss fell from %.4f to %.6f (%.0fx)\n", static_cast<double>(first), static_cast<double>(last),
              static_cast<double>(first / last));
  return last < first / 10 ? 0 : 1;
}
