// SPDX-License-Identifier: Apache-2.0
// The process's peak resident memory so far (what /usr/bin/time -v reports as "Maximum resident
// set size"), printed with each epoch line of the training examples.
#pragma once

#include <sys/resource.h>

namespace atrous::examples {

inline double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

}  // namespace atrous::examples
