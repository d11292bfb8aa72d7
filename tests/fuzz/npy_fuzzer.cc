// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: any byte string given to the .npy parser either loads or raises a
// std::exception — no crash, no sanitizer report, no allocation beyond the file's own size.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "atrous/tensor/io/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, const std::size_t size) {
  try {
    const atrous::Tensor t = atrous::parse_npy(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npy");
    (void)t.numel();
  } catch (const std::exception&) {
  }
  return 0;
}
