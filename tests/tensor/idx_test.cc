// SPDX-License-Identifier: Apache-2.0
// IDX files, plain and gzip'ed (the Fashion-MNIST format), and malformed ones.
#include "atrous/tensor/io/idx.h"

#include <zlib.h>

#include "atrous/tensor/factory.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

std::string idx_bytes(const unsigned char type, const std::vector<std::uint32_t>& dims, const std::string& data) {
  std::string s{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (const std::uint32_t d : dims) {
    for (int b = 3; b >= 0; --b) s += static_cast<char>((d >> (8 * b)) & 0xff);
  }
  return s + data;
}

std::string gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(in.size() + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(Idx, ReadsUnsignedBytesAsUint8) {
  const Tensor t = parse_idx(idx_bytes(0x08, {2, 3}, std::string("\x01\x02\x03\xff\x00\x07", 6)), "u8");
  EXPECT_EQ(t.sizes(), (Shape{2, 3}));
  EXPECT_EQ(t.dtype(), kUInt8);
  EXPECT_EQ(value_at(t, 3), 255.0);
}

TEST(Idx, ReadsGzippedFilesLikeFashionMnist) {
  std::string labels;
  for (int i = 0; i < 100; ++i) labels += static_cast<char>(i % 10);
  const Tensor t = parse_idx(gzip(idx_bytes(0x08, {100}, labels)), "gz");
  EXPECT_EQ(t.numel(), 100);
  EXPECT_EQ(value_at(t, 57), 7.0);
}

TEST(Idx, ReadsBigEndianIntsAndFloats) {
  const Tensor i = parse_idx(idx_bytes(0x0C, {1}, std::string("\xff\xff\xff\xfe", 4)), "i32");
  EXPECT_EQ(i.dtype(), kInt32);
  EXPECT_EQ(value_at(i, 0), -2.0);
  const Tensor f = parse_idx(idx_bytes(0x0D, {1}, std::string("\x3f\xc0\x00\x00", 4)), "f32");
  EXPECT_EQ(value_at(f, 0), 1.5);
}

TEST(Idx, ReadsSignedBytesAndShortsAsInt32) {
  const Tensor b = parse_idx(idx_bytes(0x09, {2}, std::string("\xff\x05", 2)), "i8");
  EXPECT_EQ(b.dtype(), kInt32);
  EXPECT_EQ(value_at(b, 0), -1.0);
  const Tensor s = parse_idx(idx_bytes(0x0B, {1}, std::string("\x80\x00", 2)), "i16");
  EXPECT_EQ(s.dtype(), kInt32);
  EXPECT_EQ(value_at(s, 0), -32768.0);
}

TEST(Idx, TruncatedDataSaysHowMuchIsMissing) {
  try {
    parse_idx(idx_bytes(0x08, {28, 28}, std::string(100, '\0')), "'img'");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "load_idx: 'img': shape [28, 28] needs 784 data bytes but the file has 100 (truncated?)");
  }
}

TEST(Idx, HugeClaimedShapeIsRefusedBeforeAllocating) {
  EXPECT_THROW(parse_idx(idx_bytes(0x08, {60000000, 60000000, 100}, ""), "huge"), std::runtime_error);
}

TEST(Idx, BadMagicAndTypeAreRefused) {
  EXPECT_THROW(parse_idx("PK\x03\x04", "zip"), std::runtime_error);
  EXPECT_THROW(parse_idx(idx_bytes(0x42, {1}, "x"), "type"), std::runtime_error);
  EXPECT_THROW(parse_idx(std::string("\0\0\x08", 3), "short"), std::runtime_error);
}

TEST(Idx, CorruptOrTruncatedGzipIsRefused) {
  const std::string gz = gzip(idx_bytes(0x08, {1000}, std::string(1000, '\x05')));
  EXPECT_THROW(parse_idx(gz.substr(0, gz.size() / 2), "half"), std::runtime_error);
  std::string corrupt = gz;
  corrupt[20] = static_cast<char>(corrupt[20] ^ 0x5a);
  EXPECT_THROW(parse_idx(corrupt, "corrupt"), std::runtime_error);
}

TEST(Idx, ASmallGzipClaimingGigabytesIsRefusedFromItsHeader) {
  // 60000 × 28 × 28 × 48 uint8 images: 2.3 GB; the file itself is tiny.
  const std::string gz = gzip(idx_bytes(0x08, {60000 * 48, 28, 28}, std::string(1 << 16, '\0')));
  ASSERT_LT(gz.size(), 1000u);
  try {
    parse_idx(gz, "claim");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "load_idx: claim: shape [2880000, 28, 28]... would load into more than 2 GiB");
  }
}

TEST(Idx, AGzipBombBehindASmallShapeIsNotDecompressed) {
  // Two values, then 16 MiB of zeros that compress to about 16 KiB: only the two are inflated.
  const std::string gz = gzip(idx_bytes(0x08, {2}, "\x07\x09" + std::string(std::size_t{16} << 20, '\0')));
  const Tensor t = parse_idx(gz, "bomb");
  EXPECT_TRUE(test::bit_identical(t.to(kInt64), from_vector(std::vector<std::int64_t>{7, 9}, {2})));
}

TEST(Idx, MultiMemberGzipLoadsLikeGzipDashDc) {
  // `cat a.gz b.gz` is a valid gzip file whose content is a's then b's.
  const std::string whole = idx_bytes(0x08, {4}, "\x01\x02\x03\x04");
  const Tensor t = parse_idx(gzip(whole.substr(0, 6)) + gzip(whole.substr(6)), "members");
  EXPECT_TRUE(test::bit_identical(t.to(kInt64), from_vector(std::vector<std::int64_t>{1, 2, 3, 4}, {4})));
}

}  // namespace
}  // namespace atrous
