// SPDX-License-Identifier: Apache-2.0
// Loss modules and functional losses with their options, and nn::init with PyTorch's formulas,
// checked on values computed by hand and on the statistics of large tensors.
#include <atrous/atrous.h>

#include <cmath>
#include <vector>

#include "expect.h"

namespace nn = atrous::nn;
namespace F = atrous::nn::functional;

bool close(double a, double b, double tol = 1e-5) { return std::abs(a - b) <= tol * (1 + std::abs(b)); }

int main() {
  atrous::manual_seed(6);
  auto logits = atrous::randn({4, 3});
  auto target = atrous::tensor({0, 2, 1, 2});
  nn::CrossEntropyLoss cross_entropy;
  nn::NLLLoss nll;
  auto ce = cross_entropy(logits, target);
  EXPECT(close(ce.item<double>(), nll(atrous::log_softmax(logits, 1), target).item<double>()));
  auto weights = atrous::tensor({1.0f, 2.0f, 0.5f});
  nn::CrossEntropyLoss weighted(nn::CrossEntropyLossOptions().weight(weights));
  auto logp = atrous::log_softmax(logits, 1);
  double num = 0, den = 0;
  for (int i = 0; i < 4; ++i) {
    const auto c = target[i].item<int64_t>();
    num -= weights[c].item<double>() * logp[i][c].item<double>();
    den += weights[c].item<double>();
  }
  EXPECT(close(weighted(logits, target).item<double>(), num / den));
  EXPECT(close(F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().label_smoothing(0.1)).item<double>(),
               0.9 * ce.item<double>() - 0.1 * logp.mean(1).mean().item<double>()));

  auto x = atrous::tensor({0.5f, -1.0f, 3.0f}), y = atrous::tensor({0.0f, 0.0f, 0.0f});
  EXPECT(close(nn::MSELoss()(x, y).item<double>(), (0.25 + 1 + 9) / 3.0));
  EXPECT(close(nn::L1Loss(nn::L1LossOptions(atrous::kSum))(x, y).item<double>(), 4.5));
  EXPECT(close(nn::SmoothL1Loss()(x, y).item<double>(), (0.125 + 0.5 + 2.5) / 3.0));
  EXPECT(close(nn::HuberLoss(nn::HuberLossOptions().delta(2.0))(x, y).item<double>(), (0.125 + 0.5 + 4.0) / 3.0));
  EXPECT(close(F::mse_loss(x, y, F::MSELossFuncOptions(atrous::kSum)).item<double>(), 10.25));

  auto p = atrous::tensor({0.9f, 0.2f}), t = atrous::tensor({1.0f, 0.0f});
  const double bce = -(std::log(0.9) + std::log(0.8)) / 2.0;
  EXPECT(close(nn::BCELoss()(p, t).item<double>(), bce));
  auto z = atrous::log(p / (1 - p));  // the logits of p
  EXPECT(close(nn::BCEWithLogitsLoss()(z, t).item<double>(), bce, 1e-4));
  auto pos = atrous::tensor({3.0f, 3.0f});
  EXPECT(close(nn::BCEWithLogitsLoss(nn::BCEWithLogitsLossOptions().pos_weight(pos))(z, t).item<double>(),
               -(3 * std::log(0.9) + std::log(0.8)) / 2.0, 1e-4));

  auto q = atrous::tensor({0.25f, 0.75f}), logq = atrous::log(atrous::tensor({0.5f, 0.5f})).unsqueeze(0);
  const double kl = 0.25 * std::log(0.25 / 0.5) + 0.75 * std::log(0.75 / 0.5);
  EXPECT(close(nn::KLDivLoss(nn::KLDivLossOptions(atrous::kBatchMean))(logq, q.unsqueeze(0)).item<double>(), kl));
  EXPECT(close(F::kl_div(logq, q.unsqueeze(0).log(), F::KLDivFuncOptions(atrous::kSum).log_target(true)).item<double>(),
               kl));

  // Init: PyTorch's bounds and standard deviations.
  auto w = atrous::empty({400, 500});
  nn::init::xavier_uniform_(w);
  const double xavier_bound = std::sqrt(6.0 / 900.0);
  EXPECT(w.max().item<double>() <= xavier_bound && w.min().item<double>() >= -xavier_bound);
  EXPECT(close(w.std().item<double>(), xavier_bound / std::sqrt(3.0), 0.01));
  nn::init::xavier_normal_(w, nn::init::calculate_gain(atrous::kTanh));
  EXPECT(close(w.std().item<double>(), 5.0 / 3.0 * std::sqrt(2.0 / 900.0), 0.01));
  nn::init::kaiming_normal_(w, 0.0, atrous::kFanOut, atrous::kReLU);
  EXPECT(close(w.std().item<double>(), std::sqrt(2.0 / 400.0), 0.01));
  nn::init::kaiming_uniform_(w, std::sqrt(5.0));
  EXPECT(w.abs().max().item<double>() <= 1.0 / std::sqrt(500.0));
  nn::init::normal_(w, 1.0, 0.02);
  EXPECT(close(w.mean().item<double>(), 1.0, 0.001) && close(w.std().item<double>(), 0.02, 0.01));
  nn::init::uniform_(w, 2.0, 3.0);
  EXPECT(w.min().item<double>() >= 2.0 && w.max().item<double>() < 3.0);
  nn::init::constant_(w, 0.5);
  EXPECT(w.sum().item<double>() == 0.5 * 400 * 500);
  nn::init::zeros_(w);
  EXPECT(w.abs().sum().item<double>() == 0.0);
  nn::init::ones_(w);
  EXPECT(w.sum().item<double>() == 400 * 500);
  auto o = atrous::empty({3, 5});
  nn::init::orthogonal_(o);
  EXPECT(atrous::allclose(o.mm(o.t()), atrous::eye(3), 1e-5, 1e-5));
  EXPECT(close(nn::init::calculate_gain(atrous::kLeakyReLU, 0.2), std::sqrt(2.0 / 1.04)));

  // Initialisers fill parameters that require grad without recording a graph.
  nn::Linear fc(8, 4);
  nn::init::kaiming_normal_(fc->weight);
  nn::init::zeros_(fc->bias);
  EXPECT(fc->weight.is_leaf() && fc->weight.requires_grad() && fc->bias.sum().item<float>() == 0.0f);
  std::cout << "losses_and_init: ok\n";
  return 0;
}
