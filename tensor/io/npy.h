// SPDX-License-Identifier: Apache-2.0
// NumPy .npy files (format versions 1.0, 2.0 and 3.0), little-endian float32, float64 and
// int64. The reader treats files as untrusted: every length and size is checked against the
// file before anything is allocated or read.
#pragma once

#include <string>

#include "atrous/tensor/tensor.h"

namespace atrous {

void save_npy(const std::string& path, const Tensor& t);
Tensor load_npy(const std::string& path);

// Parses an in-memory .npy image; `what` names it in error messages.
Tensor parse_npy(const std::string& bytes, const std::string& what);

}  // namespace atrous
