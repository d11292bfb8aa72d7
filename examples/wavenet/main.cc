// SPDX-License-Identifier: Apache-2.0
// WaveNet on a waveform: trains a dilated causal stack to predict the next 8-bit µ-law sample,
// prints the receptive field after every layer (it doubles: 2, 4, …, 1024), then generates audio
// sample by sample with cached incremental inference and checks it against the naive generator
// that recomputes the whole history for every sample.
//
//   wavenet                         # trains on 4 s of synthetic tones, writes generated.wav
//   wavenet --wav speech.wav        # any 16-bit PCM WAV (e.g. espeak-ng -w speech.wav "hello")
//   wavenet --epochs 1 --steps 3 --limit 4000 --generate 2000 --verify 300   # a quick run
#include <atrous/atrous.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>

#include "examples/common/checkpoint.h"
#include "examples/common/cli_checks.h"
#include "examples/common/metrics.h"
#include "examples/common/peak_memory.h"
#include "examples/common/step_profiler.h"
#include "examples/common/train_flags.h"
#include "examples/wavenet/incremental.h"
#include "examples/wavenet/mu_law.h"
#include "examples/wavenet/tones.h"
#include "examples/wavenet/wav.h"
#include "examples/wavenet/waveform_svg.h"
#include "examples/wavenet/wavenet_model.h"

namespace {

using namespace atrous;
using namespace atrous::examples;

struct WaveNetFlags {
  std::int64_t stacks = 1, channels = 64, steps = 20, window = 2048, generate = 16000, verify = 100;
  double seconds = 4.0;
  std::string wav;
};

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1p-53; }

// Entropy (nats) of the classes' empirical distribution: the loss of a model that ignores context.
double marginal_entropy(const std::vector<std::int64_t>& classes) {
  std::map<std::int64_t, double> counts;
  for (const std::int64_t c : classes) counts[c] += 1;
  double h = 0;
  for (const auto& [c, n] : counts) {
    const double p = n / static_cast<double>(classes.size());
    h -= p * std::log(p);
  }
  return h;
}

// The receptive field after every residual layer, of the dilated stack alone (from one sample)
// and of the whole model (the kernel-2 input convolution adds one). Returns false unless the
// first stack's field doubles layer by layer, 2, 4, …, 2^L.
bool print_receptive_fields(const WaveNetImpl& net) {
  std::printf("%-6s %-9s %-14s %-14s\n", "layer", "dilation", "RF (stack)", "RF (model)");
  bool doubles = true;
  const std::vector<std::int64_t> dilations = net.dilations();
  std::vector<LayerGeometry> stack;
  for (const std::int64_t d : dilations) stack.push_back({.kernel = 2, .stride = 1, .dilation = d, .padding = d});
  const std::vector<ReceptiveField> fields = receptive_field(stack);
  for (std::size_t i = 0; i < dilations.size(); ++i) {
    const std::int64_t rf = fields[i].size;
    std::printf("%-6zu %-9lld %-14lld %-14lld\n", i, static_cast<long long>(dilations[i]), static_cast<long long>(rf),
                static_cast<long long>(rf + 1));
    if (static_cast<std::int64_t>(i) < net.options.layers_per_stack) doubles = doubles && rf == (std::int64_t{2} << i);
  }
  std::printf("receptive field doubles every layer of a stack: %s\n", doubles ? "yes" : "NO");
  return doubles;
}

std::vector<std::int64_t> generate_naive(WaveNetImpl& net, const std::int64_t n, const std::int64_t first,
                                         std::mt19937_64 rng) {
  const NoGradGuard no_grad;
  std::vector<std::int64_t> history{first}, out;
  for (std::int64_t t = 0; t < n; ++t) {
    const auto T = static_cast<std::int64_t>(history.size());
    const Tensor logits = net.forward(one_hot(history, 1, T, net.options.classes)).select(2, T - 1).contiguous();
    const std::int64_t next = sample_class(logits.data_ptr<float>(), net.options.classes, uniform01(rng));
    out.push_back(next);
    history.push_back(next);
  }
  return out;
}

std::vector<std::int64_t> generate_cached(WaveNetImpl& net, const std::int64_t n, const std::int64_t first,
                                          std::mt19937_64 rng) {
  IncrementalWaveNet gen(net);
  std::vector<std::int64_t> out;
  std::int64_t current = first;
  for (std::int64_t t = 0; t < n; ++t) {
    current = sample_class(gen.step(current).data(), net.options.classes, uniform01(rng));
    out.push_back(current);
  }
  return out;
}

int run(const TrainFlags& flags, const WaveNetFlags& wf) {
  Audio audio = wf.wav.empty() ? synthesize_tones(wf.seconds) : read_wav(wf.wav);
  if (flags.limit > 0 && static_cast<std::size_t>(flags.limit) < audio.samples.size())
    audio.samples.resize(static_cast<std::size_t>(flags.limit));
  std::vector<std::int64_t> classes;
  for (const float s : audio.samples) classes.push_back(mu_law_encode(s));
  check_arg(classes.size() >= 3, "--wav", "the waveform has ", classes.size(), " samples; at least 3 are needed");
  const double entropy = marginal_entropy(classes);
  std::printf("signal: %zu samples at %d Hz (%.2f s), µ-law marginal entropy %.3f nats\n", classes.size(),
              audio.sample_rate, static_cast<double>(classes.size()) / audio.sample_rate, entropy);

  WaveNetOptions opts;
  opts.residual_channels = opts.skip_channels = wf.channels;
  opts.stacks = wf.stacks;
  WaveNet net(opts);
  std::cout << utils::summary(net, {1, opts.classes, 64}) << '\n';
  const bool doubles = print_receptive_fields(*net);

  optim::Adam optimizer(net->parameters(), optim::AdamOptions(flags.lr));
  const std::filesystem::path out =
      flags.out_dir.empty() ? std::filesystem::path("wavenet_run") : std::filesystem::path(flags.out_dir);
  std::filesystem::create_directories(out);
  const std::string checkpoint = (out / "checkpoint.safetensors").string();
  std::int64_t start = 0;
  if (flags.resume) {
    start = load_checkpoint(checkpoint, *net, optimizer);
    std::printf("resumed from %s after epoch %lld\n", checkpoint.c_str(), static_cast<long long>(start));
  }
  MetricsLog metrics((out / "metrics.csv").string(), {"train_loss", "epoch_s"}, flags.resume, static_cast<int>(start));
  metrics.set_chart("wavenet", {{.title = "training loss",
                                 .y_label = "cross-entropy (nats)",
                                 .columns = {"train_loss"},
                                 .labels = {"train"},
                                 .reference = entropy / 2,
                                 .reference_label = "target: half the marginal entropy"},
                                {.title = "epoch time", .y_label = "seconds", .columns = {"epoch_s"}, .width = 240}});

  const std::int64_t L = std::min<std::int64_t>(wf.window, static_cast<std::int64_t>(classes.size()) - 1);
  const std::int64_t max_offset = static_cast<std::int64_t>(classes.size()) - L - 1;
  double loss_value = NAN, first_loss = NAN;
  std::int64_t steps_run = 0;
  StepProfiler profiler(flags.profile, (out / "profile_trace.json").string());
  for (std::int64_t epoch = start; epoch < flags.epochs; ++epoch) {
    utils::ProgressBar bar("wavenet epoch " + std::to_string(epoch + 1), wf.steps);
    const auto t0 = std::chrono::steady_clock::now();
    double total = 0;
    for (std::int64_t step = 0; step < wf.steps; ++step) {
      profiler.before_step();
      // Windows drawn from a stream keyed by (seed, epoch, step): a resumed run repeats them.
      std::mt19937_64 rng(flags.seed * 1000003 + static_cast<std::uint64_t>(epoch * wf.steps + step));
      std::vector<std::int64_t> inputs, targets;
      for (std::int64_t b = 0; b < flags.batch_size; ++b) {
        const auto o = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(max_offset + 1));
        inputs.insert(inputs.end(), classes.begin() + o, classes.begin() + o + L);
        targets.insert(targets.end(), classes.begin() + o + 1, classes.begin() + o + L + 1);
      }
      const Tensor logits = net(one_hot(inputs, flags.batch_size, L, opts.classes));
      const Tensor loss = nn::functional::cross_entropy(logits.transpose(1, 2).reshape({-1, opts.classes}),
                                                        from_vector(targets, {flags.batch_size * L}));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      loss_value = loss.item<double>();
      if (std::isnan(first_loss)) first_loss = loss_value;
      ++steps_run;
      total += loss_value;
      profiler.after_step();
      bar.update(step + 1, loss_value);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bar.finish(total / static_cast<double>(wf.steps));
    std::printf("wavenet epoch %lld train_loss %.4f epoch_s %.1f peak_rss_mb %.0f\n", static_cast<long long>(epoch + 1),
                total / static_cast<double>(wf.steps), seconds, peak_rss_mb());
    metrics.append(static_cast<int>(epoch + 1), {total / static_cast<double>(wf.steps), seconds});
    save_checkpoint(checkpoint, *net, optimizer, epoch + 1);
  }
  // The first and last steps see different windows, so a trend needs a few steps to show.
  constexpr std::int64_t kLossCheckSteps = 5;
  std::vector<std::string> failed;
  if (!doubles) failed.push_back("the receptive field does not double every layer of a stack (see the table above)");
  if (steps_run >= kLossCheckSteps) {
    std::printf("loss fell from %.4f to %.4f nats over %lld steps; half the marginal entropy is %.4f: %s\n", first_loss,
                loss_value, static_cast<long long>(steps_run), entropy / 2,
                loss_value < entropy / 2 ? "below" : "not yet below");
    if (!(loss_value < first_loss)) {
      failed.push_back("the loss did not fall: " + std::to_string(first_loss) + " nats at the first step, " +
                       std::to_string(loss_value) + " at the last of " + std::to_string(steps_run));
    }
  } else if (steps_run > 0) {
    std::printf("loss %.4f -> %.4f nats over %lld step%s: too few to check that it falls (needs %lld)\n", first_loss,
                loss_value, static_cast<long long>(steps_run), steps_run == 1 ? "" : "s",
                static_cast<long long>(kLossCheckSteps));
  }

  const std::int64_t first = mu_law_encode(0.0);
  bool same = true;
  if (wf.verify > 0) {
    const auto naive = generate_naive(*net, wf.verify, first, std::mt19937_64(flags.seed));
    const auto cached = generate_cached(*net, wf.verify, first, std::mt19937_64(flags.seed));
    same = naive == cached;
    std::printf("cached generation equals the naive one for %lld samples: %s\n", static_cast<long long>(wf.verify),
                same ? "yes" : "NO");
    if (!same) {
      const auto at = std::mismatch(naive.begin(), naive.end(), cached.begin()).first - naive.begin();
      failed.push_back("cached generation differs from the naive one at sample " + std::to_string(at) + " of " +
                       std::to_string(wf.verify));
    }
  }
  if (wf.generate > 0) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto samples = generate_cached(*net, wf.generate, first, std::mt19937_64(flags.seed));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Audio generated;
    generated.sample_rate = audio.sample_rate;
    for (const std::int64_t c : samples) generated.samples.push_back(static_cast<float>(mu_law_decode(c)));
    const std::string wav = (out / "generated.wav").string();
    write_wav(wav, generated);
    std::printf("generated %lld samples in %.3f s: %.0f samples/s (%.1f× real time at %d Hz) -> %s\n",
                static_cast<long long>(wf.generate), seconds, static_cast<double>(wf.generate) / seconds,
                static_cast<double>(wf.generate) / seconds / audio.sample_rate, audio.sample_rate, wav.c_str());
    const std::string picture = (out / "waveforms.svg").string();
    write_file_atomically(picture, waveforms_svg(audio.samples, generated.samples, audio.sample_rate, 4000),
                          "wavenet waveforms.svg");
    std::printf("the training signal and the generated one, side by side -> %s\n", picture.c_str());
  }
  if (failed.empty()) {
    std::printf("wavenet: all checks passed\n");
    return 0;
  }
  for (const std::string& f : failed) std::printf("wavenet: check FAILED: %s\n", f.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("WaveNet: dilated causal convolutions on a waveform, with cached generation");
  TrainFlags flags;
  flags.epochs = 10;  // ≈ 45 s on 2 cores; cross-entropy ends below half the marginal entropy
  flags.batch_size = 8;
  WaveNetFlags wf;
  add_train_flags(app, flags);
  app.add_option("--stacks", wf.stacks, "stacks of residual layers with dilations 1…512")
      ->capture_default_str()
      ->check(examples::kPositive);
  app.add_option("--channels", wf.channels, "residual and skip channels")
      ->capture_default_str()
      ->check(examples::kPositive);
  app.add_option("--steps", wf.steps, "training steps per epoch")->capture_default_str()->check(examples::kPositive);
  app.add_option("--window", wf.window, "samples per training window")
      ->capture_default_str()
      ->check(examples::kPositive);
  app.add_option("--seconds", wf.seconds, "length of the synthetic signal")
      ->capture_default_str()
      ->check(examples::kPositive);
  app.add_option("--wav", wf.wav, "train on this 16-bit PCM WAV file instead")->check(CLI::ExistingFile);
  app.add_option("--generate", wf.generate, "samples to generate with the cached generator")
      ->capture_default_str()
      ->check(examples::kNonNegative);
  app.add_option("--verify", wf.verify, "samples to compare against the naive generator")
      ->capture_default_str()
      ->check(examples::kNonNegative);
  CLI11_PARSE(app, argc, argv);
  try {
    apply_train_flags(flags);
    return run(flags, wf);
  } catch (const std::exception& e) {
    std::cerr << "wavenet: " << e.what() << '\n';
    return 1;
  }
}
