// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/geometry.h"

#include <gtest/gtest.h>

#include "tests/support/test_util.h"

namespace atrous {
namespace {

using Pair = std::pair<std::int64_t, std::int64_t>;

TEST(Geometry, OutputSizeIsTheMasterFormula) {
  EXPECT_EQ(conv_output_size(5, 3, 0, 1, 1), 3);
  EXPECT_EQ(conv_output_size(5, 3, 0, 2, 1), 2);
  EXPECT_EQ(conv_output_size(7, 3, 1, 2, 1), 4);  // floor((7 + 2 - 3)/2) + 1
  EXPECT_EQ(conv_output_size(10, 3, 0, 1, 2), 6);
  EXPECT_EQ(conv_output_size(8, 4, 1, 2, 1, 1), 8);  // asymmetric 'same' of an even kernel
}

TEST(Geometry, OutputSizeFloorsNegativeNumerators) { EXPECT_EQ(conv_output_size(4, 10, 0, 1, 1), -5); }

TEST(Geometry, SamePaddingPutsTheExtraElementLastAsPyTorch) {
  // The spec's verified table (k, d) → (L, R).
  EXPECT_EQ(same_padding(1, 1), (Pair{0, 0}));
  EXPECT_EQ(same_padding(2, 1), (Pair{0, 1}));
  EXPECT_EQ(same_padding(3, 1), (Pair{1, 1}));
  EXPECT_EQ(same_padding(4, 1), (Pair{1, 2}));
  EXPECT_EQ(same_padding(4, 2), (Pair{3, 3}));
  EXPECT_EQ(same_padding(4, 3), (Pair{4, 5}));
  EXPECT_EQ(same_padding(5, 2), (Pair{4, 4}));
  EXPECT_EQ(same_padding(3, 2), (Pair{2, 2}));
  EXPECT_EQ(same_padding(2, 3), (Pair{1, 2}));
}

TEST(Geometry, SamePaddingKeepsEveryLength) {
  for (std::int64_t n = 50; n <= 54; ++n) {
    for (const std::int64_t k : {1, 2, 3, 8}) {
      for (const std::int64_t d : {1, 2, 3}) {
        const auto [l, r] = same_padding(k, d);
        EXPECT_EQ(conv_output_size(n, k, l, r, 1, d), n) << "n=" << n << " k=" << k << " d=" << d;
      }
    }
  }
}

TEST(Geometry, CausalPaddingIsAllOnTheLeft) {
  EXPECT_EQ(causal_padding(2, 512), (Pair{512, 0}));
  EXPECT_EQ(causal_padding(3, 2), (Pair{4, 0}));
}

TEST(Geometry, FormulaTextFillsInTheValues) {
  EXPECT_EQ(conv_output_formula(5, 3, 0, 0, 1, 2), "floor((5 + 2*0 - 2*(3-1) - 1)/1) + 1 = 1");
  EXPECT_EQ(conv_output_formula(8, 4, 1, 2, 1, 1), "floor((8 + 1 + 2 - 1*(4-1) - 1)/1) + 1 = 8");
}

TEST(Geometry, TransposedOutputSizeIsTheConvolutionsInputSize) {
  EXPECT_EQ(conv_transpose_output_size(7, 4, 1, 0, 2, 1), 14);  // DCGAN: 7 -> 14
  EXPECT_EQ(conv_transpose_output_size(5, 3, 1, 1, 2, 2), 12);  // (5-1)*2 - 2 + 2*2 + 1 + 1
  // Every size a convolution maps onto the same input comes back with some output_padding.
  for (std::int64_t in = 1; in <= 9; ++in) {
    for (std::int64_t op = 0; op < 3; ++op) {
      EXPECT_EQ(conv_output_size(conv_transpose_output_size(in, 3, 1, op, 3, 1), 3, 1, 3, 1), in);
    }
  }
}

TEST(Geometry, TransposedFormulaTextFillsInTheValues) {
  EXPECT_EQ(conv_transpose_output_formula(5, 4, 1, 0, 2, 1), "(5 - 1)*2 - 2*1 + 1*(4-1) + 0 + 1 = 10");
}

TEST(Geometry, TransposedOutputSizeRefusesOverflowAndNegativeArguments) {
  EXPECT_THROW(conv_transpose_output_size(8, 3, 0, 0, std::int64_t{1} << 62, 1), std::invalid_argument);
  EXPECT_THROW(conv_transpose_output_size(8, 3, -1, 0, 1, 1), std::invalid_argument);
  EXPECT_THROW(conv_transpose_output_size(8, 0, 0, 0, 1, 1), std::invalid_argument);
}

TEST(Geometry, ReceptiveFieldJumpAndStartFollowAraujo) {
  // conv3 s1 p1, conv3 s2 p1, conv3 s1 p1: r = 3, 5, 9; j = 1, 2, 2.
  const auto rf = receptive_field({{3, 1, 1, 1}, {3, 2, 1, 1}, {3, 1, 1, 1}});
  EXPECT_EQ(rf[0].size, 3);
  EXPECT_EQ(rf[1].size, 5);
  EXPECT_EQ(rf[2].size, 9);
  EXPECT_EQ(rf[1].jump, 2);
  EXPECT_DOUBLE_EQ(rf[2].start, 0.0);  // same-padded layers keep unit 0 centred on pixel 0
  const auto valid = receptive_field({{3, 1, 1, 0}, {3, 1, 1, 0}});
  EXPECT_DOUBLE_EQ(valid[1].start, 2.0);  // two valid 3×3s: unit 0 is centred on pixel 2
}

TEST(Geometry, TransposedLayersSpanTheInputUnitsTheirTapsReach) {
  // After a stride-4 encoder (jump 4): k4 s2 reaches 2 units, k3 s2 2, k2 s2 1; k2 d3 s2 only 1
  // (its two taps never land on the same parity); k5 d2 s4 reaches 3 (taps 0, 2, 4).
  const auto span = [](const LayerGeometry& l) { return receptive_field({{4, 4, 1, 0}, l}).back().size - 4; };
  EXPECT_EQ(span({4, 2, 1, 1, true}), 4);  // 1 unit of 4 pixels
  EXPECT_EQ(span({3, 2, 1, 1, true}), 4);
  EXPECT_EQ(span({2, 2, 1, 0, true}), 0);
  EXPECT_EQ(span({2, 2, 3, 0, true}), 0);
  EXPECT_EQ(span({5, 4, 2, 0, true}), 8);  // 2 units
  const auto rf = receptive_field({{4, 4, 1, 0}, {4, 2, 1, 1, true}});
  EXPECT_EQ(rf.back().jump, 2);
  EXPECT_DOUBLE_EQ(rf.back().start, 1.5 + (1 - 1.5) / 2 * 4);  // unit 0 of the encoder at 1.5, then -0.25 units
}

TEST(Geometry, TransposedStrideFinerThanTheInputIsRefused) {
  EXPECT_FALSE(receptive_field_defined({{3, 1, 1, 1}, {4, 2, 1, 1, true}}));
  EXPECT_TRUE(receptive_field_defined({{3, 2, 1, 1}, {4, 2, 1, 1, true}}));
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [] {
        receptive_field({{3, 1, 1, 1}, {4, 2, 1, 1, true}});
      },
      "receptive_field: layer 1 (transposed, stride 2) would make the jump 1/2 of an input element"));
}

TEST(Geometry, ReceptiveFieldRefusesNonPositiveArguments) {
  EXPECT_THROW(receptive_field({{0, 1, 1}}), std::invalid_argument);
  EXPECT_THROW(receptive_field({{3, 0, 1}}), std::invalid_argument);
}

}  // namespace
}  // namespace atrous
