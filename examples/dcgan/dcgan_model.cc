// SPDX-License-Identifier: Apache-2.0
#include "examples/dcgan/dcgan_model.h"

namespace atrous::examples {

nn::Sequential dcgan_generator(const std::int64_t noise) {
  using nn::ConvTranspose2dOptions;
  return nn::Sequential(
      nn::ConvTranspose2d(ConvTranspose2dOptions(noise, 128, 7).bias(false)), nn::BatchNorm2d(128), nn::ReLU(),
      nn::ConvTranspose2d(ConvTranspose2dOptions(128, 64, 4).stride(2).padding(1).bias(false)), nn::BatchNorm2d(64),
      nn::ReLU(), nn::ConvTranspose2d(ConvTranspose2dOptions(64, 1, 4).stride(2).padding(1)), nn::Tanh());
}

nn::Sequential dcgan_discriminator() {
  using nn::Conv2dOptions;
  const auto leaky = [] { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)); };
  return nn::Sequential(nn::Conv2d(Conv2dOptions(1, 64, 4).stride(2).padding(1)), leaky(),
                        nn::Conv2d(Conv2dOptions(64, 128, 4).stride(2).padding(1).bias(false)), nn::BatchNorm2d(128),
                        leaky(), nn::Conv2d(Conv2dOptions(128, 1, 7)), nn::Flatten());
}

void dcgan_init(nn::Module& model) {
  const NoGradGuard no_grad;
  for (const auto& [name, p] : model.named_parameters()) {
    const bool bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (bias)
      nn::init::zeros_(p);
    else if (p.dim() == 1)  // BatchNorm's scale
      nn::init::normal_(p, 1.0, 0.02);
    else
      nn::init::normal_(p, 0.0, 0.02);
  }
}

}  // namespace atrous::examples
