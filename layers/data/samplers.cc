// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/data/samplers.h"

#include <algorithm>

#include "atrous/tensor/error.h"
#include "atrous/tensor/random.h"

namespace atrous::data::samplers {
namespace {

std::optional<std::vector<std::size_t>> take(const std::vector<std::size_t>* order, const std::size_t size,
                                             std::size_t& index, const std::size_t batch_size) {
  check_arg(batch_size > 0, "Sampler", "batch_size must be positive");
  if (index >= size) return std::nullopt;
  const std::size_t end = std::min(size, index + batch_size);
  std::vector<std::size_t> out;
  out.reserve(end - index);
  for (; index < end; ++index) out.push_back(order != nullptr ? (*order)[index] : index);
  return out;
}

}  // namespace

void SequentialSampler::reset(const std::optional<std::size_t> size) {
  if (size) size_ = *size;
  index_ = 0;
}

std::optional<std::vector<std::size_t>> SequentialSampler::next(const std::size_t batch_size) {
  return take(nullptr, size_, index_, batch_size);
}

RandomSampler::RandomSampler(const std::int64_t size) {
  check_arg(size >= 0, "RandomSampler", "size must be >= 0, got ", size);
  reset(static_cast<std::size_t>(size));
}

void RandomSampler::reset(const std::optional<std::size_t> size) {
  const std::size_t n = size.value_or(order_.size());
  const Tensor perm = randperm(static_cast<std::int64_t>(n));
  const auto* p = perm.data_ptr<std::int64_t>();
  order_.assign(p, p + n);
  index_ = 0;
}

std::optional<std::vector<std::size_t>> RandomSampler::next(const std::size_t batch_size) {
  return take(&order_, order_.size(), index_, batch_size);
}

}  // namespace atrous::data::samplers
