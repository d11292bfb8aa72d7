// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <atrous/atrous.h>

#include <vector>

namespace atrous {
namespace {

// Example i is (a (2) tensor filled with i, the label i).
class Counting : public data::datasets::Dataset<Counting> {
 public:
  explicit Counting(std::size_t n) : n_(n) {}
  data::Example<> get(const std::size_t i) override {
    return {full({2}, static_cast<double>(i)), full({}, static_cast<std::int64_t>(i))};
  }
  std::optional<std::size_t> size() const override { return n_; }

 private:
  std::size_t n_;
};

std::vector<std::int64_t> labels_of(const std::int64_t workers, const std::uint64_t seed,
                                    const std::int64_t batch = 4) {
  manual_seed(seed);
  auto loader = data::make_data_loader(Counting(10).map(data::transforms::Stack<>()),
                                       data::DataLoaderOptions().batch_size(batch).workers(workers));
  std::vector<std::int64_t> out;
  for (auto& b : *loader) {
    for (std::int64_t i = 0; i < b.target.size(0); ++i) out.push_back(b.target[i].item<std::int64_t>());
  }
  return out;
}

TEST(DataPipeline, ASeedGivesTheSameBatchesForAnyWorkerCount) {
  const auto sequential = labels_of(0, 11);
  EXPECT_EQ(sequential, labels_of(1, 11));
  EXPECT_EQ(sequential, labels_of(3, 11));
  EXPECT_NE(sequential, labels_of(0, 12));
}

TEST(DataPipeline, RandomSamplerVisitsEveryExampleOncePerEpoch) {
  auto labels = labels_of(2, 5);
  std::sort(labels.begin(), labels.end());
  EXPECT_EQ(labels, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(DataPipeline, SequentialSamplerKeepsTheOrderAndDropLastDropsTheShortBatch) {
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(Counting(10).map(data::transforms::Stack<>()),
                                                                          data::DataLoaderOptions(4).drop_last(true));
  std::vector<std::int64_t> firsts;
  for (auto& b : *loader) {
    EXPECT_EQ(b.data.sizes(), (Shape{4, 2}));
    firsts.push_back(b.target[0].item<std::int64_t>());
  }
  EXPECT_EQ(firsts, (std::vector<std::int64_t>{0, 4}));
}

TEST(DataPipeline, UnstackedBatchesAreVectorsOfExamples) {
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(Counting(3), data::DataLoaderOptions(2));
  std::vector<std::size_t> sizes;
  for (auto& b : *loader) sizes.push_back(b.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 1}));
}

TEST(DataPipeline, NormalizeSubtractsTheMeanAndDividesByTheStdPerChannel) {
  data::transforms::Normalize<> normalize({1.0, 2.0}, {2.0, 4.0});
  const Tensor y = normalize(ones({2, 1, 1}) * 3.0);
  EXPECT_DOUBLE_EQ(value_at(y, 0), 1.0);
  EXPECT_DOUBLE_EQ(value_at(y, 1), 0.25);
}

TEST(DataPipeline, LoaderRefusesANonPositiveBatchSize) {
  EXPECT_THROW(data::make_data_loader(Counting(3), data::DataLoaderOptions(0)), std::invalid_argument);
}

}  // namespace
}  // namespace atrous
