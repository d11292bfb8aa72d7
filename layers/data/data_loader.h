// SPDX-License-Identifier: Apache-2.0
// make_data_loader: libtorch's loader over a Dataset or MapDataset, iterated with range-for:
//
//   auto loader = data::make_data_loader(std::move(dataset), data::DataLoaderOptions().batch_size(64));
//   for (auto& batch : *loader) { ... batch.data ... batch.target ... }
//
// The default sampler is RandomSampler; make_data_loader<samplers::SequentialSampler>(...) keeps
// the dataset's order. With workers > 0 the next batch is fetched on another thread while the
// caller works on the current one; batches arrive in the sampler's order, the same for any
// worker count (as long as the dataset's get() is deterministic).
#pragma once

#include <cstddef>
#include <future>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "atrous/layers/data/dataloader.h"
#include "atrous/layers/data/dataset.h"
#include "atrous/layers/data/samplers.h"

namespace atrous::data {

template <typename Dataset, typename Sampler>
class StatelessDataLoader {
 public:
  using BatchType = typename Dataset::BatchType;

  StatelessDataLoader(Dataset dataset, Sampler sampler, DataLoaderOptions options)
      : dataset_(std::move(dataset)), sampler_(std::move(sampler)), options_(options) {
    check_arg(options.batch_size() > 0, "make_data_loader", "batch_size must be positive, got ", options.batch_size());
    check_arg(options.workers() >= 0, "make_data_loader", "workers must be >= 0, got ", options.workers());
  }

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = BatchType;
    using difference_type = std::ptrdiff_t;
    using pointer = BatchType*;
    using reference = BatchType&;

    Iterator() = default;  // the end
    explicit Iterator(StatelessDataLoader* loader) : loader_(loader) { advance(); }
    BatchType& operator*() { return *batch_; }
    BatchType* operator->() { return &*batch_; }
    Iterator& operator++() {
      advance();
      return *this;
    }
    bool operator==(const Iterator& other) const { return !batch_.has_value() && !other.batch_.has_value(); }
    bool operator!=(const Iterator& other) const { return !(*this == other); }

   private:
    void advance() { batch_ = loader_->next_batch(); }
    StatelessDataLoader* loader_ = nullptr;
    std::optional<BatchType> batch_;
  };

  // Starts a new epoch (a new permutation for RandomSampler).
  Iterator begin() {
    if (pending_.valid()) pending_.wait();
    pending_ = {};
    sampler_.reset(dataset_.size());
    return Iterator(this);
  }
  Iterator end() { return Iterator(); }
  const DataLoaderOptions& options() const noexcept { return options_; }

 private:
  std::optional<BatchType> fetch() {
    const auto batch_size = static_cast<std::size_t>(options_.batch_size());
    auto indices = sampler_.next(batch_size);
    if (!indices || indices->empty() || (options_.drop_last() && indices->size() < batch_size)) return std::nullopt;
    return dataset_.get_batch(*indices);
  }

  // One fetch is in flight at a time, so the sampler and the dataset are never used by two
  // threads at once.
  std::optional<BatchType> next_batch() {
    if (options_.workers() == 0) return fetch();
    if (!pending_.valid()) pending_ = std::async(std::launch::async, [this] { return fetch(); });
    std::optional<BatchType> batch = pending_.get();
    if (batch) pending_ = std::async(std::launch::async, [this] { return fetch(); });
    return batch;
  }

  Dataset dataset_;
  Sampler sampler_;
  DataLoaderOptions options_;
  std::future<std::optional<BatchType>> pending_;
};

template <typename Sampler = samplers::RandomSampler, typename Dataset>
auto make_data_loader(Dataset dataset, DataLoaderOptions options = DataLoaderOptions()) {
  const auto size = dataset.size();
  check_arg(size.has_value(), "make_data_loader", "the dataset must report its size");
  Sampler sampler(static_cast<std::int64_t>(*size));
  return std::make_unique<StatelessDataLoader<Dataset, Sampler>>(std::move(dataset), std::move(sampler), options);
}

template <typename Dataset, typename Sampler>
requires std::is_base_of_v<samplers::Sampler, Sampler>
auto make_data_loader(Dataset dataset, Sampler sampler, DataLoaderOptions options = DataLoaderOptions()) {
  return std::make_unique<StatelessDataLoader<Dataset, Sampler>>(std::move(dataset), std::move(sampler), options);
}

}  // namespace atrous::data
