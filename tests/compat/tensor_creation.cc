// SPDX-License-Identifier: Apache-2.0
// Creating tensors as libtorch code does: initializer lists, TensorOptions, libtorch's dtype
// names, integer shapes, ranges, *_like factories and in-place random fills.
#include <atrous/atrous.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "expect.h"

int main() {
  atrous::manual_seed(0);

  auto a = atrous::tensor({1.0, 2.0, 3.0});
  EXPECT(a.dtype() == atrous::kFloat && a.sizes() == std::vector<int64_t>({3}));
  auto f = atrous::tensor({1.5f, 2.5f});
  EXPECT(f.dtype() == atrous::kFloat && f[1].item<float>() == 2.5f);
  auto l = atrous::tensor({1, 2, 3});
  EXPECT(l.dtype() == atrous::kLong && l.to(atrous::kInt).dtype() == atrous::kInt);
  auto nested = atrous::tensor({{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}});
  EXPECT(nested.sizes() == std::vector<int64_t>({3, 2}) && nested[2][1].item<double>() == 6.0);
  auto doubles = atrous::tensor({1.0, 2.0}, atrous::dtype(atrous::kDouble));
  EXPECT(doubles.dtype() == atrous::kDouble);
  EXPECT(atrous::full({2}, 7).dtype() == atrous::kLong && atrous::full({2}, 0.5).dtype() == atrous::kFloat);

  auto opts = atrous::TensorOptions().dtype(atrous::kFloat).requires_grad(true);
  auto w = atrous::randn({3, 2}, opts);
  EXPECT(w.requires_grad() && w.dtype() == atrous::kFloat);
  auto z = atrous::zeros({2, 2}, atrous::dtype(atrous::kDouble).requires_grad(true));
  EXPECT(z.requires_grad() && z.dtype() == atrous::kDouble);
  auto longs = atrous::ones({4}, atrous::kLong);
  EXPECT(longs.dtype() == atrous::kLong && longs.sum().item<int64_t>() == 4);
  auto bytes = atrous::full({2}, 7, atrous::TensorOptions(atrous::kUInt8));
  EXPECT(bytes.dtype() == atrous::kByte && bytes[1].item<uint8_t>() == 7);
  auto flags = atrous::zeros({3}, atrous::kBool);
  EXPECT(flags.dtype() == atrous::kBool && !flags.any().item<bool>());

  auto v = atrous::randn(3);
  EXPECT(v.dim() == 1 && v.size(0) == 3);
  auto e = atrous::empty({2, 3});
  EXPECT(e.numel() == 6 && e.dtype() == atrous::kFloat);
  auto eye = atrous::eye(3);
  EXPECT(eye.sum().item<float>() == 3.0f && eye[1][1].item<float>() == 1.0f && eye[0][1].item<float>() == 0.0f);
  auto lin = atrous::linspace(0, 1, 5);
  EXPECT(lin.size(0) == 5 && lin[4].item<float>() == 1.0f && lin[1].item<float>() == 0.25f);
  auto r = atrous::arange(0, 10, 2);
  EXPECT(r.size(0) == 5 && r[4].item<int64_t>() == 8);

  auto zl = atrous::zeros_like(w);
  auto ol = atrous::ones_like(w);
  auto rl = atrous::randn_like(w);
  auto ul = atrous::rand_like(w);
  auto el = atrous::empty_like(w);
  auto fl = atrous::full_like(w, 2.5);
  EXPECT(zl.sizes() == w.sizes() && ol.sum().item<float>() == 6.0f && rl.sizes() == w.sizes());
  EXPECT(el.sizes() == w.sizes() && fl[0][0].item<float>() == 2.5f);
  EXPECT(ul.min().item<float>() >= 0.0f && ul.max().item<float>() < 1.0f);
  EXPECT(!zl.requires_grad());

  auto big = atrous::empty({200000});
  big.uniform_(-2, 2);
  EXPECT(big.min().item<float>() >= -2.0f && big.max().item<float>() < 2.0f);
  EXPECT(std::abs(big.mean().item<float>()) < 0.02f);
  big.normal_(3, 0.5);
  EXPECT(std::abs(big.mean().item<float>() - 3.0f) < 0.01f && std::abs(big.std().item<float>() - 0.5f) < 0.01f);
  big.bernoulli_(0.25);
  EXPECT(std::abs(big.mean().item<float>() - 0.25f) < 0.01f);

  auto ints = atrous::randint(0, 10, {1000});
  EXPECT(ints.dtype() == atrous::kLong && ints.min().item<int64_t>() >= 0 && ints.max().item<int64_t>() <= 9);
  auto blob = std::vector<float>{1, 2, 3, 4};
  auto from = atrous::from_blob(blob.data(), {2, 2}, atrous::kFloat).clone();
  EXPECT(from[1][0].item<float>() == 3.0f);

  // The same seed gives the same numbers.
  atrous::manual_seed(7);
  auto first = atrous::randn({5});
  atrous::manual_seed(7);
  EXPECT(atrous::equal(first, atrous::randn({5})));
  std::cout << "tensor_creation: ok\n";
  return 0;
}
