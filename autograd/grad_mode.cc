// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/grad_mode.h"

namespace atrous {
namespace {
thread_local bool grad_enabled = true;
}  // namespace

bool GradMode::is_enabled() noexcept { return grad_enabled; }
void GradMode::set_enabled(const bool enabled) noexcept { grad_enabled = enabled; }

}  // namespace atrous
