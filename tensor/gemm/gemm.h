// SPDX-License-Identifier: Apache-2.0
// The one GEMM entry point for plain (strided) matrices: matmul and Linear run on the same
// packing and micro-kernel as the convolutions.
#pragma once

#include <cstdint>

namespace atrous::native {

// C[M × N] = A[M × K] · B[K × N] with A(i, k) = a[i·sam + k·sak], B(k, j) = b[k·sbk + j·sbn] and C
// row-major with row stride ldc. Parallel over output tiles; every C element sums its k terms in
// order, so the result is the same for any thread count.
void gemm(const float* a, std::int64_t sam, std::int64_t sak, const float* b, std::int64_t sbk, std::int64_t sbn,
          float* c, std::int64_t ldc, std::int64_t M, std::int64_t N, std::int64_t K);
void gemm(const double* a, std::int64_t sam, std::int64_t sak, const double* b, std::int64_t sbk, std::int64_t sbn,
          double* c, std::int64_t ldc, std::int64_t M, std::int64_t N, std::int64_t K);

}  // namespace atrous::native
