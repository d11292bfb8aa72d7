// A process killed (SIGKILL) at random points while it saves a checkpoint must leave the
// previous checkpoint, or the complete new one, loadable — never a torn file.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "tensor/factory.h"
#include "tensor/io/safetensors.h"
#include "tests/support/seed.h"
#include "tests/support/test_util.h"

namespace atrous {
namespace {

NamedTensors state(const double value) {
  // 16 MiB, so a save takes long enough to be interrupted at many points.
  return {{"layer.weight", full({1024, 2048}, value)}, {"layer.bias", full({2048}, value)}};
}

// Which state the file holds: 1 or 2 when every element agrees, 0 if torn.
double uniform_value(const NamedTensors& loaded) {
  double v = -1;
  for (const auto& [name, t] : loaded) {
    const double hi = t.max().item<double>(), lo = -(-t).max().item<double>();
    if (lo != hi || (v >= 0 && v != lo)) return 0;
    v = lo;
  }
  return v;
}

TEST(CheckpointKill, KillingASaveAtRandomPointsLeavesALoadableCheckpoint) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("atrous_kill_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "model.safetensors").string();
  save_safetensors(path, state(1.0));
  const NamedTensors next = state(2.0);  // built before fork: the child only writes bytes
  std::mt19937_64 rng(test::test_seed("CheckpointKill"));
  int interrupted = 0, completed = 0;
  for (int round = 0; round < 24; ++round) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (;;) save_safetensors(path, next);  // until killed
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 40000));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    const double v = uniform_value(load_safetensors(path));
    ASSERT_TRUE(v == 1.0 || v == 2.0) << "round " << round << ": the checkpoint is torn";
    (v == 2.0 ? completed : interrupted)++;
    save_safetensors(path, state(1.0));
  }
  std::filesystem::remove_all(dir);
  RecordProperty("completed_saves", completed);
  EXPECT_GT(interrupted + completed, 0);
}

}  // namespace
}  // namespace atrous
