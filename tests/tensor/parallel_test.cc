// SPDX-License-Identifier: Apache-2.0
// Results do not depend on the thread count: reductions, matmul, softmax and element-wise ops
// with 1, 2, 3 and 4 threads give the same bits.
#include <cstdlib>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

std::vector<Tensor> workload() {
  manual_seed(21);
  const Tensor big = randn({3 << 20});
  const Tensor m = randn({300, 2000});
  const Tensor a = randn({257, 129}), b = randn({129, 300});
  return {big.sum(),
          m.sum({0}),
          m.sum({1}),
          m.mean({0, 1}),
          a.matmul(b),
          m.softmax(1),
          m.log_softmax(0),
          std::get<0>(m.max(0)),
          (m * 2.0 + 1.0).tanh()};
}

TEST(Parallel, ResultsAreBitIdenticalForAnyThreadCount) {
  std::vector<Tensor> one;
  test::with_threads(1, [&] { one = workload(); });
  for (const int threads : {2, 3, 4}) {
    test::with_threads(threads, [&] {
      const std::vector<Tensor> many = workload();
      for (std::size_t i = 0; i < one.size(); ++i) {
        EXPECT_TRUE(test::bit_identical(many[i], one[i])) << "result " << i << " with " << threads << " threads";
      }
    });
  }
}

TEST(Parallel, SetNumThreadsIsReportedBack) {
  test::with_threads(3, [] { EXPECT_EQ(get_num_threads(), 3); });
}

TEST(Parallel, NonPositiveThreadCountIsRefused) {
  EXPECT_THROW(set_num_threads(0), std::invalid_argument);
  EXPECT_THROW(set_num_threads(-2), std::invalid_argument);
}

TEST(Parallel, ChunksDependOnlyOnSizeAndGrain) {
  std::vector<std::pair<std::int64_t, std::int64_t>> seen(5);
  parallel_for(10, 2, [&](const std::int64_t b, const std::int64_t e) {
    seen[static_cast<std::size_t>(b / 2)] = {b, e};
  });
  for (std::int64_t c = 0; c < 5; ++c) EXPECT_EQ(seen[static_cast<std::size_t>(c)], std::make_pair(2 * c, 2 * c + 2));
  EXPECT_EQ(num_chunks(10, 3), 4);
}

}  // namespace
}  // namespace atrous
