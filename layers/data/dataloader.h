// SPDX-License-Identifier: Apache-2.0
// Mini-batches of an in-memory dataset, shuffled by (seed, epoch) alone: the same seed gives
// the same batches on any machine and thread count, and resuming at epoch e replays epoch e.
#pragma once

#include <cstdint>

#include "atrous/tensor/tensor.h"

namespace atrous::data {

struct Batch {
  Tensor data;
  Tensor target;
};

// libtorch's DataLoaderOptions (batch_size, workers, drop_last, enforce_ordering), for both
// loaders; shuffle and seed are read by the in-memory DataLoader below only (make_data_loader's
// sampler decides its order).
class DataLoaderOptions {
 public:
  DataLoaderOptions() = default;
  DataLoaderOptions(const std::int64_t batch_size) : batch_size_(batch_size) {}  // NOLINT: as libtorch
  DataLoaderOptions& batch_size(const std::int64_t v) { return batch_size_ = v, *this; }
  // Threads that assemble a batch's examples (0: the calling thread). Batches are the same for
  // any count.
  DataLoaderOptions& workers(const std::int64_t v) { return workers_ = v, *this; }
  // Accepted for libtorch code: batches always arrive in order.
  DataLoaderOptions& enforce_ordering(const bool v) { return enforce_ordering_ = v, *this; }
  DataLoaderOptions& drop_last(const bool v) { return drop_last_ = v, *this; }
  DataLoaderOptions& shuffle(const bool v) { return shuffle_ = v, *this; }
  DataLoaderOptions& seed(const std::uint64_t v) { return seed_ = v, *this; }
  std::int64_t batch_size() const noexcept { return batch_size_; }
  std::int64_t workers() const noexcept { return workers_; }
  bool enforce_ordering() const noexcept { return enforce_ordering_; }
  bool drop_last() const noexcept { return drop_last_; }
  bool shuffle() const noexcept { return shuffle_; }
  std::uint64_t seed() const noexcept { return seed_; }

 private:
  std::int64_t batch_size_ = 1, workers_ = 0;
  bool enforce_ordering_ = true, shuffle_ = true, drop_last_ = false;
  std::uint64_t seed_ = 0;
};

class DataLoader {
 public:
  // `data` and `target` share their first dimension (the samples); `limit` > 0 keeps the first
  // `limit` samples only (for quick runs).
  DataLoader(Tensor data, Tensor target, const DataLoaderOptions& options, std::int64_t limit = 0);

  // Reorders the samples for `epoch` (a permutation keyed by seed and epoch).
  void set_epoch(std::int64_t epoch);
  std::int64_t size() const noexcept;  // batches per epoch
  std::int64_t samples() const noexcept { return samples_; }
  Batch operator[](std::int64_t i) const;

 private:
  Tensor data_, target_, order_;
  DataLoaderOptions options_;
  std::int64_t samples_;
};

}  // namespace atrous::data
