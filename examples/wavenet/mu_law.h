// SPDX-License-Identifier: Apache-2.0
// 8-bit µ-law companding (ITU-T G.711's curve with µ = 255), as WaveNet uses for its 256-way
// softmax: fine steps near zero, where speech and music spend most of their time.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace atrous::examples {

inline constexpr int kMuLawLevels = 256;

// x in [-1, 1] → a class in [0, 256).
inline std::int64_t mu_law_encode(const double x) {
  constexpr double mu = kMuLawLevels - 1;
  const double c = std::clamp(x, -1.0, 1.0);
  const double y = std::copysign(std::log1p(mu * std::abs(c)) / std::log1p(mu), c);
  return std::clamp<std::int64_t>(std::llround((y + 1) / 2 * mu), 0, kMuLawLevels - 1);
}

// A class back to [-1, 1].
inline double mu_law_decode(const std::int64_t q) {
  constexpr double mu = kMuLawLevels - 1;
  const double y = 2 * static_cast<double>(q) / mu - 1;
  return std::copysign((std::pow(1 + mu, std::abs(y)) - 1) / mu, y);
}

}  // namespace atrous::examples
