#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Renames atrous back to torch in every tests/compat program, then compiles and runs it against
# libtorch (Debian's libtorch-dev, not needed by the build): a program that fails here uses an
# atrous-only spelling and is not the libtorch code it claims to be.
#   usage: tools/compile_compat_with_libtorch.sh [program.cc ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp "$root/tests/compat/expect.h" "$out/"
# libtorch's MNIST reads uncompressed IDX files only; Debian ships them gzipped.
if [ -z "${FASHION_MNIST_ROOT:-}" ]; then
  mkdir "$out/fashion-mnist"
  for f in /usr/share/datasets/fashion-mnist/*.gz; do gunzip -c "$f" > "$out/fashion-mnist/$(basename "$f" .gz)"; done
  export FASHION_MNIST_ROOT="$out/fashion-mnist"
fi
programs=("$@")
[ ${#programs[@]} -eq 0 ] && programs=("$root"/tests/compat/*.cc)
status=0
for src in "${programs[@]}"; do
  name=$(basename "$src" .cc)
  sed -e 's/atrous::/torch::/g; s/ATROUS_/TORCH_/g; s#<atrous/atrous.h>#<torch/torch.h>#' "$src" > "$out/$name.cc"
  if g++ -std=c++17 -w "$out/$name.cc" -I/usr/include/torch/csrc/api/include -ltorch -ltorch_cpu -lc10 \
      -o "$out/$name" && (cd "$out" && "./$name"); then
    echo "libtorch: $name ok"
  else
    echo "libtorch: $name FAILED"
    status=1
  fi
done
exit $status
