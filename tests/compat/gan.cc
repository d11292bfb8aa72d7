// SPDX-License-Identifier: Apache-2.0
// A fully connected GAN on Fashion-MNIST in the style of libtorch's DCGAN example (dcgan.cc has
// its transposed-convolution generator): BCELoss, Adam with betas (0.5, 0.5), label smoothing,
// detach() for the discriminator step. The check: the generator's mean image moves towards the
// data's.
#include <atrous/atrous.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "expect.h"

namespace nn = atrous::nn;

int main() {
  atrous::manual_seed(7);
  const char* env = std::getenv("FASHION_MNIST_ROOT");
  const std::string root = env != nullptr ? env : "/usr/share/datasets/fashion-mnist";
  const int64_t kNoiseSize = 64;

  nn::Sequential generator(nn::Linear(kNoiseSize, 256), nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
                           nn::Linear(256, 784), nn::Tanh());
  nn::Sequential discriminator(nn::Linear(784, 256), nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
                               nn::Linear(256, 1), nn::Sigmoid());

  auto dataset = atrous::data::datasets::MNIST(root)
                     .map(atrous::data::transforms::Normalize<>(0.5, 0.5))
                     .map(atrous::data::transforms::Stack<>());
  auto loader = atrous::data::make_data_loader(std::move(dataset), atrous::data::DataLoaderOptions().batch_size(64));

  atrous::optim::Adam generator_optimizer(generator->parameters(),
                                          atrous::optim::AdamOptions(2e-4).betas(std::make_tuple(0.5, 0.5)));
  atrous::optim::Adam discriminator_optimizer(discriminator->parameters(),
                                              atrous::optim::AdamOptions(2e-4).betas(std::make_tuple(0.5, 0.5)));
  nn::BCELoss criterion;

  auto fixed_noise = atrous::randn({256, kNoiseSize});
  atrous::Tensor real_mean;
  auto distance_to_data = [&] {
    atrous::NoGradGuard no_grad;
    return (generator->forward(fixed_noise).mean(0) - real_mean).pow(2).mean().item<double>();
  };

  int64_t batch_index = 0;
  double initial = 0, d_loss = 0, g_loss = 0;
  for (auto& batch : *loader) {
    auto real_images = batch.data.view({batch.data.size(0), -1});
    if (batch_index == 0) {
      real_mean = real_images.mean(0);
      initial = distance_to_data();
    }
    // Train the discriminator on real images (labels smoothed to 0.9) and generated ones.
    discriminator->zero_grad();
    auto real_labels = atrous::empty({batch.data.size(0), 1}).uniform_(0.8, 1.0);
    auto d_loss_real = criterion(discriminator->forward(real_images), real_labels);
    d_loss_real.backward();
    auto noise = atrous::randn({batch.data.size(0), kNoiseSize});
    auto fake_images = generator->forward(noise);
    auto fake_labels = atrous::zeros({batch.data.size(0), 1});
    auto d_loss_fake = criterion(discriminator->forward(fake_images.detach()), fake_labels);
    d_loss_fake.backward();
    discriminator_optimizer.step();

    // Train the generator to make the discriminator say "real".
    generator->zero_grad();
    fake_labels.fill_(1);
    auto g_loss_tensor = criterion(discriminator->forward(fake_images), fake_labels);
    g_loss_tensor.backward();
    generator_optimizer.step();

    d_loss = (d_loss_real + d_loss_fake).item<double>();
    g_loss = g_loss_tensor.item<double>();
    if (++batch_index == 400) break;
  }
  const double final_distance = distance_to_data();
  std::cout << "gan: D loss " << d_loss << ", G loss " << g_loss << ", distance of the mean image to the data's "
            << initial << " -> " << final_distance << "\n";
  EXPECT(std::isfinite(d_loss) && std::isfinite(g_loss));
  EXPECT(final_distance < 0.75 * initial);
  return 0;
}
