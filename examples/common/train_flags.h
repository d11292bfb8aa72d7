// SPDX-License-Identifier: Apache-2.0
// The command-line flags every training example shares, on CLI11.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace atrous::examples {

struct TrainFlags {
  int epochs = 5;
  std::int64_t batch_size = 128;
  double lr = 1e-3;
  int threads = 0;  // 0: ATROUS_NUM_THREADS or all cores
  std::uint64_t seed = 0;
  std::int64_t limit = 0;  // > 0: train on the first `limit` samples only (quick runs)
  std::string out_dir;     // metrics.csv, the chart and the checkpoint go here
  bool resume = false;
  bool profile = false;    // profile steps 2-11 (table) and step 12 (Chrome trace in out_dir)
  bool inference = false;  // time eval-mode forward passes at batch 1 and 128 instead of training
};

// Registers the shared flags on `app`; `flags` holds the example's defaults on entry.
void add_train_flags(CLI::App& app, TrainFlags& flags);

// Applies --threads and --seed; call after parsing.
void apply_train_flags(const TrainFlags& flags);

}  // namespace atrous::examples
