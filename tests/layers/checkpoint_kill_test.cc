// SPDX-License-Identifier: Apache-2.0
// A process killed (SIGKILL) at random points while it saves a checkpoint must leave the
// previous checkpoint, or the complete new one, loadable — never a torn file.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/io/file.h"
#include "atrous/tensor/io/safetensors.h"
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

// The temporary files a killed save left beside `path` (model.safetensors.tmp.XXXXXX): each is a
// write the kill cut short, before its rename. Removed once counted.
int remove_cut_writes(const std::filesystem::path& dir) {
  int cut = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp.") == std::string::npos) continue;
    std::filesystem::remove(entry.path());
    ++cut;
  }
  return cut;
}

TEST(CheckpointKill, KillingASaveAtRandomPointsLeavesALoadableCheckpoint) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("atrous_kill_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "model.safetensors").string();
  save_safetensors(path, state(1.0));
  // Serialized before fork: a child forked from a process running oneTBB threads must not start
  // tasks of its own (the pool's threads are not copied), so it only writes bytes, exactly as
  // save_safetensors does after serializing.
  const std::string next = serialize_safetensors(state(2.0));
  std::mt19937_64 rng(test::test_seed("CheckpointKill"));
  int cut = 0, completed = 0;
  // Until several kills have landed inside a write (a temporary file left behind proves it),
  // which the 16 MiB saves make most kills do; 200 rounds at most.
  for (int round = 0; round < 200 && (cut < 4 || round < 24); ++round) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (;;) write_file_atomically(path, next, "save_safetensors");  // until killed
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 40000));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    const double v = uniform_value(load_safetensors(path));
    ASSERT_TRUE(v == 1.0 || v == 2.0) << "round " << round << ": the checkpoint is torn";
    completed += v == 2.0;
    cut += remove_cut_writes(dir);
    save_safetensors(path, state(1.0));
  }
  std::filesystem::remove_all(dir);
  RecordProperty("cut_writes", cut);
  RecordProperty("completed_saves", completed);
  EXPECT_GE(cut, 4) << "no kill landed inside a write, so the test showed nothing";
}

}  // namespace
}  // namespace atrous
