// SPDX-License-Identifier: Apache-2.0
// DCGAN (Radford, Metz & Chintala 2016) for 28×28 Fashion-MNIST: transposed convolutions that
// up-sample a noise vector to an image, and strided convolutions that judge it.
#pragma once

#include <cstdint>

#include <atrous/atrous.h>

namespace atrous::examples {

// noise (N, noise, 1, 1) → ConvTranspose2d k7 → 7×7×128 → k4 s2 p1 → 14×14×64 → k4 s2 p1 →
// 28×28×1, BatchNorm and ReLU between, tanh out: images in [−1, 1].
nn::Sequential dcgan_generator(std::int64_t noise);

// image (N, 1, 28, 28) → Conv2d k4 s2 p1 → 14×14×64 → k4 s2 p1 → 7×7×128 → k7 → one logit
// (N, 1), LeakyReLU(0.2) between, BatchNorm on the middle layer.
nn::Sequential dcgan_discriminator();

// The paper's initialisation: convolution weights N(0, 0.02), BatchNorm scales N(1, 0.02),
// biases 0.
void dcgan_init(nn::Module& model);

}  // namespace atrous::examples
