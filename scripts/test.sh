#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs dependencies and runs everything CI runs:
#   1. Release build with warnings as errors, the whole test suite (unit tests, PyTorch golden
#      data, gradchecks, the bad-input catalogue, example smoke tests, the installed-package consumer)
#   2. the soak test (VGG training: flat memory, losses identical for 1 and 2 threads)
#   3. the suite again under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on),
#      except the Fashion-MNIST training runs of the examples (minutes each under ASan)
#   4. the threaded tests under ThreadSanitizer
#   5. the libFuzzer targets (npy, safetensors, IDX, conv options) from the committed corpus
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
step() { echo; echo "=== $* ($(date +%T))"; }

step "release build and tests"
cmake --preset ci
cmake --build --preset ci
ctest --preset ci

step "soak test"
ctest --preset soak

step "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan
cmake --build --preset asan
ctest --preset asan

step "ThreadSanitizer"
cmake --preset tsan
cmake --build --preset tsan
ctest --preset tsan

step "libFuzzer"
cmake --preset fuzz
cmake --build --preset fuzz
ctest --preset fuzz
step "all green"
