// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/shape.h"

#include <gtest/gtest.h>

#include <limits>

namespace atrous {
namespace {

TEST(Shape, ContiguousStridesAreRowMajor) { EXPECT_EQ(contiguous_strides({2, 3, 4}), (Shape{12, 4, 1})); }

TEST(Shape, ContiguousStridesOfEmptyShapeIsEmpty) { EXPECT_TRUE(contiguous_strides({}).empty()); }

TEST(Shape, BroadcastFollowsNumPyRules) {
  EXPECT_EQ(broadcast_shapes({2, 1, 4}, {3, 1}, "t"), (Shape{2, 3, 4}));
  EXPECT_EQ(broadcast_shapes({}, {5}, "t"), (Shape{5}));
  EXPECT_EQ(broadcast_shapes({0, 1}, {1, 3}, "t"), (Shape{0, 3}));
}

TEST(Shape, IncompatibleBroadcastNamesOpAndBothShapes) {
  try {
    broadcast_shapes({2, 3}, {4}, "add");
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "add: shapes [2, 3] and [4] cannot be broadcast: dimension 1 of the broadcast result "
                 "would need 3 == 4 or one of them 1");
  }
}

TEST(Shape, WrapDimAcceptsNegativeDims) {
  EXPECT_EQ(wrap_dim(-1, 3, "t"), 2);
  EXPECT_EQ(wrap_dim(0, 0, "t"), 0);
}

TEST(Shape, WrapDimOutOfRangeSaysTheValidRange) {
  EXPECT_THROW(
      {
        try {
          wrap_dim(3, 3, "sum");
        } catch (const std::invalid_argument& e) {
          EXPECT_STREQ(e.what(),
                       "sum: dim 3 is out of range for a tensor with 3 dimensions (expected a dim in [-3, 2])");
          throw;
        }
      },
      std::invalid_argument);
}

TEST(Shape, NumelOverflowIsRefused) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() / 2;
  EXPECT_THROW(checked_numel({big, 3}, "zeros"), std::invalid_argument);
}

TEST(Shape, NegativeSizeIsRefused) { EXPECT_THROW(checked_numel({2, -1}, "zeros"), std::invalid_argument); }

TEST(Shape, ContiguityIgnoresSizeOneDims) {
  EXPECT_TRUE(is_contiguous({2, 1, 3}, {3, 99, 1}));
  EXPECT_FALSE(is_contiguous({2, 3}, {1, 2}));
}

}  // namespace
}  // namespace atrous

namespace atrous {
namespace {

// Found by the IDX fuzzer: sizes whose product overflows are legal when another size is 0.
TEST(Shape, EmptyTensorWithHugeSizesHasSaturatedStridesAndNoElements) {
  const Shape sizes{0, std::int64_t{1} << 40, std::int64_t{1} << 40};
  EXPECT_EQ(checked_numel(sizes, "test"), 0);
  const Shape strides = contiguous_strides(sizes);
  EXPECT_EQ(strides[2], 1);
  EXPECT_EQ(strides[1], std::int64_t{1} << 40);
  EXPECT_EQ(strides[0], std::numeric_limits<std::int64_t>::max());
}

}  // namespace
}  // namespace atrous
