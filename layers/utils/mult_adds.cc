// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/utils/mult_adds.h"

namespace atrous::utils {
namespace {

thread_local MultAddCounter* current = nullptr;

}  // namespace

MultAddCounter::MultAddCounter() noexcept : outer_(current) { current = this; }

MultAddCounter::~MultAddCounter() {
  current = outer_;
  if (outer_ != nullptr) outer_->count_ += count_;
}

void MultAddCounter::record(const std::int64_t mult_adds) noexcept {
  if (current != nullptr) current->count_ += mult_adds;
}

}  // namespace atrous::utils
