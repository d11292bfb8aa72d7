// SPDX-License-Identifier: Apache-2.0
// Differentiable matmul: dA = dC · Bᵀ and dB = Aᵀ · dC, with vector operands promoted to
// matrices and broadcast batch dimensions summed back, as torch.matmul's gradient does.
#include "atrous/tensor/ops/matmul.h"
#include "atrous/autograd/node.h"
#include "atrous/tensor/ops/reduce.h"
#include "atrous/tensor/ops/view.h"

namespace atrous {

using autograd::SavedTensor;

Tensor matmul(const Tensor& a, const Tensor& b) {
  return autograd::record("MmBackward0", {a, b}, native::matmul(a, b),
                          [sa = SavedTensor(a), sb = SavedTensor(b)](const Tensor& g) {
                            const Tensor x = sa.unpack(), y = sb.unpack();
                            const Tensor x2 = x.dim() == 1 ? native::unsqueeze(x, 0) : x;
                            const Tensor y2 = y.dim() == 1 ? native::unsqueeze(y, 1) : y;
                            Tensor g2 = g;
                            if (x.dim() == 1) g2 = native::unsqueeze(g2, g2.dim() - (y.dim() == 1 ? 0 : 1));
                            if (y.dim() == 1) g2 = native::unsqueeze(g2, g2.dim());
                            const Tensor gx = native::matmul(g2, native::transpose(y2, -1, -2));
                            const Tensor gy = native::matmul(native::transpose(x2, -1, -2), g2);
                            return std::vector<Tensor>{native::reshape(native::sum_to(gx, x2.sizes()), x.sizes()),
                                                       native::reshape(native::sum_to(gy, y2.sizes()), y.sizes())};
                          });
}

Tensor mm(const Tensor& a, const Tensor& b) {
  check_arg(a.dim() == 2 && b.dim() == 2, "mm", "both arguments must be matrices, got shapes ", shape_str(a.sizes()),
            " and ", shape_str(b.sizes()));
  return matmul(a, b);
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  check_arg(a.dim() == 3 && b.dim() == 3, "bmm", "both arguments must be 3-D batches of matrices, got shapes ",
            shape_str(a.sizes()), " and ", shape_str(b.sizes()));
  check_arg(a.size(0) == b.size(0), "bmm", "batch sizes differ: ", shape_str(a.sizes()), " and ", shape_str(b.sizes()));
  return matmul(a, b);
}

Tensor addmm(const Tensor& input, const Tensor& a, const Tensor& b, const double beta, const double alpha) {
  const Tensor product = mm(a, b);
  // beta = 0 ignores input entirely (NaN included), as PyTorch documents.
  if (beta == 0.0) return alpha == 1.0 ? product : product * alpha;
  return (beta == 1.0 ? input : input * beta) + (alpha == 1.0 ? product : product * alpha);
}

Tensor Tensor::matmul(const Tensor& other) const { return atrous::matmul(*this, other); }
Tensor Tensor::mm(const Tensor& other) const { return atrous::mm(*this, other); }
Tensor Tensor::bmm(const Tensor& other) const { return atrous::bmm(*this, other); }

}  // namespace atrous
