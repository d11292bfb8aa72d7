// safetensors: round trips, atomic saves, and malformed files refused with a clear error.
#include "tensor/io/safetensors.h"

#include <cstdio>
#include <filesystem>

#include "tensor/factory.h"
#include "tensor/random.h"
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
  const NamedTensors in{{"w", randn({3, 4})}, {"a.b", randn({2}, kFloat64)}, {"steps", arange(5)}, {"s", full({}, 2.0)}};
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
            "load_safetensors: 't.safetensors': tensor 'w' has unsupported dtype BF16 (atrous reads F32, F64 and I64)");
}

TEST(Safetensors, MalformedJsonIsRefused) {
  EXPECT_NE(error_of(with_header(R"({"w":{"dtype":"F32")")).find("malformed"), std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"w":{"dtype":"F32","shape":[1]}})")).find("lacks"), std::string::npos);
  EXPECT_NE(error_of(with_header(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})")).find("malformed"),
            std::string::npos);
}

}  // namespace
}  // namespace atrous
