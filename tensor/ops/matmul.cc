// SPDX-License-Identifier: Apache-2.0
// torch.matmul's shape rules (vectors, matrices, broadcast batches) on the one GEMM core.
#include "atrous/tensor/ops/matmul.h"

#include <algorithm>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/gemm/gemm.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

namespace {

// out[batch..., M, N] = a[batch..., M, K] · b[batch..., K, N], all batch dims already broadcast.
void batched_gemm(const Tensor& a, const Tensor& b, const Tensor& out) {
  const std::int64_t nd = out.dim();
  const std::int64_t M = out.sizes()[nd - 2], N = out.sizes()[nd - 1], K = a.sizes()[nd - 1];
  std::int64_t batches = 1;
  for (std::int64_t d = 0; d < nd - 2; ++d) batches *= out.sizes()[d];
  const auto batch_offset = [&](std::int64_t batch, const Tensor& t) {
    std::int64_t off = 0;
    for (std::int64_t d = nd - 3; d >= 0; --d) {
      off += (batch % out.sizes()[d]) * t.strides()[d];
      batch /= out.sizes()[d];
    }
    return off;
  };
  dispatch_floating(out.dtype(), "matmul", [&]<typename T>() {
    for (std::int64_t batch = 0; batch < batches; ++batch) {
      gemm(a.data_ptr<T>() + batch_offset(batch, a), a.strides()[nd - 2], a.strides()[nd - 1],
           b.data_ptr<T>() + batch_offset(batch, b), b.strides()[nd - 2], b.strides()[nd - 1],
           out.data_ptr<T>() + batch * M * N, N, M, N, K);
    }
  });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  const profile::Scope scope("matmul");
  check_arg(a.dim() >= 1 && b.dim() >= 1, "matmul", "both arguments need at least 1 dimension, got shapes ",
            shape_str(a.sizes()), " and ", shape_str(b.sizes()));
  check_arg(a.dtype() == b.dtype(), "matmul", "both tensors must have the same dtype, got ", dtype_name(a.dtype()),
            " and ", dtype_name(b.dtype()));
  dispatch_floating(a.dtype(), "matmul", []<typename T>() {});
  // Promote vectors to matrices as torch.matmul does, and drop the added dims at the end.
  const Tensor a2 = a.dim() == 1 ? unsqueeze(a, 0) : a;
  const Tensor b2 = b.dim() == 1 ? unsqueeze(b, 1) : b;
  const std::int64_t K = a2.sizes().back();
  check_arg(b2.sizes()[b2.dim() - 2] == K, "matmul", "shapes ", shape_str(a.sizes()), " and ", shape_str(b.sizes()),
            " cannot be multiplied: a's last dim (", K, ") must equal b's ", b.dim() == 1 ? "only" : "second-to-last",
            " dim (", b2.sizes()[b2.dim() - 2], ")");
  const Shape a_batch(a2.sizes().begin(), a2.sizes().end() - 2);
  const Shape b_batch(b2.sizes().begin(), b2.sizes().end() - 2);
  Shape batch = broadcast_shapes(a_batch, b_batch, "matmul");
  const std::int64_t M = a2.sizes()[a2.dim() - 2], N = b2.sizes().back();
  Shape a_shape = batch, b_shape = batch, out_shape = batch;
  a_shape.insert(a_shape.end(), {M, K});
  b_shape.insert(b_shape.end(), {K, N});
  out_shape.insert(out_shape.end(), {M, N});
  Tensor out = empty(out_shape, a.dtype());
  if (profile::recording()) {
    profile::note_shapes(shape_str(a.sizes()) + " * " + shape_str(b.sizes()));
    profile::note_path("GEMM");
    profile::note_flops(2.0 * static_cast<double>(out.numel()) * static_cast<double>(K));
  }
  if (out.numel() > 0) batched_gemm(expand(a2, a_shape), expand(b2, b_shape), out);
  if (a.dim() == 1) out = squeeze(out, -2);
  if (b.dim() == 1) out = squeeze(out, -1);
  return out;
}

}  // namespace atrous::native
