// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/data/dataloader.h"

#include <algorithm>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"

namespace atrous::data {
namespace {

constexpr std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

DataLoader::DataLoader(Tensor data, Tensor target, const DataLoaderOptions& options, const std::int64_t limit)
    : data_(std::move(data)), target_(std::move(target)), options_(options) {
  check_arg(options.batch_size() > 0, "DataLoader", "batch_size must be positive, got ", options.batch_size());
  check_arg(data_.dim() >= 1 && target_.dim() >= 1 && data_.size(0) == target_.size(0), "DataLoader",
            "data and target must have the same number of samples, got shapes ", shape_str(data_.sizes()), " and ",
            shape_str(target_.sizes()));
  samples_ = limit > 0 ? std::min(limit, data_.size(0)) : data_.size(0);
  set_epoch(0);
}

void DataLoader::set_epoch(const std::int64_t epoch) {
  order_ = arange(samples_);
  if (!options_.shuffle()) return;
  auto* p = order_.data_ptr<std::int64_t>();
  const std::uint64_t key = mix(options_.seed() ^ mix(static_cast<std::uint64_t>(epoch) + 0x9e3779b97f4a7c15ULL));
  for (std::int64_t i = samples_ - 1; i > 0; --i) {  // Fisher-Yates
    const auto j =
        static_cast<std::int64_t>(mix(key + static_cast<std::uint64_t>(i)) % static_cast<std::uint64_t>(i + 1));
    std::swap(p[i], p[j]);
  }
}

std::int64_t DataLoader::size() const noexcept {
  const std::int64_t b = options_.batch_size();
  return options_.drop_last() ? samples_ / b : (samples_ + b - 1) / b;
}

Batch DataLoader::operator[](const std::int64_t i) const {
  check_arg(i >= 0 && i < size(), "DataLoader", "batch ", i, " is out of range for ", size(), " batches");
  const std::int64_t b = options_.batch_size(), begin = i * b, count = std::min(b, samples_ - begin);
  const Tensor idx = native::narrow(order_, 0, begin, count);
  return {native::index_select(data_, 0, idx), native::index_select(target_, 0, idx)};
}

}  // namespace atrous::data
