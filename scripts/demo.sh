#!/usr/bin/env bash
# Installs dependencies, builds atrous, and runs the main demo.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
cmake --preset release
cmake --build --preset release --target quickstart
./build/examples/quickstart
