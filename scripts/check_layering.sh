#!/usr/bin/env bash
# Fails if a lower layer includes a higher one: tensor <- autograd <- layers <- examples.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() {  # check <folder> <forbidden include prefixes...>
  local dir=$1; shift
  for up in "$@"; do
    if grep -rnE "#include \"$up/" "$dir" --include='*.h' --include='*.cc'; then
      echo "layering: $dir/ must not include $up/" >&2
      status=1
    fi
  done
}
check tensor autograd layers examples
check autograd layers examples
check layers examples
[[ $status -eq 0 ]] && echo "layering: ok (tensor <- autograd <- layers <- examples)"
exit $status
