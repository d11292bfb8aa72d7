// SPDX-License-Identifier: Apache-2.0
// .npy round trips, files written by NumPy, and malformed or truncated files.
#include "atrous/tensor/io/npy.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("atrous_npy_test_" + name)).string();
}

std::string header(const std::string& dict) { return test::npy_header(dict); }

std::string error_of(const std::string& bytes) {
  try {
    parse_npy(bytes, "'test.npy'");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Npy, RoundTripsEveryDtypeAndRank) {
  manual_seed(1);
  for (const Tensor& t : {randn({2, 3, 4}), randn({5}, kFloat64), arange(7), full({}, 3.5), zeros({0, 2})}) {
    const std::string path = temp_path("roundtrip.npy");
    save_npy(path, t);
    const Tensor back = load_npy(path);
    EXPECT_TRUE(test::bit_identical(back, t)) << shape_str(t.sizes()) << " " << dtype_name(t.dtype());
    std::remove(path.c_str());
  }
}

TEST(Npy, SavesNonContiguousTensorsInLogicalOrder) {
  const Tensor t = arange(0.0, 6.0).reshape({2, 3}).t();
  const std::string path = temp_path("transposed.npy");
  save_npy(path, t);
  EXPECT_TRUE(test::bit_identical(load_npy(path), t.contiguous()));
  std::remove(path.c_str());
}

TEST(Npy, ReadsFilesWrittenByNumPy) {
  const Tensor t = load_npy(test::golden_path("tensor/add_broadcast_f32_in0.npy"));
  EXPECT_EQ(t.sizes(), (Shape{2, 3, 4}));
  EXPECT_EQ(t.dtype(), kFloat32);
}

TEST(Npy, ReadsFortranOrder) {
  std::string bytes = header("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }");
  const double data[6] = {0, 3, 1, 4, 2, 5};  // column-major image of [[0,1,2],[3,4,5]]
  bytes.append(reinterpret_cast<const char*>(data), sizeof data);
  const Tensor t = parse_npy(bytes, "fortran");
  EXPECT_EQ(value_at(t, 1), 1.0);
  EXPECT_EQ(value_at(t, 3), 3.0);
}

TEST(Npy, MissingMagicIsRefused) {
  EXPECT_EQ(error_of("PK\x03\x04 not npy"),
            "load_npy: 'test.npy': not a .npy file (missing the \\x93NUMPY magic string)");
}

TEST(Npy, TruncatedDataSaysHowManyBytesAreMissing) {
  std::string bytes = header("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }");
  bytes.append(8, '\0');
  EXPECT_EQ(error_of(bytes),
            "load_npy: 'test.npy': shape [4] of float32 needs 16 data bytes but the file has 8 (truncated?)");
}

TEST(Npy, HugeClaimedShapeIsRefusedBeforeAllocating) {
  const std::string bytes = header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000000), }");
  EXPECT_EQ(error_of(bytes),
            "load_npy: 'test.npy': shape [1000000000, 1000000] of float64 needs 8000000000000000 data "
            "bytes but the file has 0 (truncated?)");
  const std::string absurd =
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (999999999999999999, 999999999), }");
  EXPECT_EQ(error_of(absurd), "load_npy: 'test.npy': shape [999999999999999999, 999999999] is too large");
}

TEST(Npy, HeaderLongerThanTheFileIsRefused) {
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += '\xff';
  bytes += '\xff';
  bytes += "{'descr'";
  EXPECT_NE(error_of(bytes).find("header claims 65535 bytes"), std::string::npos);
}

TEST(Npy, UnsupportedDtypeIsNamed) {
  const std::string bytes = header("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }") + std::string(4, '\0');
  EXPECT_EQ(
      error_of(bytes),
      "load_npy: 'test.npy': unsupported dtype '>f4' (atrous reads little-endian <f4, <f8, <i8, <i4, |u1 and |b1)");
}

TEST(Npy, MalformedHeaderIsRefused) {
  EXPECT_NE(error_of(header("{'descr': '<f4', 'shape': (1,), }")).find("lacks"), std::string::npos);
  EXPECT_NE(error_of(header("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }")).find("True or False"),
            std::string::npos);
  EXPECT_NE(error_of(header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")).find("non-negative"),
            std::string::npos);
  EXPECT_NE(error_of(header("{'descr: '<f4'")).find("malformed"), std::string::npos);
}

TEST(Npy, EveryTruncationOfAValidFileFailsCleanly) {
  const std::string path = temp_path("valid.npy");
  save_npy(path, arange(0.0, 10.0));
  std::ifstream f(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THROW(parse_npy(bytes.substr(0, n), "truncated"), std::runtime_error) << "prefix of " << n << " bytes";
  }
  EXPECT_EQ(parse_npy(bytes, "whole").numel(), 10);
  std::remove(path.c_str());
}

TEST(Npy, MissingFileNamesThePath) {
  try {
    load_npy("/nonexistent/x.npy");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("load_npy: cannot open '/nonexistent/x.npy'"), std::string::npos) << e.what();
  }
}

TEST(Npy, LoadingADirectoryNamesTheOperationAndThePath) {
  try {
    load_npy("/tmp");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("load_npy: '/tmp' is not a regular file (it is a directory)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Npy, ASaveThatRunsOutOfSpaceLeavesThePreviousFileIntact) {
  // A file-size limit stands in for a full disk: past it write() fails with EFBIG (SIGXFSZ ignored).
  const std::string path = ::testing::TempDir() + "atrous_npy_atomic.npy";
  save_npy(path, from_vector(std::vector<float>{1, 2, 3}, {3}));
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit old_limit{};
  ::getrlimit(RLIMIT_FSIZE, &old_limit);
  rlimit small = old_limit;
  small.rlim_cur = 1000;
  ::setrlimit(RLIMIT_FSIZE, &small);
  bool threw = false;
  try {
    save_npy(path, zeros({4096}));
  } catch (const std::runtime_error& e) {
    threw = true;
    EXPECT_NE(std::string(e.what()).find("save_npy: writing"), std::string::npos) << e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_TRUE(threw);
  EXPECT_TRUE(test::bit_identical(load_npy(path), from_vector(std::vector<float>{1, 2, 3}, {3})));
  for (const auto& entry : std::filesystem::directory_iterator(::testing::TempDir())) {
    EXPECT_EQ(entry.path().filename().string().find("atrous_npy_atomic.npy.tmp"), std::string::npos)
        << "a temporary file was left behind: " << entry.path();
  }
}

}  // namespace
}  // namespace atrous

namespace atrous {
namespace {

// Found by the .npy fuzzer: a Fortran-order empty array with huge other sizes.
TEST(Npy, FortranOrderEmptyArrayWithHugeSizesLoadsEmpty) {
  const Tensor t = parse_npy(
      header("{'descr': '<f4', 'fortran_order': True, 'shape': (2111111937000, 0, 20010, 200), }"), "empty.npy");
  EXPECT_EQ(t.numel(), 0);
  EXPECT_EQ(t.sizes(), (Shape{2111111937000, 0, 20010, 200}));
}

TEST(Npy, SavedFilesHaveThePermissionsTheUmaskGives) {
  // The temporary file mkstemp makes is 0600; the saved file must be what open(0666) would give.
  const std::string path = ::testing::TempDir() + "atrous_npy_mode.npy";
  for (const mode_t mask : {mode_t{022}, mode_t{077}}) {
    const mode_t old = ::umask(mask);
    save_npy(path, zeros({2}));
    ::umask(old);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask) << "umask " << mask;
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace atrous
