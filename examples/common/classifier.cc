// SPDX-License-Identifier: Apache-2.0
#include "examples/common/classifier.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "examples/common/checkpoint.h"
#include "examples/common/metrics.h"
#include "examples/common/peak_memory.h"
#include "examples/common/report.h"
#include "examples/common/step_profiler.h"

namespace atrous::examples {
namespace {

constexpr double kMean = 0.2860, kStd = 0.3530;
constexpr std::int64_t kEvalBatch = 1000;

struct Evaluation {
  double loss = 0, accuracy = 0;
  Tensor predictions;  // (N) int64, the argmax of each test image's logits
};

Evaluation evaluate(nn::Sequential& model, const Tensor& images, const Tensor& labels) {
  model->eval();
  const NoGradGuard no_grad;
  const std::int64_t n = images.size(0);
  double loss = 0;
  std::int64_t correct = 0;
  std::vector<Tensor> predictions;
  for (std::int64_t i = 0; i < n; i += kEvalBatch) {
    const std::int64_t b = std::min(kEvalBatch, n - i);
    const Tensor logits = model->forward(data::image_batch_to_float(images.narrow(0, i, b), kMean, kStd));
    const Tensor target = labels.narrow(0, i, b);
    loss += nn::functional::cross_entropy(logits, target).item<double>() * static_cast<double>(b);
    predictions.push_back(logits.argmax(1));
    correct += predictions.back().eq(target).sum().item<std::int64_t>();
  }
  return {loss / static_cast<double>(n), static_cast<double>(correct) / static_cast<double>(n),
          predictions.empty() ? zeros({0}, kInt64) : cat(predictions, 0)};
}

// report.html beside metrics.csv: the summary, the curves so far, and what the model gets wrong.
void write_report(const std::filesystem::path& out, const std::string& title, const std::string& summary,
                  const MetricsLog& metrics, const data::LabelledImages& test, const Evaluation& eval) {
  const ClassifierReport report{title,       summary,     metrics.chart_svg(), fashion_mnist_classes(),
                                test.images, test.labels, eval.predictions};
  write_file_atomically((out / "report.html").string(), classifier_report_html(report), "report.html");
}

// Images per second of eval-mode, no-grad forward passes over the test images at `batch`: the
// median of 5 rounds of at least 0.5 s each, after a warm-up pass.
double inference_throughput(nn::Sequential& model, const Tensor& images, const std::int64_t batch) {
  model->eval();
  const NoGradGuard no_grad;
  const std::int64_t n = images.size(0);
  std::int64_t next = 0;
  const auto pass = [&] {
    const std::int64_t start = next % (n - batch + 1);
    next += batch;
    return model->forward(data::image_batch_to_float(images.narrow(0, start, batch), kMean, kStd));
  };
  pass();
  std::vector<double> rates;
  for (int round = 0; round < 5; ++round) {
    const auto t0 = std::chrono::steady_clock::now();
    std::int64_t done = 0;
    double seconds = 0;
    while (seconds < 0.5) {
      pass();
      done += batch;
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    rates.push_back(static_cast<double>(done) / seconds);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

}  // namespace

void measure_inference(const std::string& name, nn::Sequential model) {
  const data::LabelledImages test = data::load_fashion_mnist_bytes(data::kFashionMnistRoot, false);
  for (const std::int64_t batch : {1, 128}) {
    std::printf("%s inference batch %lld images_per_s %.1f\n", name.c_str(), static_cast<long long>(batch),
                inference_throughput(model, test.images, batch));
    std::fflush(stdout);
  }
}

ClassifierResult train_classifier(const std::string& name, nn::Sequential model, const TrainFlags& flags,
                                  const std::function<void(const std::string&)>& on_summary) {
  // Held as bytes, normalised batch by batch: 47 MB for the training set instead of 188.
  data::LabelledImages train = data::load_fashion_mnist_bytes(data::kFashionMnistRoot, true);
  data::LabelledImages test = data::load_fashion_mnist_bytes(data::kFashionMnistRoot, false);
  if (flags.limit > 0 && flags.limit < test.images.size(0)) {  // a quick run evaluates on fewer images too
    test.images = test.images.narrow(0, 0, flags.limit);
    test.labels = test.labels.narrow(0, 0, flags.limit);
  }

  const std::string summary = utils::summary(model, {1, 1, 28, 28});
  std::cout << summary << '\n';
  if (on_summary) on_summary(summary);
  optim::Adam optimizer(model->parameters(), optim::AdamOptions(flags.lr));
  data::DataLoader loader(train.images, train.labels,
                          data::DataLoaderOptions(flags.batch_size).shuffle(true).seed(flags.seed), flags.limit);

  const std::filesystem::path out =
      flags.out_dir.empty() ? std::filesystem::path(name + "_run") : std::filesystem::path(flags.out_dir);
  std::filesystem::create_directories(out);
  const std::string checkpoint = (out / "checkpoint.safetensors").string();
  std::int64_t start = 0;
  if (flags.resume) {
    start = load_checkpoint(checkpoint, *model, optimizer);
    std::cout << "resumed from " << checkpoint << " after epoch " << start << '\n';
  }
  MetricsLog metrics((out / "metrics.csv").string(), {"train_loss", "test_loss", "test_acc", "epoch_s"}, flags.resume,
                     static_cast<int>(start));
  std::vector<ChartPanel> panels = default_panels({"train_loss", "test_loss", "test_acc", "epoch_s"});
  panels.front().y_label = "cross-entropy (nats)";
  metrics.set_chart(name + " on Fashion-MNIST", std::move(panels));

  ClassifierResult result;
  double first_loss = NAN;
  StepProfiler profiler(flags.profile, (out / "profile_trace.json").string());
  for (std::int64_t epoch = start; epoch < flags.epochs; ++epoch) {
    // Dropout draws from a stream keyed by (seed, epoch), so a resumed run repeats the epochs an
    // uninterrupted one would have run, bit for bit.
    manual_seed(flags.seed * 1000003 + static_cast<std::uint64_t>(epoch));
    loader.set_epoch(epoch);
    model->train();
    utils::ProgressBar bar(name + " epoch " + std::to_string(epoch + 1), loader.size());
    const auto t0 = std::chrono::steady_clock::now();
    double total = 0;
    for (std::int64_t i = 0; i < loader.size(); ++i) {
      profiler.before_step();
      const data::Batch batch = loader[i];
      const Tensor loss = nn::functional::cross_entropy(
          model->forward(data::image_batch_to_float(batch.data, kMean, kStd)), batch.target);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      const double value = loss.item<double>();
      total += value * static_cast<double>(batch.data.size(0));
      profiler.after_step();
      bar.update(i + 1, value);
    }
    result.epoch_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result.train_loss = total / static_cast<double>(loader.samples());
    if (std::isnan(first_loss)) first_loss = result.train_loss;
    bar.finish(result.train_loss);
    const Evaluation eval = evaluate(model, test.images, test.labels);
    result.test_loss = eval.loss;
    result.test_accuracy = eval.accuracy;
    std::printf("%s epoch %lld train_loss %.4f test_acc %.4f epoch_s %.1f peak_rss_mb %.0f\n", name.c_str(),
                static_cast<long long>(epoch + 1), result.train_loss, result.test_accuracy, result.epoch_seconds,
                peak_rss_mb());
    std::fflush(stdout);
    metrics.append(static_cast<int>(epoch + 1),
                   {result.train_loss, result.test_loss, result.test_accuracy, result.epoch_seconds});
    save_checkpoint(checkpoint, *model, optimizer, epoch + 1);
    write_report(out, name + " on Fashion-MNIST, epoch " + std::to_string(epoch + 1), summary, metrics, test, eval);
  }
  if (start >= flags.epochs) {  // --epochs 0, or --resume after the last epoch: report the model as it is
    const Evaluation eval = evaluate(model, test.images, test.labels);
    result.test_loss = eval.loss;
    result.test_accuracy = eval.accuracy;
    std::printf("%s: no epochs to run (%lld of %d done); evaluated the model as it is\n", name.c_str(),
                static_cast<long long>(start), flags.epochs);
    write_report(out, name + " on Fashion-MNIST, after epoch " + std::to_string(start), summary, metrics, test, eval);
  }
  if (flags.epochs - start >= 2) {
    result.loss_fell = result.train_loss < first_loss;
    std::printf("train loss fell from %.4f to %.4f: %s\n", first_loss, result.train_loss,
                result.loss_fell ? "yes" : "NO");
  }
  return result;
}

int classifier_main(int argc, char** argv, const std::string& name, const std::string& description,
                    const std::function<nn::Sequential()>& make_model,
                    const std::function<void(const std::string&)>& on_summary) {
  CLI::App app(description);
  TrainFlags flags;
  add_train_flags(app, flags);
  CLI11_PARSE(app, argc, argv);
  try {
    apply_train_flags(flags);
    if (flags.inference) {
      measure_inference(name, make_model());
      return 0;
    }
    const ClassifierResult result = train_classifier(name, make_model(), flags, on_summary);
    std::cout << "test accuracy " << result.test_accuracy * 100 << " %\n";
    return result.loss_fell ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << '\n';
    return 1;
  }
}

}  // namespace atrous::examples
