#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden files for safetensors tensor names that need JSON escapes, written by Python's json.

    /usr/bin/python3 tools/gen_golden_safetensors_names.py    # writes tests/golden/tensor/escaped_names*

escaped_names.safetensors: written the way PyTorch tooling writes (json.dumps with its default
ensure_ascii=True: \\n, \\u00e9, surrogate pairs for emoji); tensor i holds the float32 value i.
escaped_names_header.json: the header atrous must write for the same tensors, as Python's json
writes it with ensure_ascii=False (UTF-8 kept, control characters escaped): the test compares bytes.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from state_dict_safetensors import write_safetensors  # noqa: E402

NAMES = ["line\nbreak", "caf\u00e9", "emoji \U0001F600", 'quote"and\\backslash', "tab\tand\x01control", "a/b.c"]


def main():
    out = os.path.join(os.path.dirname(__file__), "..", "tests", "golden", "tensor")
    arrays = {name: np.array([float(i)], dtype=np.float32) for i, name in enumerate(NAMES)}
    write_safetensors(os.path.join(out, "escaped_names.safetensors"), arrays)
    header, offset = {}, 0
    for name in sorted(NAMES):
        header[name] = {"dtype": "F32", "shape": [1], "data_offsets": [offset, offset + 4]}
        offset += 4
    with open(os.path.join(out, "escaped_names_header.json"), "wb") as f:
        f.write(json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    main()
