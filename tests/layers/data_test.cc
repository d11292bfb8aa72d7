// SPDX-License-Identifier: Apache-2.0
// Fashion-MNIST loading (from small IDX fixtures), the seeded batch iterator and the progress bar.
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "atrous/layers/data/dataloader.h"
#include "atrous/layers/data/fashion_mnist.h"
#include "atrous/layers/utils/progress_bar.h"
#include "atrous/tensor/factory.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

void write_gz(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

std::string idx(const unsigned char ndim, const std::vector<std::uint32_t>& dims, const std::string& data) {
  std::string s{'\0', '\0', '\x08', static_cast<char>(ndim)};
  for (const std::uint32_t d : dims) {
    for (int b = 3; b >= 0; --b) s += static_cast<char>((d >> (8 * b)) & 0xff);
  }
  return s + data;
}

TEST(FashionMnist, LoadsImagesScaledToUnitRangeAndLabels) {
  const auto dir = std::filesystem::temp_directory_path() / "atrous_fmnist_fixture";
  std::filesystem::create_directories(dir);
  std::string pixels(3 * 28 * 28, '\0');
  pixels[0] = static_cast<char>(255);
  pixels[28 * 28 + 5] = static_cast<char>(51);
  write_gz((dir / "t10k-images-idx3-ubyte.gz").string(), idx(3, {3, 28, 28}, pixels));
  write_gz((dir / "t10k-labels-idx1-ubyte.gz").string(), idx(1, {3}, std::string("\x09\x00\x04", 3)));
  const data::LabelledImages ds = data::load_fashion_mnist(dir.string(), /*train=*/false);
  EXPECT_EQ(ds.images.sizes(), (Shape{3, 1, 28, 28}));
  EXPECT_EQ(ds.images.dtype(), kFloat32);
  EXPECT_EQ(value_at(ds.images, 0), 1.0);
  EXPECT_FLOAT_EQ(static_cast<float>(value_at(ds.images, 28 * 28 + 5)), 0.2f);
  EXPECT_EQ(value_at(ds.labels, 0), 9.0);
  EXPECT_THROW(data::load_fashion_mnist(dir.string(), /*train=*/true), std::runtime_error);  // no train files
  std::filesystem::remove_all(dir);
}

TEST(FashionMnist, BytesLoadAsStoredAndBatchesNormaliseToTheFloatSetsBits) {
  const auto dir = std::filesystem::temp_directory_path() / "atrous_fmnist_bytes_fixture";
  std::filesystem::create_directories(dir);
  std::string pixels(2 * 28 * 28, '\0');
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<char>(i * 37 % 256);
  write_gz((dir / "t10k-images-idx3-ubyte.gz").string(), idx(3, {2, 28, 28}, pixels));
  write_gz((dir / "t10k-labels-idx1-ubyte.gz").string(), idx(1, {2}, std::string("\x03\x07", 2)));
  const data::LabelledImages bytes = data::load_fashion_mnist_bytes(dir.string(), /*train=*/false);
  const data::LabelledImages floats = data::load_fashion_mnist(dir.string(), /*train=*/false);
  EXPECT_EQ(bytes.images.dtype(), kUInt8);
  EXPECT_EQ(bytes.images.sizes(), (Shape{2, 1, 28, 28}));
  EXPECT_EQ(value_at(bytes.images, 5), 5.0 * 37);
  EXPECT_EQ(bytes.labels.dtype(), kInt64);
  const Tensor batch = data::image_batch_to_float(bytes.images.narrow(0, 1, 1), 0.2860, 0.3530);
  EXPECT_TRUE(test::bit_identical(batch, ((floats.images - 0.2860) / 0.3530).narrow(0, 1, 1).contiguous()));
  EXPECT_THROW(data::image_batch_to_float(floats.images), std::invalid_argument);
  std::filesystem::remove_all(dir);
}

std::vector<std::int64_t> epoch_order(data::DataLoader& loader, const std::int64_t epoch) {
  loader.set_epoch(epoch);
  std::vector<std::int64_t> seen;
  for (std::int64_t b = 0; b < loader.size(); ++b) {
    const data::Batch batch = loader[b];
    for (std::int64_t i = 0; i < batch.target.numel(); ++i)
      seen.push_back(static_cast<std::int64_t>(value_at(batch.target, i)));
  }
  return seen;
}

TEST(DataLoader, EveryEpochVisitsEverySampleOnce) {
  data::DataLoader loader(arange(0.0, 10.0).reshape({10, 1}), arange(10), data::DataLoaderOptions(3).seed(7));
  EXPECT_EQ(loader.size(), 4);
  const std::vector<std::int64_t> order = epoch_order(loader, 0);
  EXPECT_EQ(std::set<std::int64_t>(order.begin(), order.end()).size(), 10u);
  const data::Batch last = loader[3];
  EXPECT_EQ(last.data.sizes(), (Shape{1, 1}));
}

TEST(DataLoader, OrderDependsOnlyOnSeedAndEpoch) {
  data::DataLoader a(arange(100), arange(100), data::DataLoaderOptions(8).seed(3));
  data::DataLoader b(arange(100), arange(100), data::DataLoaderOptions(8).seed(3));
  EXPECT_EQ(epoch_order(a, 2), epoch_order(b, 2));
  EXPECT_NE(epoch_order(a, 1), epoch_order(a, 2));
  data::DataLoader plain(arange(5), arange(5), data::DataLoaderOptions(2).shuffle(false));
  EXPECT_EQ(epoch_order(plain, 4), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
}

TEST(DataLoader, DropLastAndLimit) {
  data::DataLoader loader(arange(10), arange(10), data::DataLoaderOptions(4).drop_last(true));
  EXPECT_EQ(loader.size(), 2);
  data::DataLoader limited(arange(10), arange(10), data::DataLoaderOptions(4), /*limit=*/5);
  EXPECT_EQ(limited.samples(), 5);
  EXPECT_EQ(limited.size(), 2);
}

TEST(DataLoader, MismatchedSampleCountsAreRefused) {
  EXPECT_THROW(data::DataLoader(arange(10), arange(9), data::DataLoaderOptions(4)), std::invalid_argument);
  EXPECT_THROW(data::DataLoader(arange(10), arange(10), data::DataLoaderOptions(0)), std::invalid_argument);
}

TEST(ProgressBar, PrintsPlainLinesEveryTenthWhenNotATerminal) {
  std::ostringstream os;
  utils::ProgressBar bar("epoch 1", 20, os, /*interactive=*/false);
  for (int i = 1; i <= 20; ++i) bar.update(i, 0.5);
  bar.finish(0.25);
  const std::string text = os.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 11);
  EXPECT_NE(text.find("epoch 1 20/20"), std::string::npos);
  EXPECT_NE(text.find("0.2500"), std::string::npos);
}

TEST(ProgressBar, RedrawsInPlaceOnATerminal) {
  std::ostringstream os;
  utils::ProgressBar bar("train", 4, os, /*interactive=*/true);
  bar.update(2, 1.0);
  EXPECT_NE(os.str().find("\rtrain [==============="), std::string::npos);
  EXPECT_EQ(os.str().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace atrous
