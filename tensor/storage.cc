#include "tensor/storage.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace atrous {

void Storage::Free::operator()(void* p) const noexcept { std::free(p); }

Storage::Storage(const std::size_t nbytes) : nbytes_(nbytes) {
  // aligned_alloc wants a multiple of the alignment, and a non-zero size keeps data() unique.
  const std::size_t rounded = (nbytes / kAlignment + 1) * kAlignment;
  void* p = std::aligned_alloc(kAlignment, rounded);
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, 0, rounded);
  data_.reset(p);
}

}  // namespace atrous
