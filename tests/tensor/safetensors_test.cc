// SPDX-License-Identifier: Apache-2.0
// safetensors: round trips, atomic saves, and malformed files refused with a clear error.
#include "atrous/tensor/io/safetensors.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("atrous_st_" + name)).string();
}

std::string error_of(const std::string& bytes) {
  try {
    parse_safetensors(bytes, "'t.safetensors'");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string with_header(const std::string& json, const std::string& data = "") {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((json.size() >> (8 * i)) & 0xff);
  return out + json + data;
}

TEST(Safetensors, RoundTripsEveryDtypeSortedByName) {
  manual_seed(1);
  const NamedTensors in{
      {"w", randn({3, 4})}, {"a.b", randn({2}, kFloat64)}, {"steps", arange(5)}, {"s", full({}, 2.0)}};
  const std::string path = temp_path("roundtrip.safetensors");
  save_safetensors(path, in, {{"format", "pt"}});
  const NamedTensors out = load_safetensors(path);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].first, "a.b");
  EXPECT_TRUE(test::bit_identical(out[0].second, in[1].second));
  EXPECT_TRUE(test::bit_identical(out[3].second, in[0].second));
  EXPECT_EQ(out[1].second.dim(), 0);
  std::remove(path.c_str());
}

TEST(Safetensors, ReadsTheFileThePythonToolWrote) {
  const NamedTensors t = load_safetensors(test::golden_path("layers/opt_init.safetensors"));
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].first, "0.bias");
  EXPECT_EQ(t[1].second.sizes(), (Shape{8, 4}));
}

TEST(Safetensors, AtomicSaveLeavesNoTemporaryFile) {
  const std::string path = temp_path("atomic.safetensors");
  save_safetensors(path, {{"x", ones({2})}});
  save_safetensors(path, {{"x", zeros({3})}});
  EXPECT_EQ(load_safetensors(path)[0].second.numel(), 3);
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
    EXPECT_EQ(e.path().string().find(path + ".tmp"), std::string::npos);
  }
  std::remove(path.c_str());
}

TEST(Safetensors, DuplicateNamesAreRefusedOnSave) {
  EXPECT_THROW(serialize_safetensors({{"x", ones({1})}, {"x", ones({1})}}), std::invalid_argument);
}

TEST(Safetensors, EveryTruncationFailsCleanly) {
  const std::string bytes = serialize_safetensors({{"w", ones({2, 3})}, {"b", ones({3}, kFloat64)}});
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THROW(parse_safetensors(bytes.substr(0, n), "cut"), std::runtime_error) << n << " bytes";
  }
}

TEST(Safetensors, OffsetsThatDoNotMatchTheShapeAreRefused) {
  EXPECT_NE(error_of(with_header(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", std::string(8, '\0')))
                .find("needs 8 bytes"),
            std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"w":{"dtype":"F32","shape":[1000000000,1000000000],"data_offsets":[0,4]}})"))
                .find("needs"),
            std::string::npos);
}

TEST(Safetensors, HeaderLongerThanTheFileIsRefused) {
  std::string bytes(8, '\0');
  bytes[0] = '\xff';
  bytes[5] = '\x01';
  EXPECT_NE(error_of(bytes + "{}").find("header claims"), std::string::npos);
}

TEST(Safetensors, UnsupportedDtypeIsNamed) {
  EXPECT_EQ(error_of(with_header(R"({"w":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}})", "ab")),
            "load_safetensors: 't.safetensors': tensor 'w' has unsupported dtype BF16 (atrous reads F32, F64, I64, "
            "I32, U8 and BOOL)");
}

TEST(Safetensors, MalformedJsonIsRefused) {
  EXPECT_NE(error_of(with_header(R"({"w":{"dtype":"F32")")).find("malformed"), std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"w":{"dtype":"F32","shape":[1]}})")).find("lacks"), std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})")).find("malformed"),
            std::string::npos);
}

// The names tools/gen_golden_safetensors_names.py gives Python's json; tensor i holds i.
const std::vector<std::string> kEscapedNames{"line\nbreak",
                                             "caf\u00e9",
                                             "emoji \U0001F600",
                                             "quote\"and\\backslash",
                                             "tab\tand\x01"
                                             "control",
                                             "a/b.c"};

TEST(Safetensors, NamesWithJsonEscapesLoadAsPythonWroteThem) {
  // Python writes \n, \u00e9 and a surrogate pair for the emoji: each must decode, not lose its backslash.
  const NamedTensors t = load_safetensors(test::golden_path("tensor/escaped_names.safetensors"));
  ASSERT_EQ(t.size(), kEscapedNames.size());
  for (std::size_t i = 0; i < kEscapedNames.size(); ++i) {
    const auto it = std::find_if(t.begin(), t.end(), [&](const auto& e) { return e.first == kEscapedNames[i]; });
    ASSERT_NE(it, t.end()) << "missing name " << kEscapedNames[i];
    EXPECT_EQ(it->second.item<float>(), static_cast<float>(i)) << kEscapedNames[i];
  }
}

TEST(Safetensors, NamesAreWrittenEscapedExactlyAsPythonsJsonWritesThem) {
  NamedTensors in;
  for (std::size_t i = 0; i < kEscapedNames.size(); ++i) {
    in.emplace_back(kEscapedNames[i], full({1}, static_cast<double>(i)));
  }
  const std::string bytes = serialize_safetensors(in);
  std::uint64_t n = 0;
  for (int b = 7; b >= 0; --b) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(b)]);
  std::string header = bytes.substr(8, n);
  header.erase(header.find_last_not_of(' ') + 1);  // the alignment padding
  EXPECT_EQ(header, read_file(test::golden_path("tensor/escaped_names_header.json"), "test"));
  const NamedTensors out = parse_safetensors(bytes, "round trip");
  ASSERT_EQ(out.size(), in.size());
  for (const auto& [name, tensor] : out) {
    const auto it = std::find(kEscapedNames.begin(), kEscapedNames.end(), name);
    ASSERT_NE(it, kEscapedNames.end()) << name;
    EXPECT_EQ(tensor.item<float>(), static_cast<float>(it - kEscapedNames.begin()));
  }
}

TEST(Safetensors, ANameGivenTwiceInTheHeaderIsRefused) {
  EXPECT_EQ(error_of(with_header(R"({"w":{"dtype":"F32","shape":[],"data_offsets":[0,4]},)"
                                 R"("w":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})",
                                 "abcd")),
            "load_safetensors: 't.safetensors': tensor 'w' appears twice in the header");
}

}  // namespace
}  // namespace atrous
