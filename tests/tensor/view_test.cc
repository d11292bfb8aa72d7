// SPDX-License-Identifier: Apache-2.0
#include <limits>

#include "atrous/tensor/factory.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

Tensor iota(const Shape& shape) {
  return arange(0.0, static_cast<double>(checked_numel(shape, "t")), 1.0).reshape(shape);
}

TEST(View, ReshapeOfContiguousTensorSharesStorage) {
  const Tensor a = iota({2, 6});
  const Tensor b = a.reshape({3, -1});
  EXPECT_EQ(b.sizes(), (Shape{3, 4}));
  EXPECT_EQ(b.unsafe_impl()->storage, a.unsafe_impl()->storage);
}

TEST(View, ReshapeOfTransposeCopies) {
  const Tensor a = iota({2, 3});
  const Tensor b = a.t().reshape({6});
  EXPECT_NE(b.unsafe_impl()->storage, a.unsafe_impl()->storage);
  EXPECT_EQ(value_at(b, 1), 3.0);  // a.t() = [[0,3],[1,4],[2,5]]
}

TEST(View, ViewOfNonContiguousTensorExplainsTheFix) {
  const Tensor a = iota({2, 3}).t();
  try {
    a.view({6});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "view: a tensor of shape [3, 2] and strides [1, 3] cannot be viewed as [6] without copying; "
                 "use reshape(), or contiguous() first");
  }
}

TEST(View, ReshapeWithWrongCountSaysSo) {
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [] {
        (void)iota({2, 3}).reshape({4, 2});
      },
      "shape [4, 2] is invalid for input of size 6"));
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [] {
        (void)iota({2, 3}).reshape({-1, -1});
      },
      "only one dimension can be -1 (inferred), got shape [-1, -1]"));
}

TEST(View, PermuteReordersSizesAndStrides) {
  const Tensor a = iota({2, 3, 4}).permute({2, 0, 1});
  EXPECT_EQ(a.sizes(), (Shape{4, 2, 3}));
  EXPECT_EQ(a.strides(), (Shape{1, 12, 4}));
  EXPECT_FALSE(a.is_contiguous());
  const Tensor c = a.contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_EQ(value_at(c, 1), 4.0);
}

TEST(View, PermuteWithRepeatedDimIsRefused) { EXPECT_THROW(iota({2, 3}).permute({0, 0}), std::invalid_argument); }

TEST(View, NarrowSliceAndSelectPickTheRightElements) {
  const Tensor a = iota({4, 5});
  EXPECT_EQ(value_at(a.narrow(1, 1, 2), 2), 6.0);
  EXPECT_EQ(value_at(a.slice(1, 0, 5, 2), 4), 7.0);  // row 1: 5, 7, 9
  EXPECT_EQ(a.select(0, -1).sizes(), (Shape{5}));
  EXPECT_EQ(value_at(a.select(0, -1), 0), 15.0);
}

TEST(View, NarrowPastTheEndSaysTheNumbers) {
  try {
    iota({4, 5}).narrow(1, 3, 3);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "narrow: start (3) + length (3) exceeds dim 1 of size 5");
  }
}

TEST(View, SelectOutOfRangeIsRefused) { EXPECT_THROW(iota({4}).select(0, 4), std::invalid_argument); }

TEST(View, CatJoinsAlongADim) {
  const Tensor c = cat({iota({2, 2}), iota({2, 1})}, 1);
  EXPECT_EQ(c.sizes(), (Shape{2, 3}));
  EXPECT_EQ(value_at(c, 2), 0.0);
  EXPECT_EQ(value_at(c, 3), 2.0);
}

TEST(View, CatWithMismatchedSizesNamesTheTensor) {
  try {
    cat({iota({2, 2}), iota({3, 1})}, 1);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "cat: sizes must match except in dim 1, but tensor 1 has shape [3, 1] and tensor 0 has shape "
                 "[2, 2] (dim 0)");
  }
}

TEST(View, CatOfMixedDtypesIsRefused) { EXPECT_THROW(cat({iota({2}), iota({2}).to(kFloat64)}), std::invalid_argument); }

TEST(View, ExpandBroadcastsWithStrideZero) {
  const Tensor e = iota({1, 3}).expand({4, 3});
  EXPECT_EQ(e.strides()[0], 0);
  EXPECT_EQ(value_at(e, 10), 1.0);
  EXPECT_THROW(iota({2, 3}).expand({4, 3}), std::invalid_argument);
}

TEST(View, FlattenMergesARangeOfDims) {
  EXPECT_EQ(iota({2, 3, 4}).flatten(1).sizes(), (Shape{2, 12}));
  EXPECT_EQ(iota({2, 3, 4}).flatten().sizes(), (Shape{24}));
}

TEST(View, UnsqueezeAndSqueezeAreInverse) {
  const Tensor a = iota({2, 3});
  EXPECT_EQ(a.unsqueeze(1).sizes(), (Shape{2, 1, 3}));
  EXPECT_EQ(a.unsqueeze(-1).squeeze(-1).sizes(), (Shape{2, 3}));
  EXPECT_EQ(a.squeeze(0).sizes(), (Shape{2, 3}));  // size 2: unchanged, as PyTorch
}

TEST(View, ToConvertsDtypeAndCloneDoesNotAlias) {
  const Tensor a = iota({3});
  const Tensor i = (a * 1.7).to(kInt64);
  EXPECT_EQ(i.dtype(), kInt64);
  EXPECT_EQ(value_at(i, 2), 3.0);  // 3.4 truncates toward zero, as PyTorch
  Tensor c = a.clone();
  c.fill_(9);
  EXPECT_EQ(value_at(a, 0), 0.0);
}

TEST(View, CopyIntoAViewWritesThroughToTheBase) {
  Tensor a = zeros({3, 3});
  a.select(1, 1).copy_(ones({3}));
  EXPECT_EQ(value_at(a, 4), 1.0);
  EXPECT_EQ(value_at(a, 3), 0.0);
}

TEST(View, CopyFromAnOverlappingViewReadsTheOldValues) {
  Tensor a = iota({2, 2});
  a.copy_(a.t());
  EXPECT_EQ(value_at(a, 1), 2.0);
  EXPECT_EQ(value_at(a, 2), 1.0);
}

TEST(View, ItemOfManyElementsIsRefused) {
  EXPECT_EQ(iota({1, 1}).item<double>(), 0.0);
  EXPECT_THROW(iota({2}).item<double>(), std::invalid_argument);
}

TEST(View, DataPtrOfTheWrongTypeIsRefused) { EXPECT_THROW(iota({2}).data_ptr<double>(), std::invalid_argument); }

TEST(View, UndefinedTensorRaisesInsteadOfCrashing) { EXPECT_THROW(Tensor().sizes(), std::runtime_error); }

TEST(View, SliceWithAStepPastTheEndKeepsOneElement) {
  // end − start + step would wrap for step = 2^63 − 1; Python's x[2:5:huge] is [x[2]].
  const Tensor s = arange(0, 5, 1, kFloat32).slice(0, 2, 5, std::numeric_limits<std::int64_t>::max());
  ASSERT_EQ(s.sizes(), (Shape{1}));
  EXPECT_EQ(s.item<float>(), 2.0F);
}

TEST(View, ExpandToMoreThanInt64ElementsIsRefused) {
  EXPECT_THROW(ones({1}).expand({std::numeric_limits<std::int64_t>::max(), 4}), std::invalid_argument);
}

TEST(View, ReshapeToAShapeWhoseProductWrapsIsRefused) {
  // 2^62 · 4 wraps to 0 in int64, which must not pass for an empty tensor's element count.
  EXPECT_THROW(zeros({0}).reshape({std::int64_t{1} << 62, 4}), std::invalid_argument);
}

}  // namespace
}  // namespace atrous
