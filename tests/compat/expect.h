// SPDX-License-Identifier: Apache-2.0
// The one check the compat programs use. Plain C++, so every program here also compiles
// against libtorch once the namespace is renamed back (tools/compile_compat_with_libtorch.sh).
#pragma once

#include <cstdlib>
#include <iostream>

#define EXPECT(cond)                                                        \
  do {                                                                      \
    if (!(cond)) {                                                          \
      std::cerr << __FILE__ << ":" << __LINE__ << ": expected " #cond "\n"; \
      std::exit(1);                                                         \
    }                                                                       \
  } while (false)
