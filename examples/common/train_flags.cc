// SPDX-License-Identifier: Apache-2.0
#include "examples/common/train_flags.h"
#include "examples/common/cli_checks.h"

#include <atrous/atrous.h>

namespace atrous::examples {

void add_train_flags(CLI::App& app, TrainFlags& flags) {
  app.add_option("--epochs", flags.epochs, "epochs to train (in all, counting resumed ones)")
      ->capture_default_str()
      ->check(examples::kNonNegative);
  app.add_option("--batch-size", flags.batch_size, "samples per step")
      ->capture_default_str()
      ->check(examples::kPositive);
  app.add_option("--lr", flags.lr, "learning rate")->capture_default_str()->check(examples::kPositive);
  app.add_option("--threads", flags.threads, "worker threads (0: ATROUS_NUM_THREADS or all cores)")
      ->capture_default_str()
      ->check(examples::kNonNegative);
  app.add_option("--seed", flags.seed, "seed for initialisation, shuffling and dropout")->capture_default_str();
  app.add_option("--limit", flags.limit, "use only the first N training samples (0: all), for a quick run")
      ->capture_default_str()
      ->check(examples::kNonNegative);
  app.add_option("--out", flags.out_dir, "folder for metrics.csv, metrics.svg and checkpoint.safetensors")
      ->capture_default_str();
  app.add_flag("--resume", flags.resume, "continue from the checkpoint in --out");
  app.add_flag("--profile", flags.profile,
               "print where steps 2-11 spend their time (autograd::profiler) and write step 12 as a Chrome trace, "
               "profile_trace.json in --out");
  app.add_flag("--inference", flags.inference,
               "instead of training, time eval-mode forward passes without autograd at batch 1 and 128 (images/s)");
}

void apply_train_flags(const TrainFlags& flags) {
  if (flags.threads > 0) set_num_threads(flags.threads);
  manual_seed(flags.seed);
}

}  // namespace atrous::examples
