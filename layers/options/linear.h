// SPDX-License-Identifier: Apache-2.0
// Options for Linear, Flatten, activations and Dropout, with libtorch's names.
#pragma once

#include <cstdint>

namespace atrous::nn {

class LinearOptions {
 public:
  LinearOptions(const std::int64_t in_features, const std::int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  /// Whether to learn an additive bias. Default true.
  LinearOptions& bias(const bool v) { return bias_ = v, *this; }
  std::int64_t in_features() const noexcept { return in_features_; }
  std::int64_t out_features() const noexcept { return out_features_; }
  bool bias() const noexcept { return bias_; }

 private:
  std::int64_t in_features_, out_features_;
  bool bias_ = true;
};

class FlattenOptions {
 public:
  FlattenOptions& start_dim(const std::int64_t v) { return start_dim_ = v, *this; }
  FlattenOptions& end_dim(const std::int64_t v) { return end_dim_ = v, *this; }
  std::int64_t start_dim() const noexcept { return start_dim_; }
  std::int64_t end_dim() const noexcept { return end_dim_; }

 private:
  std::int64_t start_dim_ = 1, end_dim_ = -1;
};

class LeakyReLUOptions {
 public:
  LeakyReLUOptions& negative_slope(const double v) { return negative_slope_ = v, *this; }
  double negative_slope() const noexcept { return negative_slope_; }

 private:
  double negative_slope_ = 0.01;
};

class DropoutOptions {
 public:
  DropoutOptions(const double p = 0.5) : p_(p) {}  // NOLINT: implicit, as in libtorch
  DropoutOptions& p(const double v) { return p_ = v, *this; }
  double p() const noexcept { return p_; }

 private:
  double p_;
};

}  // namespace atrous::nn
