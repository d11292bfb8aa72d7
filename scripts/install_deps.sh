#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what atrous needs on Debian 12, and nothing that is already there.
# Usage: scripts/install_deps.sh [--torch] [--browser]
#   --torch    adds the PyTorch yardstick for tools/
#   --browser  adds Chromium, for the optional test that renders an example's report.html
set -euo pipefail

packages=(build-essential cmake ninja-build libtbb-dev libhwy-dev libgtest-dev libgmock-dev nlohmann-json3-dev
          libbenchmark-dev zlib1g-dev libcli11-dev libpng-dev dataset-fashion-mnist clang-format clang-tidy
          clang libclang-rt-14-dev)  # clang: the libFuzzer targets
for option in "$@"; do
  case "$option" in
    --torch) packages+=(python3-torch python3-numpy) ;;
    --browser) packages+=(chromium) ;;
    *) echo "install_deps: unknown option '$option' (known: --torch, --browser)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install_deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
