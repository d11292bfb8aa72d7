// SPDX-License-Identifier: Apache-2.0
// Samplers: the order in which a data loader visits a dataset's indices. RandomSampler draws a
// new permutation from the global generator (manual_seed) at every epoch, as libtorch's does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace atrous::data::samplers {

class Sampler {
 public:
  virtual ~Sampler() = default;
  // Starts an epoch over `size` indices (the dataset size when given).
  virtual void reset(std::optional<std::size_t> size) = 0;
  // Up to batch_size next indices; none when the epoch is over.
  virtual std::optional<std::vector<std::size_t>> next(std::size_t batch_size) = 0;
};

class SequentialSampler : public Sampler {
 public:
  explicit SequentialSampler(std::size_t size) : size_(size) {}
  void reset(std::optional<std::size_t> size) override;
  std::optional<std::vector<std::size_t>> next(std::size_t batch_size) override;

 private:
  std::size_t size_, index_ = 0;
};

class RandomSampler : public Sampler {
 public:
  explicit RandomSampler(std::int64_t size);
  void reset(std::optional<std::size_t> size) override;
  std::optional<std::vector<std::size_t>> next(std::size_t batch_size) override;

 private:
  std::vector<std::size_t> order_;
  std::size_t index_ = 0;
};

}  // namespace atrous::data::samplers
