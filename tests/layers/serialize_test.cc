// SPDX-License-Identifier: Apache-2.0
// Module checkpoints: round trip by dotted name, and a mismatch report that lists everything.
#include "atrous/layers/serialize.h"

#include <cstdio>
#include <filesystem>

#include "atrous/layers/container.h"
#include "atrous/layers/modules/activation.h"
#include "atrous/layers/modules/batchnorm.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/layers/modules/linear.h"
#include "atrous/tensor/random.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("atrous_ckpt_" + name)).string();
}

TEST(Checkpoint, SaveThenLoadRestoresParametersAndBuffers) {
  manual_seed(1);
  nn::Sequential a(nn::Conv2d(nn::Conv2dOptions(1, 2, 3)), nn::BatchNorm2d(2), nn::ReLU());
  a->train();
  a(randn({2, 1, 5, 5}));  // moves the running statistics
  const std::string path = temp_path("roundtrip.safetensors");
  save(*a, path);
  manual_seed(2);
  nn::Sequential b(nn::Conv2d(nn::Conv2dOptions(1, 2, 3)), nn::BatchNorm2d(2), nn::ReLU());
  load(*b, path);
  const auto pa = a->named_parameters().pairs(), pb = b->named_parameters().pairs();
  for (std::size_t i = 0; i < pa.size(); ++i)
    EXPECT_TRUE(test::bit_identical(pa[i].second, pb[i].second)) << pa[i].first;
  const auto ba = a->named_buffers().pairs(), bb = b->named_buffers().pairs();
  for (std::size_t i = 0; i < ba.size(); ++i)
    EXPECT_TRUE(test::bit_identical(ba[i].second, bb[i].second)) << ba[i].first;
  std::remove(path.c_str());
}

TEST(Checkpoint, LoadingIntoTheWrongArchitectureListsEveryProblem) {
  const std::string path = temp_path("wrong.safetensors");
  save(*nn::Sequential(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 2)), path);
  nn::Sequential other(nn::Linear(4, 5), nn::ReLU());
  try {
    load(*other, path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "load: '" + path +
                  "' does not fit Sequential (4 problems):"
                  "\n  mismatch: 0.weight is float32[5, 4] in the module but float32[3, 4] in the file"
                  "\n  mismatch: 0.bias is float32[5] in the module but float32[3] in the file"
                  "\n  unexpected: 2.bias float32[2]"
                  "\n  unexpected: 2.weight float32[2, 3]");
  }
  std::remove(path.c_str());
}

TEST(Checkpoint, AFailedLoadChangesNothing) {
  const std::string path = temp_path("partial.safetensors");
  save(*nn::Sequential(nn::Linear(2, 2)), path);
  nn::Sequential net(nn::Linear(2, 2), nn::Linear(2, 1));
  const Tensor before = net->parameters()[0].clone();
  EXPECT_THROW(load(*net, path), std::runtime_error);
  EXPECT_TRUE(test::bit_identical(net->parameters()[0], before));
  std::remove(path.c_str());
}

TEST(Checkpoint, MissingFileNamesThePath) {
  nn::Linear fc(2, 2);
  EXPECT_TRUE(test::throws_with<std::runtime_error>([&] { load(*fc, "/nonexistent/model.safetensors"); },
                                                    "cannot open '/nonexistent/model.safetensors'"));
}

}  // namespace
}  // namespace atrous
