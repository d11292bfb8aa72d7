// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/storage.h"

#include <cstring>

#include "atrous/tensor/allocator.h"

namespace atrous {

Storage::Storage(const std::size_t nbytes, const bool zero_fill) : nbytes_(nbytes), data_(allocate(nbytes, capacity_)) {
  if (zero_fill) std::memset(data_, 0, nbytes);
}

Storage::~Storage() { release(data_, capacity_); }

}  // namespace atrous
