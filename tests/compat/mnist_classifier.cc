// SPDX-License-Identifier: Apache-2.0
// libtorch's MNIST example, shortened: the data pipeline (MNIST dataset, Normalize, Stack,
// random and sequential samplers, workers), a CNN with dropout, SGD with momentum, and an
// accuracy check on Fashion-MNIST (the same file format). FASHION_MNIST_ROOT overrides the
// Debian location.
#include <atrous/atrous.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "expect.h"

namespace nn = atrous::nn;
namespace F = atrous::nn::functional;

struct NetImpl : nn::Module {
  NetImpl()
      : conv1(nn::Conv2dOptions(1, 10, /*kernel_size=*/5)),
        conv2(nn::Conv2dOptions(10, 20, /*kernel_size=*/5)),
        fc1(320, 50),
        fc2(50, 10) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv2_drop", conv2_drop);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }

  atrous::Tensor forward(atrous::Tensor x) {
    x = atrous::relu(atrous::max_pool2d(conv1->forward(x), 2));
    x = atrous::relu(atrous::max_pool2d(conv2_drop->forward(conv2->forward(x)), 2));
    x = x.view({-1, 320});
    x = atrous::relu(fc1->forward(x));
    x = atrous::dropout(x, /*p=*/0.5, /*training=*/is_training());
    x = fc2->forward(x);
    return atrous::log_softmax(x, /*dim=*/1);
  }

  nn::Conv2d conv1;
  nn::Conv2d conv2;
  nn::Dropout2d conv2_drop;
  nn::Linear fc1;
  nn::Linear fc2;
};
ATROUS_MODULE(Net);

int main() {
  atrous::manual_seed(1);
  const char* env = std::getenv("FASHION_MNIST_ROOT");
  const std::string root = env != nullptr ? env : "/usr/share/datasets/fashion-mnist";
  atrous::Device device(atrous::cuda::is_available() ? atrous::kCUDA : atrous::kCPU);

  Net model;
  model->to(device);

  auto train_dataset = atrous::data::datasets::MNIST(root)
                           .map(atrous::data::transforms::Normalize<>(0.2860, 0.3530))
                           .map(atrous::data::transforms::Stack<>());
  const size_t train_size = train_dataset.size().value();
  EXPECT(train_size == 60000);
  auto train_loader = atrous::data::make_data_loader(std::move(train_dataset),
                                                     atrous::data::DataLoaderOptions().batch_size(64).workers(2));

  atrous::optim::SGD optimizer(model->parameters(), atrous::optim::SGDOptions(0.05).momentum(0.5));
  model->train();
  size_t batch_index = 0;
  double first_loss = 0, last_loss = 0;
  for (auto& batch : *train_loader) {
    auto data = batch.data.to(device), targets = batch.target.to(device);
    EXPECT(data.sizes() == std::vector<int64_t>({64, 1, 28, 28}) && targets.dtype() == atrous::kLong);
    optimizer.zero_grad();
    auto output = model->forward(data);
    auto loss = F::nll_loss(output, targets);
    loss.backward();
    optimizer.step();
    if (batch_index == 0) first_loss = loss.item<double>();
    last_loss = loss.item<double>();
    if (++batch_index == 600) break;
  }
  EXPECT(last_loss < first_loss);

  auto test_dataset = atrous::data::datasets::MNIST(root, atrous::data::datasets::MNIST::Mode::kTest)
                          .map(atrous::data::transforms::Normalize<>(0.2860, 0.3530))
                          .map(atrous::data::transforms::Stack<>());
  auto test_loader = atrous::data::make_data_loader<atrous::data::samplers::SequentialSampler>(
      std::move(test_dataset), atrous::data::DataLoaderOptions().batch_size(1000));
  atrous::NoGradGuard no_grad;
  model->eval();
  int64_t correct = 0, seen = 0;
  for (const auto& batch : *test_loader) {
    auto output = model->forward(batch.data.to(device));
    auto pred = output.argmax(1);
    correct += pred.eq(batch.target.to(device)).sum().template item<int64_t>();
    seen += batch.data.size(0);
  }
  EXPECT(seen == 10000);
  const double accuracy = static_cast<double>(correct) / static_cast<double>(seen);
  std::cout << "mnist_classifier: test accuracy " << accuracy << " after 600 batches\n";
  EXPECT(accuracy > 0.75);
  return 0;
}
