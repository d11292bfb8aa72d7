// SPDX-License-Identifier: Apache-2.0
// IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed. Unsigned bytes load as
// uint8 (as torchvision reads them), signed bytes, shorts and ints as int32, floats as
// float32/float64. Untrusted input: the header's claimed size is checked
// against the data, the tensor it would make is bounded (2 GiB) from the header before any data
// is read, and decompression stops at the bytes that shape needs. Multi-member gzip files load.
#pragma once

#include <string>

#include "atrous/tensor/tensor.h"

namespace atrous {

Tensor load_idx(const std::string& path);
// Parses an in-memory IDX (or gzip'ed IDX) image; `what` names it in error messages.
Tensor parse_idx(const std::string& bytes, const std::string& what);

}  // namespace atrous
