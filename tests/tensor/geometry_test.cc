// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/geometry.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <sstream>

#include "tests/support/seed.h"
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

// A 2×2 stride-2 encoder (each unit sees 2 pixels, jump 2) and its 2×2 stride-2 transposed
// decoder: outputs 2m and 2m+1 both read unit m, so the decoder's units still see 2 pixels, but a
// 2-tap convolution after it, over outputs 2m+1 and 2m+2, reaches units m and m+1: 4 pixels, not
// the 3 a uniform jump of 1 would give.
// A stride-1 transposed layer widens like a convolution but reaches back: unit 0 of a 7-tap one
// reads inputs −6 … 0, centred on −3 (a convolution's unit 0 would be centred on +3).
TEST(Geometry, AStrideOneTransposedLayerIsCentredBehindItsInput) {
  const auto rf = receptive_field({{7, 1, 1, 0, true}});
  EXPECT_EQ(rf[0].size, 7);
  EXPECT_DOUBLE_EQ(rf[0].start, -3.0);
}

TEST(Geometry, TransposedLayersPlaceTheirUnitsUnevenly) {
  const auto rf = receptive_field({{2, 2, 1, 0}, {2, 2, 1, 0, true}, {2, 1, 1, 0}});
  EXPECT_EQ(rf[1].size, 2);
  EXPECT_EQ(rf[1].jump, 1);
  EXPECT_DOUBLE_EQ(rf[1].start, 0.5);  // output 0 reads unit 0: pixels 0 and 1
  EXPECT_EQ(rf[2].size, 4);
}

// The receptive field as a brute-force count: every unit's lowest and highest input element,
// propagated through a 1-D stack of convolutions and transposed convolutions by their index rules
// (conv: i = o·s − p + t·d; transposed: o + p − t·d = i·s), the largest extent over the middle
// units (away from the borders, where pads cut the windows short).
std::int64_t brute_force_receptive_field(const std::vector<LayerGeometry>& layers, const std::int64_t length) {
  std::vector<std::pair<std::int64_t, std::int64_t>> units(static_cast<std::size_t>(length));
  for (std::int64_t i = 0; i < length; ++i) units[static_cast<std::size_t>(i)] = {i, i};
  for (const LayerGeometry& l : layers) {
    const auto in = static_cast<std::int64_t>(units.size());
    const std::int64_t out = l.transposed ? conv_transpose_output_size(in, l.kernel, l.padding, 0, l.stride, l.dilation)
                                          : conv_output_size(in, l.kernel, l.padding, l.stride, l.dilation);
    std::vector<std::pair<std::int64_t, std::int64_t>> next(static_cast<std::size_t>(out), {length, -1});
    for (std::int64_t o = 0; o < out; ++o) {
      auto& [lo, hi] = next[static_cast<std::size_t>(o)];
      for (std::int64_t t = 0; t < l.kernel; ++t) {
        std::int64_t i = o * l.stride - l.padding + t * l.dilation;
        if (l.transposed) {
          const std::int64_t shifted = o + l.padding - t * l.dilation;
          if (shifted % l.stride != 0) continue;
          i = shifted / l.stride;
        }
        if (i < 0 || i >= in) continue;
        lo = std::min(lo, units[static_cast<std::size_t>(i)].first);
        hi = std::max(hi, units[static_cast<std::size_t>(i)].second);
      }
    }
    units = next;
  }
  std::int64_t widest = 0;
  for (std::size_t u = units.size() / 3; u < 2 * units.size() / 3; ++u) {
    widest = std::max(widest, units[u].second - units[u].first + 1);
  }
  return widest;
}

TEST(Geometry, ReceptiveFieldsThroughTransposedLayersMatchABruteForceCount) {
  std::mt19937_64 rng(test::test_seed("GeometryTransposedReceptiveField"));
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<LayerGeometry> layers;
    std::int64_t jump = 1, divisor = 1;
    const std::int64_t depth = pick(1, 5);
    for (std::int64_t n = 0; n < depth; ++n) {
      LayerGeometry l{pick(1, 5), pick(1, 3), pick(1, 3), pick(0, 2), pick(0, 2) == 0};
      if (l.transposed) l.dilation = 1, l.kernel = std::max(l.kernel, l.stride);
      if (l.transposed) {
        divisor *= l.stride;
      } else {
        jump *= l.stride;
      }
      layers.push_back(l);
    }
    std::ostringstream stack;
    for (const LayerGeometry& l : layers) {
      stack << (l.transposed ? " T" : " C") << "(k" << l.kernel << " s" << l.stride << " d" << l.dilation << " p"
            << l.padding << ")";
    }
    // Long enough that the middle third of the last layer's units lie far from the borders.
    std::int64_t length = 200;
    for (const LayerGeometry& l : layers) length *= l.transposed ? 1 : l.stride;
    ASSERT_EQ(receptive_field(layers).back().size, brute_force_receptive_field(layers, length)) << stack.str();
    const std::int64_t common = std::gcd(jump, divisor);
    ASSERT_EQ(receptive_field(layers).back().jump, jump / common) << stack.str();
    ASSERT_EQ(receptive_field(layers).back().jump_divisor, divisor / common) << stack.str();
  }
}

TEST(Geometry, TransposedLayersBelowTheInputResolutionHaveFractionalJumps) {
  const auto rf = receptive_field({{3, 1, 1, 1}, {4, 2, 1, 1, true}, {4, 2, 1, 1, true}});
  EXPECT_EQ(rf[1].jump, 1);
  EXPECT_EQ(rf[1].jump_divisor, 2);
  EXPECT_EQ(rf[2].jump_divisor, 4);
  EXPECT_EQ(rf[2].size, 5);  // each output reads 2 units of 3 pixels that are 1 pixel apart, or 1
}

TEST(Geometry, DilatedOrSparseTransposedLayersAreRefused) {
  EXPECT_TRUE(receptive_field_defined({{3, 1, 1, 1}, {4, 2, 1, 1, true}}));
  EXPECT_FALSE(receptive_field_defined({{3, 2, 1, 1}, {4, 2, 2, 1, true}}));  // dilated
  EXPECT_FALSE(receptive_field_defined({{3, 2, 1, 1}, {1, 2, 1, 0, true}}));  // kernel < stride
  EXPECT_TRUE(test::throws_with<std::invalid_argument>(
      [] {
        receptive_field({{3, 1, 1, 1}, {4, 2, 2, 1, true}});
      },
      "receptive_field: layer 1 (transposed, kernel 4, stride 2, dilation 2) reads its inputs unevenly"));
}

TEST(Geometry, ReceptiveFieldRefusesNonPositiveArguments) {
  EXPECT_THROW(receptive_field({{0, 1, 1}}), std::invalid_argument);
  EXPECT_THROW(receptive_field({{3, 0, 1}}), std::invalid_argument);
}

}  // namespace
}  // namespace atrous
