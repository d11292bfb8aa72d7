// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the safetensors parser (the format model files from strangers come in).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "atrous/tensor/io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, const std::size_t size) {
  try {
    const atrous::NamedTensors t =
        atrous::parse_safetensors(std::string(reinterpret_cast<const char*>(data), size), "fuzz.safetensors");
    (void)t.size();
  } catch (const std::exception&) {
  }
  return 0;
}
