// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/simd/targets.h"

#include <cstdint>
#include <cstdlib>
#include <string>

#include "atrous/tensor/error.h"
#include "hwy/targets.h"

namespace atrous {

namespace {

// Everything above AVX2 that Highway 1.0.3 may dispatch to on x86.
constexpr std::int64_t kAboveAvx2 = HWY_AVX3 | HWY_AVX3_DL;
constexpr std::int64_t kAboveScalar = kAboveAvx2 | HWY_AVX2 | HWY_SSE4 | HWY_SSSE3;

struct Cap {
  const char* name;
  std::int64_t needs;     // a target the CPU must support (0: any CPU)
  std::int64_t disabled;  // targets switched off
};
constexpr Cap kCaps[] = {
    {"avx512", HWY_AVX3, 0},
    {"avx2", HWY_AVX2, kAboveAvx2},
    {"scalar", 0, kAboveScalar},
};

std::int64_t g_disabled = 0;  // the cap in force (Highway has no getter for it)

void disable(const std::int64_t targets) {
  hwy::DisableTargets(targets);
  g_disabled = targets;
}

// hwy::SupportedTargets, which in Highway 1.0.3 also points dispatch at every target the CPU has,
// cap or no cap; dispatch is pointed back at the capped set here.
std::int64_t supported_targets() {
  const std::int64_t targets = hwy::SupportedTargets();
  hwy::GetChosenTarget().Update(targets);
  return targets;
}

// What the CPU supports, whatever the cap; the cap stays as it was.
std::int64_t cpu_targets() {
  hwy::DisableTargets(0);
  const std::int64_t supported = supported_targets();
  disable(g_disabled);
  supported_targets();
  return supported;
}

// Caps dispatch at `name`; `op` names the caller in messages.
void cap_targets(const char* op, const std::string& name) {
  if (name == "best") return disable(0);
  for (const Cap& cap : kCaps) {
    if (name != cap.name) continue;
    check_arg(cap.needs == 0 || (cpu_targets() & cap.needs) != 0, op, "this CPU does not support ", name,
              "; kernels run on ", simd_target());
    return disable(cap.disabled);
  }
  check_arg(false, op, "expected 'avx512', 'avx2', 'scalar' or 'best', got '", name, "'");
}

}  // namespace

void set_simd_target(const std::string& name) { cap_targets("set_simd_target", name); }

std::string simd_target() {
  const std::int64_t targets = supported_targets() & HWY_TARGETS;
  if ((targets & kAboveAvx2) != 0) return "avx512";
  if ((targets & HWY_AVX2) != 0) return "avx2";
  return "scalar";
}

void apply_simd_env() {
  static const bool applied = [] {
    if (const char* env = std::getenv("ATROUS_SIMD")) {
      cap_targets("ATROUS_SIMD", env);
    }
    return true;
  }();
  (void)applied;
}

}  // namespace atrous
