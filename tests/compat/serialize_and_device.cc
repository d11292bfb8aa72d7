// SPDX-License-Identifier: Apache-2.0
// Saving and loading as libtorch code does (the holder, tensors, tensor lists, optimizers) and
// device-generic code that picks CUDA when available and otherwise runs on the CPU.
#include <atrous/atrous.h>

#include <cstdio>
#include <vector>

#include "expect.h"

namespace nn = atrous::nn;

int main() {
  atrous::manual_seed(5);
  atrous::Device device = atrous::cuda::is_available() ? atrous::Device(atrous::kCUDA) : atrous::Device(atrous::kCPU);
  EXPECT(device.is_cpu() && device == atrous::Device("cpu"));

  nn::Sequential model(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 2));
  model->to(device);
  auto x = atrous::randn({5, 4}, atrous::TensorOptions().device(device));
  EXPECT(x.device() == device && !x.is_cuda());
  auto before = model->forward(x.to(device));

  atrous::optim::Adam optimizer(model->parameters(), atrous::optim::AdamOptions(1e-2));
  optimizer.zero_grad();
  model->forward(x).sum().backward();
  optimizer.step();
  auto trained = model->forward(x);

  atrous::save(model, "compat_model.ckpt");
  atrous::save(optimizer, "compat_optimizer.ckpt");
  atrous::save(x, "compat_tensor.ckpt");
  atrous::save(std::vector<atrous::Tensor>{x, before}, "compat_tensors.ckpt");

  nn::Sequential restored(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 2));
  atrous::load(restored, "compat_model.ckpt");
  EXPECT(atrous::allclose(restored->forward(x), trained));

  atrous::optim::Adam restored_optimizer(restored->parameters(), atrous::optim::AdamOptions(1e-2));
  atrous::load(restored_optimizer, "compat_optimizer.ckpt");
  // One more identical step on both keeps them identical only if the Adam moments came back.
  for (auto* pair : {&optimizer, &restored_optimizer}) pair->zero_grad();
  model->forward(x).sum().backward();
  restored->forward(x).sum().backward();
  optimizer.step();
  restored_optimizer.step();
  EXPECT(atrous::allclose(restored->forward(x), model->forward(x)));

  atrous::Tensor loaded;
  atrous::load(loaded, "compat_tensor.ckpt");
  EXPECT(loaded.equal(x));
  std::vector<atrous::Tensor> list;
  atrous::load(list, "compat_tensors.ckpt");
  EXPECT(list.size() == 2 && list[1].equal(before));

  for (const char* f : {"compat_model.ckpt", "compat_optimizer.ckpt", "compat_tensor.ckpt", "compat_tensors.ckpt"}) {
    std::remove(f);
  }
  std::cout << "serialize_and_device: ok\n";
  return 0;
}
