// Per-target matrix-product kernel (Highway) and torch.matmul's shape rules. A register-tiled
// kernel good enough for Linear layers and autograd; the cache-blocked GEMM core for the
// convolutions is tensor/gemm.
#include "tensor/ops/matmul.h"

#include <cmath>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tensor/ops/matmul.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// C[M, N] = A[M, K] · B[K, N]. A has any strides (its elements are broadcast one at a time);
// B and C have unit column stride. Every C element is the FMA chain over k = 0, 1, ..., K-1
// starting from 0, in the vector body and the scalar edge alike, so an element's bits do not
// depend on where it sits in the tile.
template <typename T>
void GemmT(const T* HWY_RESTRICT A, const std::int64_t sam, const std::int64_t sak, const T* HWY_RESTRICT B,
           const std::int64_t ldb, T* HWY_RESTRICT C, const std::int64_t ldc, const std::int64_t M,
           const std::int64_t N, const std::int64_t K) {
  const hn::ScalableTag<T> d;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  std::int64_t i = 0;
  // 4 rows × 2 vectors: 8 accumulators, 2 B loads and 1 broadcast per k step.
  for (; i + 4 <= M; i += 4) {
    const T* a0 = A + i * sam;
    std::int64_t j = 0;
    for (; j + 2 * L <= N; j += 2 * L) {
      auto c00 = hn::Zero(d), c01 = hn::Zero(d), c10 = hn::Zero(d), c11 = hn::Zero(d);
      auto c20 = hn::Zero(d), c21 = hn::Zero(d), c30 = hn::Zero(d), c31 = hn::Zero(d);
      for (std::int64_t k = 0; k < K; ++k) {
        const T* bk = B + k * ldb + j;
        const auto b0 = hn::LoadU(d, bk), b1 = hn::LoadU(d, bk + L);
        const T* ak = a0 + k * sak;
        auto a = hn::Set(d, ak[0]);
        c00 = hn::MulAdd(a, b0, c00);
        c01 = hn::MulAdd(a, b1, c01);
        a = hn::Set(d, ak[sam]);
        c10 = hn::MulAdd(a, b0, c10);
        c11 = hn::MulAdd(a, b1, c11);
        a = hn::Set(d, ak[2 * sam]);
        c20 = hn::MulAdd(a, b0, c20);
        c21 = hn::MulAdd(a, b1, c21);
        a = hn::Set(d, ak[3 * sam]);
        c30 = hn::MulAdd(a, b0, c30);
        c31 = hn::MulAdd(a, b1, c31);
      }
      T* c = C + i * ldc + j;
      hn::StoreU(c00, d, c), hn::StoreU(c01, d, c + L);
      hn::StoreU(c10, d, c + ldc), hn::StoreU(c11, d, c + ldc + L);
      hn::StoreU(c20, d, c + 2 * ldc), hn::StoreU(c21, d, c + 2 * ldc + L);
      hn::StoreU(c30, d, c + 3 * ldc), hn::StoreU(c31, d, c + 3 * ldc + L);
    }
    for (; j < N; ++j) {
      for (std::int64_t r = 0; r < 4; ++r) {
        T acc = 0;
        for (std::int64_t k = 0; k < K; ++k) acc = std::fma(a0[r * sam + k * sak], B[k * ldb + j], acc);
        C[(i + r) * ldc + j] = acc;
      }
    }
  }
  for (; i < M; ++i) {
    const T* ai = A + i * sam;
    std::int64_t j = 0;
    for (; j + L <= N; j += L) {
      auto acc = hn::Zero(d);
      for (std::int64_t k = 0; k < K; ++k) acc = hn::MulAdd(hn::Set(d, ai[k * sak]), hn::LoadU(d, B + k * ldb + j), acc);
      hn::StoreU(acc, d, C + i * ldc + j);
    }
    for (; j < N; ++j) {
      T acc = 0;
      for (std::int64_t k = 0; k < K; ++k) acc = std::fma(ai[k * sak], B[k * ldb + j], acc);
      C[i * ldc + j] = acc;
    }
  }
}

void GemmF32(const float* A, const std::int64_t sam, const std::int64_t sak, const float* B, const std::int64_t ldb,
             float* C, const std::int64_t ldc, const std::int64_t M, const std::int64_t N, const std::int64_t K) {
  GemmT(A, sam, sak, B, ldb, C, ldc, M, N, K);
}
void GemmF64(const double* A, const std::int64_t sam, const std::int64_t sak, const double* B, const std::int64_t ldb,
             double* C, const std::int64_t ldc, const std::int64_t M, const std::int64_t N, const std::int64_t K) {
  GemmT(A, sam, sak, B, ldb, C, ldc, M, N, K);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <algorithm>

#include "tensor/factory.h"
#include "tensor/ops/view.h"
#include "tensor/parallel.h"

namespace atrous::native {

HWY_EXPORT(GemmF32);
HWY_EXPORT(GemmF64);

namespace {

// Rows of C per parallel task: a multiple of the kernel's 4, fixed by the shape.
constexpr std::int64_t kRowBlock = 16;

// out[batch..., M, N] = a[batch..., M, K] · b[batch..., K, N], all batch dims already broadcast.
void batched_gemm(const Tensor& a, const Tensor& b, const Tensor& out) {
  const std::int64_t nd = out.dim();
  const std::int64_t M = out.sizes()[nd - 2], N = out.sizes()[nd - 1], K = a.sizes()[nd - 1];
  const Tensor bc = b.strides()[nd - 1] == 1 || N <= 1 ? b : contiguous(b);
  std::int64_t batches = 1;
  for (std::int64_t d = 0; d < nd - 2; ++d) batches *= out.sizes()[d];
  const std::int64_t row_blocks = (M + kRowBlock - 1) / kRowBlock;
  const auto batch_offset = [&](std::int64_t batch, const Tensor& t) {
    std::int64_t off = 0;
    for (std::int64_t d = nd - 3; d >= 0; --d) {
      off += (batch % out.sizes()[d]) * t.strides()[d];
      batch /= out.sizes()[d];
    }
    return off;
  };
  dispatch_floating(out.dtype(), "matmul", [&]<typename T>() {
    const T* A = a.data_ptr<T>();
    const T* B = bc.data_ptr<T>();
    T* C = out.data_ptr<T>();
    // Tasks of about 2^18 multiply-adds are worth a thread.
    const std::int64_t grain = std::max<std::int64_t>(1, (1 << 18) / std::max<std::int64_t>(1, kRowBlock * N * K));
    parallel_for(batches * row_blocks, grain, [&](const std::int64_t begin, const std::int64_t end) {
      for (std::int64_t t = begin; t < end; ++t) {
        const std::int64_t batch = t / row_blocks, r0 = (t % row_blocks) * kRowBlock;
        const std::int64_t rows = std::min(kRowBlock, M - r0);
        const T* At = A + batch_offset(batch, a) + r0 * a.strides()[nd - 2];
        const T* Bt = B + batch_offset(batch, bc);
        T* Ct = C + batch * M * N + r0 * N;
        const std::int64_t sam = a.strides()[nd - 2], sak = a.strides()[nd - 1], ldb = bc.strides()[nd - 2];
        if constexpr (std::is_same_v<T, float>) HWY_DYNAMIC_DISPATCH(GemmF32)(At, sam, sak, Bt, ldb, Ct, N, rows, N, K);
        else HWY_DYNAMIC_DISPATCH(GemmF64)(At, sam, sak, Bt, ldb, Ct, N, rows, N, K);
      }
    });
  });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
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
            " cannot be multiplied: a's last dim (", K, ") must equal b's ",
            b.dim() == 1 ? "only" : "second-to-last", " dim (", b2.sizes()[b2.dim() - 2], ")");
  const Shape a_batch(a2.sizes().begin(), a2.sizes().end() - 2);
  const Shape b_batch(b2.sizes().begin(), b2.sizes().end() - 2);
  Shape batch = broadcast_shapes(a_batch, b_batch, "matmul");
  const std::int64_t M = a2.sizes()[a2.dim() - 2], N = b2.sizes().back();
  Shape a_shape = batch, b_shape = batch, out_shape = batch;
  a_shape.insert(a_shape.end(), {M, K});
  b_shape.insert(b_shape.end(), {K, N});
  out_shape.insert(out_shape.end(), {M, N});
  Tensor out = empty(out_shape, a.dtype());
  if (out.numel() > 0) batched_gemm(expand(a2, a_shape), expand(b2, b_shape), out);
  if (a.dim() == 1) out = squeeze(out, -2);
  if (b.dim() == 1) out = squeeze(out, -1);
  return out;
}

}  // namespace atrous::native
#endif  // HWY_ONCE
