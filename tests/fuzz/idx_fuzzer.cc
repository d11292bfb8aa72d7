// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the IDX parser, plain and gzip-compressed (the first bytes 1f 8b select
// gzip, so the fuzzer reaches the decompressor and its size cap too).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "atrous/tensor/io/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, const std::size_t size) {
  try {
    const atrous::Tensor t = atrous::parse_idx(std::string(reinterpret_cast<const char*>(data), size), "fuzz.idx");
    (void)t.numel();
  } catch (const std::exception&) {
  }
  return 0;
}
