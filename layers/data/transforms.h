// SPDX-License-Identifier: Apache-2.0
// libtorch's data transforms: Normalize<> and Lambda<> change each example's data, Stack<>
// joins a batch of examples into one Example of stacked tensors.
#pragma once

#include <functional>
#include <initializer_list>
#include <utility>
#include <vector>

#include "atrous/layers/data/dataset.h"
#include "atrous/tensor/factory.h"

namespace atrous::data::transforms {

// A transform of each example's data tensor; applied to a batch, it maps over the examples.
template <typename Target = Tensor>
class TensorTransform {
 public:
  using E = Example<Tensor, Target>;
  virtual ~TensorTransform() = default;
  virtual Tensor operator()(Tensor input) = 0;
  E apply(E example) {
    example.data = (*this)(std::move(example.data));
    return example;
  }
  std::vector<E> apply_batch(std::vector<E> batch) {
    for (E& e : batch) e = apply(std::move(e));
    return batch;
  }
};

// (x − mean) / stddev, with one value for every channel or one per channel (first dimension).
template <typename Target = Tensor>
class Normalize : public TensorTransform<Target> {
 public:
  Normalize(std::initializer_list<double> mean, std::initializer_list<double> stddev)
      : mean_(channel_values(mean)), stddev_(channel_values(stddev)) {
    check_arg(mean_.numel() == stddev_.numel(), "Normalize", "got ", mean_.numel(), " means but ", stddev_.numel(),
              " standard deviations");
  }
  Normalize(const double mean, const double stddev) : Normalize({mean}, {stddev}) {}
  Tensor operator()(Tensor input) override {
    const Tensor m = mean_.to(input.dtype()), s = stddev_.to(input.dtype());
    return (input - m) / s;
  }

 private:
  // (C, 1, 1) so a (C, H, W) image broadcasts per channel; one value broadcasts everywhere.
  static Tensor channel_values(std::initializer_list<double> values) {
    const Tensor t = from_vector(std::vector<double>(values), {static_cast<std::int64_t>(values.size())});
    return values.size() == 1 ? t.reshape({}) : t.reshape({static_cast<std::int64_t>(values.size()), 1, 1});
  }
  Tensor mean_, stddev_;
};

// Any function of the data tensor.
template <typename Target = Tensor>
class Lambda : public TensorTransform<Target> {
 public:
  explicit Lambda(std::function<Tensor(Tensor)> fn) : fn_(std::move(fn)) {}
  Tensor operator()(Tensor input) override { return fn_(std::move(input)); }

 private:
  std::function<Tensor(Tensor)> fn_;
};

template <typename E = Example<>>
class Stack;

// Stacks the data and the targets of a batch along a new first dimension.
template <>
class Stack<Example<>> {
 public:
  Example<> apply_batch(const std::vector<Example<>>& batch) const {
    std::vector<Tensor> data, targets;
    data.reserve(batch.size());
    targets.reserve(batch.size());
    for (const Example<>& e : batch) {
      data.push_back(e.data);
      targets.push_back(e.target);
    }
    check_arg(!batch.empty(), "Stack", "cannot stack an empty batch");
    return {stack(data), stack(targets)};
  }
};

}  // namespace atrous::data::transforms
