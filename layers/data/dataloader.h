// Mini-batches of an in-memory dataset, shuffled by (seed, epoch) alone: the same seed gives
// the same batches on any machine and thread count, and resuming at epoch e replays epoch e.
#pragma once

#include <cstdint>

#include "tensor/tensor.h"

namespace atrous::data {

struct Batch {
  Tensor data;
  Tensor target;
};

class DataLoaderOptions {
 public:
  explicit DataLoaderOptions(const std::int64_t batch_size) : batch_size_(batch_size) {}
  DataLoaderOptions& shuffle(const bool v) { return shuffle_ = v, *this; }
  DataLoaderOptions& seed(const std::uint64_t v) { return seed_ = v, *this; }
  DataLoaderOptions& drop_last(const bool v) { return drop_last_ = v, *this; }
  std::int64_t batch_size() const noexcept { return batch_size_; }
  bool shuffle() const noexcept { return shuffle_; }
  std::uint64_t seed() const noexcept { return seed_; }
  bool drop_last() const noexcept { return drop_last_; }

 private:
  std::int64_t batch_size_;
  bool shuffle_ = true, drop_last_ = false;
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
