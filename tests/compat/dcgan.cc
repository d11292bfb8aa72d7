// SPDX-License-Identifier: Apache-2.0
// libtorch's DCGAN tutorial ("Using the PyTorch C++ Frontend") on Fashion-MNIST: a generator of
// ConvTranspose2d layers (noise 100×1×1 → 4×4 → 7×7 → 14×14 → 28×28) with BatchNorm and ReLU,
// a strided Conv2d discriminator with LeakyReLU, BCELoss and Adam (2e-4, betas 0.5, 0.999). The
// check: the generator's mean image moves towards the data's, and forward(x, output_size)
// reaches the size it is asked for.
#include <atrous/atrous.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "expect.h"

namespace nn = atrous::nn;

struct DCGANGeneratorImpl : nn::Module {
  explicit DCGANGeneratorImpl(int64_t noise_size)
      : conv1(nn::ConvTranspose2dOptions(noise_size, 256, 4).bias(false)),
        batch_norm1(256),
        conv2(nn::ConvTranspose2dOptions(256, 128, 3).stride(2).padding(1).bias(false)),
        batch_norm2(128),
        conv3(nn::ConvTranspose2dOptions(128, 64, 4).stride(2).padding(1).bias(false)),
        batch_norm3(64),
        conv4(nn::ConvTranspose2dOptions(64, 1, 4).stride(2).padding(1).bias(false)) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv3", conv3);
    register_module("conv4", conv4);
    register_module("batch_norm1", batch_norm1);
    register_module("batch_norm2", batch_norm2);
    register_module("batch_norm3", batch_norm3);
  }

  atrous::Tensor forward(atrous::Tensor x) {
    x = atrous::relu(batch_norm1(conv1(x)));
    x = atrous::relu(batch_norm2(conv2(x)));
    x = atrous::relu(batch_norm3(conv3(x)));
    return atrous::tanh(conv4(x));
  }

  nn::ConvTranspose2d conv1;
  nn::BatchNorm2d batch_norm1;
  nn::ConvTranspose2d conv2;
  nn::BatchNorm2d batch_norm2;
  nn::ConvTranspose2d conv3;
  nn::BatchNorm2d batch_norm3;
  nn::ConvTranspose2d conv4;
};
ATROUS_MODULE(DCGANGenerator);

int main() {
  atrous::manual_seed(1);
  const char* env = std::getenv("FASHION_MNIST_ROOT");
  const std::string root = env != nullptr ? env : "/usr/share/datasets/fashion-mnist";
  const int64_t kNoiseSize = 100, kBatchSize = 64;

  DCGANGenerator generator(kNoiseSize);
  nn::Sequential discriminator(nn::Conv2d(nn::Conv2dOptions(1, 64, 4).stride(2).padding(1).bias(false)),
                               nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
                               nn::Conv2d(nn::Conv2dOptions(64, 128, 4).stride(2).padding(1).bias(false)),
                               nn::BatchNorm2d(128), nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
                               nn::Conv2d(nn::Conv2dOptions(128, 256, 4).stride(2).padding(1).bias(false)),
                               nn::BatchNorm2d(256), nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
                               nn::Conv2d(nn::Conv2dOptions(256, 1, 3).stride(1).padding(0).bias(false)),
                               nn::Sigmoid());

  auto dataset = atrous::data::datasets::MNIST(root)
                     .map(atrous::data::transforms::Normalize<>(0.5, 0.5))
                     .map(atrous::data::transforms::Stack<>());
  auto loader =
      atrous::data::make_data_loader(std::move(dataset), atrous::data::DataLoaderOptions().batch_size(kBatchSize));
  atrous::optim::Adam generator_optimizer(generator->parameters(),
                                          atrous::optim::AdamOptions(2e-4).betas(std::make_tuple(0.5, 0.999)));
  atrous::optim::Adam discriminator_optimizer(discriminator->parameters(),
                                              atrous::optim::AdamOptions(2e-4).betas(std::make_tuple(0.5, 0.999)));

  auto fixed_noise = atrous::randn({kBatchSize, kNoiseSize, 1, 1});
  atrous::Tensor real_mean;
  auto distance_to_data = [&] {
    atrous::NoGradGuard no_grad;  // batch statistics, as the generator trains
    return (generator->forward(fixed_noise).mean(0) - real_mean).pow(2).mean().item<double>();
  };

  int64_t batch_index = 0;
  double initial = 0, d_loss = 0, g_loss = 0;
  for (auto& batch : *loader) {
    auto real_images = batch.data;
    if (batch_index == 0) {
      real_mean = real_images.mean(0);
      initial = distance_to_data();
    }
    discriminator->zero_grad();
    auto real_labels = atrous::empty(batch.data.size(0)).uniform_(0.8, 1.0);
    auto real_output = discriminator->forward(real_images).reshape(real_labels.sizes());
    auto d_loss_real = atrous::binary_cross_entropy(real_output, real_labels);
    d_loss_real.backward();
    auto noise = atrous::randn({batch.data.size(0), kNoiseSize, 1, 1});
    auto fake_images = generator->forward(noise);
    auto fake_labels = atrous::zeros(batch.data.size(0));
    auto fake_output = discriminator->forward(fake_images.detach()).reshape(fake_labels.sizes());
    auto d_loss_fake = atrous::binary_cross_entropy(fake_output, fake_labels);
    d_loss_fake.backward();
    discriminator_optimizer.step();

    generator->zero_grad();
    fake_labels.fill_(1);
    fake_output = discriminator->forward(fake_images).reshape(fake_labels.sizes());
    auto g_loss_tensor = atrous::binary_cross_entropy(fake_output, fake_labels);
    g_loss_tensor.backward();
    generator_optimizer.step();

    d_loss = (d_loss_real + d_loss_fake).item<double>();
    g_loss = g_loss_tensor.item<double>();
    if (++batch_index == 100) break;
  }
  const double final_distance = distance_to_data();
  std::cout << "dcgan: D loss " << d_loss << ", G loss " << g_loss << ", distance of the mean image to the data's "
            << initial << " -> " << final_distance << "\n";
  EXPECT(std::isfinite(d_loss) && std::isfinite(g_loss));
  EXPECT(final_distance < 0.5 * initial);

  // output_size picks the output_padding: a stride-2 layer doubles 7×7 exactly when asked to.
  nn::ConvTranspose2d up(nn::ConvTranspose2dOptions(4, 2, 3).stride(2).padding(1));
  auto x = atrous::randn({1, 4, 7, 7});
  EXPECT(up->forward(x).size(2) == 13);
  EXPECT(up->forward(x, std::vector<int64_t>{14, 14}).size(2) == 14);
  return 0;
}
