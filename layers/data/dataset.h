// SPDX-License-Identifier: Apache-2.0
// libtorch's dataset interface: Example<Data, Target>, Dataset<Self, Example> (get(i) and
// size()), and map() with a transform, which makes a MapDataset. A dataset's batch is the
// vector of its examples until a batch transform (transforms::Stack) turns it into one Example.
#pragma once

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "atrous/tensor/tensor.h"

namespace atrous::data {

template <typename Data = Tensor, typename Target = Tensor>
struct Example {
  using DataType = Data;
  using TargetType = Target;
  Example() = default;
  Example(Data d, Target t) : data(std::move(d)), target(std::move(t)) {}
  Data data;
  Target target;
};

namespace datasets {

template <typename Source, typename Transform>
class MapDataset;

// The base of random-access datasets: Self implements get(index) and size().
template <typename Self, typename SingleExample = Example<>>
class Dataset {
 public:
  using ExampleType = SingleExample;
  using BatchType = std::vector<SingleExample>;
  virtual ~Dataset() = default;

  virtual ExampleType get(std::size_t index) = 0;
  virtual std::optional<std::size_t> size() const = 0;

  virtual BatchType get_batch(const std::vector<std::size_t>& indices) {
    BatchType batch;
    batch.reserve(indices.size());
    for (const std::size_t i : indices) batch.push_back(get(i));
    return batch;
  }

  // This dataset with `transform` applied to its examples or batches.
  template <typename Transform>
  MapDataset<Self, Transform> map(Transform transform) && {
    return MapDataset<Self, Transform>(std::move(static_cast<Self&>(*this)), std::move(transform));
  }
};

template <typename Source, typename Transform>
class MapDataset {
 public:
  using BatchType = decltype(std::declval<Transform&>().apply_batch(std::declval<typename Source::BatchType>()));

  MapDataset(Source source, Transform transform) : source_(std::move(source)), transform_(std::move(transform)) {}

  BatchType get_batch(const std::vector<std::size_t>& indices) {
    return transform_.apply_batch(source_.get_batch(indices));
  }
  std::optional<std::size_t> size() const { return source_.size(); }

  template <typename Next>
  MapDataset<MapDataset, Next> map(Next transform) && {
    return MapDataset<MapDataset, Next>(std::move(*this), std::move(transform));
  }

  const Source& dataset() const noexcept { return source_; }

 private:
  Source source_;
  Transform transform_;
};

}  // namespace datasets
}  // namespace atrous::data
