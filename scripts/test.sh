#!/usr/bin/env bash
# Installs dependencies, builds atrous with warnings as errors, and runs the whole test suite
# (unit tests, PyTorch golden data, gradchecks, the installed-package consumer, and the
# AddressSanitizer + UndefinedBehaviorSanitizer run of the same suite).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci

cmake --preset asan
cmake --build --preset asan
ctest --preset asan
