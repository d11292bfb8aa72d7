// SPDX-License-Identifier: Apache-2.0
// A DCGAN on Fashion-MNIST: the generator up-samples 100-d noise with transposed convolutions
// (1×1 → 7×7 → 14×14 → 28×28), the discriminator judges real and generated images with strided
// convolutions; BCE loss, Adam(2e-4, betas 0.5, 0.999), as in the DCGAN paper and PyTorch's
// tutorial. After every epoch it draws 64 samples from one fixed noise batch into
// samples_epoch_N.png, so the garments can be seen to appear.
//
//   dcgan --epochs 5 --out /tmp/dcgan      # ≈ recognisable shirts, trousers and shoes by epoch 2
//   dcgan --epochs 1 --limit 1280           # a quick run
#include <atrous/atrous.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "examples/common/checkpoint.h"
#include "examples/common/cli_checks.h"
#include "examples/common/metrics.h"
#include "examples/common/peak_memory.h"
#include "examples/common/png.h"
#include "examples/common/step_profiler.h"
#include "examples/common/train_flags.h"
#include "examples/dcgan/dcgan_model.h"

namespace atrous::examples {
namespace {

constexpr std::int64_t kSamples = 64, kGridColumns = 8;

struct EpochStats {
  double d_loss = 0, g_loss = 0, d_real = 0, d_fake = 0;  // means over the epoch's steps
};

int run(const TrainFlags& flags, const std::int64_t noise) {
  // Bytes, scaled batch by batch to [−1, 1], the range of the generator's tanh.
  const data::LabelledImages train = data::load_fashion_mnist_bytes(data::kFashionMnistRoot, true);
  nn::Sequential generator = dcgan_generator(noise);
  nn::Sequential discriminator = dcgan_discriminator();
  dcgan_init(*generator);
  dcgan_init(*discriminator);
  // Drawn before anything else from the seed, so a resumed run draws the same batch.
  const Tensor fixed_noise = randn({kSamples, noise, 1, 1});
  std::cout << "generator:\n"
            << utils::summary(generator, {1, noise, 1, 1}) << "\ndiscriminator:\n"
            << utils::summary(discriminator, {1, 1, 28, 28}) << '\n';

  const auto adam = [&](nn::Sequential& m) {
    return optim::Adam(m->parameters(), optim::AdamOptions(flags.lr).betas(std::make_tuple(0.5, 0.999)));
  };
  optim::Adam g_optimizer = adam(generator), d_optimizer = adam(discriminator);
  data::DataLoader loader(train.images, train.labels,
                          data::DataLoaderOptions(flags.batch_size).shuffle(true).seed(flags.seed), flags.limit);

  const std::filesystem::path out = flags.out_dir.empty() ? "dcgan_run" : flags.out_dir;
  std::filesystem::create_directories(out);
  const std::string g_checkpoint = (out / "generator.safetensors").string();
  const std::string d_checkpoint = (out / "discriminator.safetensors").string();
  std::int64_t start = 0;
  if (flags.resume) {
    start = load_checkpoint(g_checkpoint, *generator, g_optimizer);
    check_arg(load_checkpoint(d_checkpoint, *discriminator, d_optimizer) == start, "dcgan --resume",
              "the generator's and the discriminator's checkpoints in ", out.string(), " are from different epochs");
    std::cout << "resumed from " << out.string() << " after epoch " << start << '\n';
  }
  MetricsLog metrics((out / "metrics.csv").string(), {"d_loss", "g_loss", "d_real", "d_fake", "epoch_s"}, flags.resume,
                     static_cast<int>(start));
  metrics.set_chart("dcgan on Fashion-MNIST",
                    {{.title = "losses",
                      .y_label = "binary cross-entropy (nats)",
                      .columns = {"d_loss", "g_loss"},
                      .labels = {"discriminator", "generator"}},
                     {.title = "discriminator's mean output",
                      .y_label = "D(x)",
                      .columns = {"d_real", "d_fake"},
                      .labels = {"on real images", "on generated ones"},
                      .reference = 0.5,
                      .reference_label = "0.5: cannot tell them apart"},
                     {.title = "epoch time", .y_label = "seconds", .columns = {"epoch_s"}, .width = 240}});

  bool finite = true;
  StepProfiler profiler(flags.profile, (out / "profile_trace.json").string());
  for (std::int64_t epoch = start; epoch < flags.epochs; ++epoch) {
    manual_seed(flags.seed * 1000003 + static_cast<std::uint64_t>(epoch));
    loader.set_epoch(epoch);
    generator->train();
    discriminator->train();
    utils::ProgressBar bar("dcgan epoch " + std::to_string(epoch + 1), loader.size());
    const auto t0 = std::chrono::steady_clock::now();
    EpochStats s;
    for (std::int64_t i = 0; i < loader.size(); ++i) {
      profiler.before_step();
      const Tensor real = data::image_batch_to_float(loader[i].data, 0.5, 0.5);
      const std::int64_t n = real.size(0);
      const Tensor ones = atrous::ones({n, 1}), zeros = atrous::zeros({n, 1});
      const Tensor fake = generator->forward(randn({n, noise, 1, 1}));

      // The discriminator learns to tell real (1) from generated (0) images.
      const Tensor real_logits = discriminator->forward(real);
      const Tensor fake_logits = discriminator->forward(fake.detach());
      const Tensor d_loss = nn::functional::binary_cross_entropy_with_logits(real_logits, ones) +
                            nn::functional::binary_cross_entropy_with_logits(fake_logits, zeros);
      d_optimizer.zero_grad();
      d_loss.backward();
      d_optimizer.step();

      // The generator learns to make it say 1.
      const Tensor g_loss = nn::functional::binary_cross_entropy_with_logits(discriminator->forward(fake), ones);
      g_optimizer.zero_grad();
      g_loss.backward();
      g_optimizer.step();

      s.d_loss += d_loss.item<double>();
      s.g_loss += g_loss.item<double>();
      s.d_real += real_logits.detach().sigmoid().mean().item<double>();
      s.d_fake += fake_logits.detach().sigmoid().mean().item<double>();
      profiler.after_step();
      bar.update(i + 1, g_loss.item<double>());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto steps = static_cast<double>(std::max<std::int64_t>(loader.size(), 1));
    s = {s.d_loss / steps, s.g_loss / steps, s.d_real / steps, s.d_fake / steps};
    bar.finish(s.g_loss);
    finite = finite && std::isfinite(s.d_loss) && std::isfinite(s.g_loss);

    // As PyTorch's tutorial draws them: training mode (batch statistics), no gradients.
    const std::string png = (out / ("samples_epoch_" + std::to_string(epoch + 1) + ".png")).string();
    {
      const NoGradGuard no_grad;
      write_image_grid_png(png, generator->forward(fixed_noise), kGridColumns, -1.0, 1.0);
    }
    std::printf(
        "dcgan epoch %lld d_loss %.4f g_loss %.4f D(real) %.3f D(fake) %.3f epoch_s %.1f peak_rss_mb %.0f; wrote %s\n",
        static_cast<long long>(epoch + 1), s.d_loss, s.g_loss, s.d_real, s.d_fake, seconds, peak_rss_mb(), png.c_str());
    std::fflush(stdout);
    metrics.append(static_cast<int>(epoch + 1), {s.d_loss, s.g_loss, s.d_real, s.d_fake, seconds});
    save_checkpoint(g_checkpoint, *generator, g_optimizer, epoch + 1);
    save_checkpoint(d_checkpoint, *discriminator, d_optimizer, epoch + 1);
  }
  std::printf("both losses stayed finite: %s\n", finite ? "yes" : "NO");
  return finite ? 0 : 1;
}

}  // namespace
}  // namespace atrous::examples

int main(int argc, char** argv) {
  CLI::App app("DCGAN on Fashion-MNIST: transposed convolutions draw garments from noise");
  atrous::examples::TrainFlags flags;
  flags.batch_size = 64;
  flags.lr = 2e-4;
  std::int64_t noise = 100;
  atrous::examples::add_train_flags(app, flags);
  app.add_option("--noise", noise, "length of the generator's noise vector")
      ->capture_default_str()
      ->check(atrous::examples::kPositive);
  CLI11_PARSE(app, argc, argv);
  try {
    atrous::examples::apply_train_flags(flags);
    return atrous::examples::run(flags, noise);
  } catch (const std::exception& e) {
    std::cerr << "dcgan: " << e.what() << '\n';
    return 1;
  }
}
