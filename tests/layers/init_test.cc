// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <atrous/atrous.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace atrous {
namespace {

namespace init = nn::init;

struct Initialiser {
  std::string name;
  std::function<void(Tensor)> fill;
  double mean, std;  // PyTorch's formula for a (200, 300) weight: fan_in 300, fan_out 200
};

std::vector<Initialiser> initialisers() {
  const double fans = 500.0;
  return {
      {"uniform_", [](Tensor t) { init::uniform_(t, -1.0, 3.0); }, 1.0, 4.0 / std::sqrt(12.0)},
      {"normal_", [](Tensor t) { init::normal_(t, 0.5, 2.0); }, 0.5, 2.0},
      {"xavier_uniform_", [](Tensor t) { init::xavier_uniform_(t, 2.0); }, 0.0,
       2.0 * std::sqrt(6.0 / fans) / std::sqrt(3.0)},
      {"xavier_normal_", [](Tensor t) { init::xavier_normal_(t); }, 0.0, std::sqrt(2.0 / fans)},
      {"kaiming_uniform_", [](Tensor t) { init::kaiming_uniform_(t, 0.0, kFanIn, kReLU); }, 0.0,
       std::sqrt(2.0 / 300.0)},
      {"kaiming_normal_", [](Tensor t) { init::kaiming_normal_(t, 0.1, kFanOut); }, 0.0,
       std::sqrt(2.0 / 1.01) / std::sqrt(200.0)},
  };
}

TEST(Init, EveryInitialiserHasPyTorchsMeanAndStdOnALargeTensor) {
  manual_seed(8);
  for (const Initialiser& i : initialisers()) {
    Tensor w = empty({200, 300}, kFloat64);
    i.fill(w);
    EXPECT_NEAR(w.mean().item<double>(), i.mean, 0.01 * std::max(1.0, i.std)) << i.name;
    EXPECT_NEAR(w.std().item<double>(), i.std, 0.01 * i.std) << i.name;
  }
}

TEST(Init, TheSameSeedGivesTheSameValues) {
  for (const Initialiser& i : initialisers()) {
    Tensor a = empty({20, 30}), b = empty({20, 30});
    manual_seed(9);
    i.fill(a);
    manual_seed(9);
    i.fill(b);
    EXPECT_TRUE(a.equal(b)) << i.name;
  }
}

TEST(Init, OrthogonalRowsOrColumnsAreOrthonormalTimesTheGain) {
  manual_seed(10);
  Tensor wide = empty({3, 2, 4}, kFloat64), tall = empty({6, 4}, kFloat64);
  init::orthogonal_(wide, 2.0);
  init::orthogonal_(tall);
  const Tensor rows = wide.reshape({3, 8});
  EXPECT_TRUE(rows.mm(rows.t()).allclose(eye(3, kFloat64) * 4.0, 1e-12, 1e-12));
  EXPECT_TRUE(tall.t().mm(tall).allclose(eye(4, kFloat64), 1e-12, 1e-12));
}

TEST(Init, CalculateGainFollowsPyTorch) {
  EXPECT_DOUBLE_EQ(init::calculate_gain(kLinear), 1.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(kTanh), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(kReLU), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(init::calculate_gain(kLeakyReLU, 0.2), std::sqrt(2.0 / 1.04));
  EXPECT_DOUBLE_EQ(init::calculate_gain(kSELU), 0.75);
}

}  // namespace
}  // namespace atrous
