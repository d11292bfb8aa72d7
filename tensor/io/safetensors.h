// SPDX-License-Identifier: Apache-2.0
// safetensors files (https://github.com/huggingface/safetensors format): an 8-byte little-endian
// header length, a JSON header {"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {…}},
// then the raw little-endian data. F32, F64 and I64. The reader treats files as untrusted: sizes
// and offsets are checked against the file before anything is allocated.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "atrous/tensor/io/file.h"
#include "atrous/tensor/tensor.h"

namespace atrous {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// The bytes of a safetensors file holding `tensors` (names must be unique), header keys sorted.
std::string serialize_safetensors(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata = {});
// Parses a safetensors image; `what` names it in error messages. Tensors come back sorted by name.
NamedTensors parse_safetensors(const std::string& bytes, const std::string& what);

// Writes to `path` atomically: a temporary file in the same folder, flushed, then renamed over
// `path`, so a crash mid-save leaves the previous file intact.
void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});
NamedTensors load_safetensors(const std::string& path);

}  // namespace atrous
