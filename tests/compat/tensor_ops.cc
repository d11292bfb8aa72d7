// SPDX-License-Identifier: Apache-2.0
// Everyday libtorch tensor code: indexing with Slice/None/Ellipsis, comparisons giving bool
// tensors and masks, batched matrix products, reductions over int dims, Scalars from item(),
// compound assignment, InferenceMode, and the top-level function forms of the layers.
#include <atrous/atrous.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "expect.h"

using namespace atrous::indexing;

bool close(double a, double b) { return std::abs(a - b) < 1e-5 * (1 + std::abs(b)); }

int main() {
  atrous::manual_seed(1);
  auto m = atrous::arange(12).reshape({3, 4}).to(atrous::kFloat);

  // Indexing.
  EXPECT(m[1][2].item<float>() == 6.0f);
  EXPECT(m.index({Slice(), 0}).sizes() == std::vector<int64_t>({3}));
  EXPECT(m.index({Slice(), 0})[2].item<float>() == 8.0f);
  EXPECT(m.index({1, Slice(1, None)}).sizes() == std::vector<int64_t>({3}));
  EXPECT(m.index({Slice(None, None, 2)}).size(0) == 2);
  EXPECT(m.index({None}).sizes() == std::vector<int64_t>({1, 3, 4}));
  EXPECT(m.index({Ellipsis, -1})[0].item<float>() == 3.0f);
  auto copy = m.clone();
  copy.index_put_({0, Slice()}, 0.0);
  EXPECT(copy[0].sum().item<float>() == 0.0f && copy[1].sum().item<float>() == m[1].sum().item<float>());
  copy.index_put_({Slice(), 1}, atrous::ones({3}));
  EXPECT(copy.index({Slice(), 1}).sum().item<float>() == 3.0f);

  // Comparisons give bool tensors; masks select and fill.
  auto big = m.gt(5);
  EXPECT(big.dtype() == atrous::kBool && big.sum().item<int64_t>() == 6);
  EXPECT((m > 5).equal(big) && (m >= 6).equal(big) && (m <= 5).equal(m.le(5)) && m.lt(6).equal(~big));
  EXPECT(m.eq(m).all().item<bool>() && !m.ne(m).any().item<bool>());
  EXPECT((m == 3).sum().item<int64_t>() == 1 && (m != 3).sum().item<int64_t>() == 11);
  auto filled = m.masked_fill(big, -1.0);
  EXPECT(filled.max().item<float>() == 5.0f && filled.min().item<float>() == -1.0f);
  auto chosen = atrous::where(big, m, atrous::zeros_like(m));
  EXPECT(chosen.sum().item<float>() == 6 + 7 + 8 + 9 + 10 + 11);
  auto labels = atrous::tensor({1, 0, 3});
  auto predictions = atrous::tensor({1, 2, 3});
  EXPECT(predictions.eq(labels).sum().item<int64_t>() == 2);

  // Products.
  auto a = atrous::randn({2, 3}), b = atrous::randn({3, 4}), c = atrous::randn({2, 4});
  EXPECT(atrous::allclose(atrous::mm(a, b), a.matmul(b)));
  EXPECT(atrous::allclose(atrous::addmm(c, a, b), c + a.mm(b)));
  auto batch_a = atrous::randn({5, 2, 3}), batch_b = atrous::randn({5, 3, 4});
  auto bmm = atrous::bmm(batch_a, batch_b);
  EXPECT(bmm.sizes() == std::vector<int64_t>({5, 2, 4}));
  EXPECT(atrous::allclose(bmm[3], batch_a[3].mm(batch_b[3])));
  auto stacked = atrous::stack({a, a, a}, 1);
  EXPECT(stacked.sizes() == std::vector<int64_t>({2, 3, 3}));
  EXPECT(close(atrous::tensor({3.0, 4.0}).norm().item<double>(), 5.0));

  // Reductions over int dims, max with indices, Scalars.
  EXPECT(m.sum(0).sizes() == std::vector<int64_t>({4}) && m.sum(1)[0].item<float>() == 6.0f);
  EXPECT(m.mean(1, /*keepdim=*/true).sizes() == std::vector<int64_t>({3, 1}));
  EXPECT(m.sum(std::vector<int64_t>{0, 1}).item<float>() == 66.0f);
  auto [values, indices] = m.max(1);
  EXPECT(values[2].item<float>() == 11.0f && indices[0].item<int64_t>() == 3);
  EXPECT(std::get<1>(atrous::max(m, 0))[1].item<int64_t>() == 2);
  EXPECT(m.argmax(1)[1].item<int64_t>() == 3);
  atrous::Scalar total = m.sum().item();
  EXPECT(total.to<double>() == 66.0 && total.toFloat() == 66.0f);
  EXPECT(m.sum().item().toDouble() == 66.0);
  EXPECT(atrous::str("loss: ", 1.5, " step ", 3) == "loss: 1.5 step 3");

  // Compound assignment and broadcasting helpers.
  auto x = atrous::ones({2, 2});
  x += 1;
  x *= atrous::full({2, 2}, 3.0);
  x -= 1;
  x /= 5;
  EXPECT(x.sum().item<float>() == 4.0f);
  auto row = atrous::arange(2).to(atrous::kFloat);
  EXPECT(row.expand_as(x).sizes() == x.sizes());

  // InferenceMode records no graph.
  auto w = atrous::randn({3}, atrous::requires_grad());
  {
    atrous::InferenceMode guard;
    EXPECT(!(w * 2).requires_grad());
  }
  EXPECT((w * 2).requires_grad());

  // Top-level function forms.
  auto img = atrous::randn({2, 3, 8, 8});
  auto weight = atrous::randn({4, 3, 3, 3}), bias = atrous::randn({4});
  auto conv = atrous::conv2d(img, weight, bias, /*stride=*/1, /*padding=*/1);
  EXPECT(conv.sizes() == std::vector<int64_t>({2, 4, 8, 8}));
  EXPECT(atrous::max_pool2d(conv, {2, 2}).sizes() == std::vector<int64_t>({2, 4, 4, 4}));
  EXPECT(atrous::avg_pool2d(conv, {2, 2}).sizes() == std::vector<int64_t>({2, 4, 4, 4}));
  EXPECT(atrous::relu(conv).min().item<float>() >= 0.0f);
  auto s = atrous::sigmoid(conv);
  EXPECT(s.min().item<float>() >= 0.0f && s.max().item<float>() <= 1.0f);
  EXPECT(atrous::tanh(conv).abs().max().item<float>() <= 1.0f);
  EXPECT(atrous::dropout(conv, 0.5, /*train=*/false).equal(conv));
  auto logits = atrous::randn({4, 5});
  auto target = atrous::tensor({0, 4, 2, 1});
  EXPECT(atrous::allclose(atrous::softmax(logits, 1).sum(1), atrous::ones({4})));
  auto logp = atrous::log_softmax(logits, 1);
  auto expected_nll = -(logp[0][0] + logp[1][4] + logp[2][2] + logp[3][1]) / 4;
  EXPECT(close(atrous::nll_loss(logp, target).item<float>(), expected_nll.item<float>()));
  auto p = atrous::sigmoid(atrous::randn({6})), y = atrous::tensor({0.f, 1.f, 1.f, 0.f, 1.f, 0.f});
  auto bce = -(y * p.log() + (1 - y) * (1 - p).log()).mean();
  EXPECT(close(atrous::binary_cross_entropy(p, y).item<float>(), bce.item<float>()));
  EXPECT(close(atrous::mse_loss(p, y).item<float>(), (p - y).pow(2).mean().item<float>()));
  std::cout << "tensor_ops: ok\n";
  return 0;
}
