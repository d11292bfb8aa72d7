// SPDX-License-Identifier: Apache-2.0
// Soak test: trains the VGG example for several hundred steps with 1 and then 2 threads and
// requires (a) resident memory to stay flat after warm-up and (b) every step's loss to be
// bit-identical between the thread counts. Not part of the default test run (label "soak").
//
//   vgg_soak --steps 300 --warmup 50
#include <atrous/atrous.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <bit>
#include <cstdio>
#include <fstream>

#include "examples/common/cli_checks.h"
#include "examples/vgg/vgg_model.h"

namespace {

using namespace atrous;

double resident_mib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

struct Run {
  std::vector<std::uint32_t> loss_bits;
  double rss_warm = 0, rss_peak = 0;
};

Run train(const data::LabelledImages& train_set, const int threads, const std::int64_t steps, const std::int64_t warmup,
          const std::int64_t batch) {
  set_num_threads(threads);
  manual_seed(0);
  nn::Sequential model = examples::vgg_small();
  optim::Adam optimizer(model->parameters(), optim::AdamOptions(1e-3));
  data::DataLoader loader(train_set.images, train_set.labels, data::DataLoaderOptions(batch).seed(0));
  Run run;
  for (std::int64_t step = 0; step < steps; ++step) {
    if (step % loader.size() == 0) loader.set_epoch(step / loader.size());
    const data::Batch b = loader[step % loader.size()];
    const Tensor loss =
        nn::functional::cross_entropy(model->forward(data::image_batch_to_float(b.data, 0.2860, 0.3530)), b.target);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    run.loss_bits.push_back(std::bit_cast<std::uint32_t>(loss.item<float>()));
    if (step == warmup) run.rss_warm = resident_mib();
    if (step >= warmup) run.rss_peak = std::max(run.rss_peak, resident_mib());
  }
  std::printf("%d thread%s: %lld steps, loss %.4f -> %.4f, resident memory %.1f MiB after warm-up, peak %.1f MiB\n",
              threads, threads == 1 ? "" : "s", static_cast<long long>(steps),
              static_cast<double>(std::bit_cast<float>(run.loss_bits.front())),
              static_cast<double>(std::bit_cast<float>(run.loss_bits.back())), run.rss_warm, run.rss_peak);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Soak test: VGG training memory stays flat and losses agree bit for bit across thread counts");
  std::int64_t steps = 300, warmup = 50, batch = 64;
  double max_growth_mib = 32;
  app.add_option("--steps", steps, "training steps per thread count")
      ->capture_default_str()
      ->check(examples::kPositive);
  app.add_option("--warmup", warmup, "steps before memory is measured")
      ->capture_default_str()
      ->check(examples::kNonNegative);
  app.add_option("--batch-size", batch, "samples per step")->capture_default_str()->check(examples::kPositive);
  app.add_option("--max-growth", max_growth_mib, "allowed growth of resident memory after warm-up, MiB")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    const data::LabelledImages train_set = data::load_fashion_mnist_bytes(data::kFashionMnistRoot, true);
    warmup = std::min(warmup, steps - 1);
    const Run one = train(train_set, 1, steps, warmup, batch);
    const Run two = train(train_set, 2, steps, warmup, batch);
    std::int64_t first_diff = -1;
    for (std::size_t i = 0; i < one.loss_bits.size() && first_diff < 0; ++i) {
      if (one.loss_bits[i] != two.loss_bits[i]) first_diff = static_cast<std::int64_t>(i);
    }
    const double growth = std::max(one.rss_peak - one.rss_warm, two.rss_peak - two.rss_warm);
    const bool flat = growth <= max_growth_mib, same = first_diff < 0;
    std::printf("losses bit-identical for 1 and 2 threads: %s", same ? "yes\n" : "NO");
    if (!same) std::printf(" (first difference at step %lld)\n", static_cast<long long>(first_diff));
    std::printf("memory growth after warm-up: %.1f MiB (limit %.1f): %s\n", growth, max_growth_mib,
                flat ? "flat" : "GROWING");
    return same && flat ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vgg_soak: %s\n", e.what());
    return 1;
  }
}
