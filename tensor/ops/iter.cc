// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/ops/iter.h"

#include <algorithm>

#include "atrous/tensor/parallel.h"

namespace atrous::native {

std::vector<std::int64_t> Walk::run_strides() const {
  std::vector<std::int64_t> rs;
  for (const Shape& s : strides) rs.push_back(s.empty() ? 0 : s.back());
  return rs;
}

Walk make_walk(const Shape& sizes, std::vector<Shape> strides) {
  // Drop size-1 dimensions (their strides never matter), then merge neighbours that every
  // operand steps through as one: longer runs mean fewer callbacks and more SIMD.
  Walk w;
  w.strides.resize(strides.size());
  // An empty tensor visits nothing; its strides may be saturated (see contiguous_strides), so
  // they are not multiplied out.
  if (std::find(sizes.begin(), sizes.end(), 0) != sizes.end()) {
    w.sizes = {0};
    for (Shape& s : w.strides) s = {0};
    return w;
  }
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) continue;
    const bool merge = !w.sizes.empty() && std::all_of(strides.begin(), strides.end(), [&](const Shape& s) {
      const std::size_t k = static_cast<std::size_t>(&s - strides.data());
      return w.strides[k].back() == s[d] * sizes[d];
    });
    if (merge) {
      w.sizes.back() *= sizes[d];
      for (std::size_t k = 0; k < strides.size(); ++k) w.strides[k].back() = strides[k][d];
    } else {
      w.sizes.push_back(sizes[d]);
      for (std::size_t k = 0; k < strides.size(); ++k) w.strides[k].push_back(strides[k][d]);
    }
  }
  return w;
}

void walk(const Walk& w, const std::function<void(const std::int64_t*, std::int64_t)>& fn) {
  for (const std::int64_t s : w.sizes) {
    if (s == 0) return;
  }
  const std::size_t ops = w.strides.size();
  const std::int64_t inner = w.sizes.empty() ? 1 : w.sizes.back();
  std::int64_t rows = 1;
  for (std::size_t d = 0; d + 1 < w.sizes.size(); ++d) rows *= w.sizes[d];
  const std::int64_t pieces = (inner + kRunBlock - 1) / kRunBlock;
  const std::int64_t run_len = std::min(inner, kRunBlock);
  // About 64K elements per parallel chunk: below that, a task costs more than it saves.
  const std::int64_t grain = std::max<std::int64_t>(1, (1 << 16) / run_len);
  const std::vector<std::int64_t> rs = w.run_strides();

  parallel_for(rows * pieces, grain, [&](const std::int64_t begin, const std::int64_t end) {
    std::vector<std::int64_t> off(ops);
    for (std::int64_t item = begin; item < end; ++item) {
      std::int64_t row = item / pieces;
      const std::int64_t start = (item % pieces) * kRunBlock;
      std::fill(off.begin(), off.end(), 0);
      for (std::size_t d = w.sizes.size() - (w.sizes.empty() ? 0 : 1); d-- > 0;) {
        const std::int64_t i = row % w.sizes[d];
        row /= w.sizes[d];
        for (std::size_t k = 0; k < ops; ++k) off[k] += i * w.strides[k][d];
      }
      for (std::size_t k = 0; k < ops; ++k) off[k] += start * rs[k];
      fn(off.data(), std::min(kRunBlock, inner - start));
    }
  });
}

}  // namespace atrous::native
