#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Convert between PyTorch state dicts (torch.save files) and safetensors files, with numpy only
for the safetensors side (the `safetensors` package is not in Debian 12).

    /usr/bin/python3 tools/state_dict_safetensors.py to-safetensors model.pt model.safetensors
    /usr/bin/python3 tools/state_dict_safetensors.py to-torch model.safetensors model.pt

atrous::save / atrous::load read and write the same format, so weights move both ways.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64}
TAGS = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(np.int64): "I64"}


def write_safetensors(path, arrays, metadata=None):
    """arrays: dict name -> numpy array (float32, float64 or int64)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name]) if np.ndim(arrays[name]) else np.array(arrays[name])
        tag = TAGS.get(a.dtype)
        if tag is None:
            raise ValueError(f"{name}: unsupported dtype {a.dtype}")
        data = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": tag, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    data = raw[8 + n:]
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        out[name] = np.frombuffer(data[begin:end], dtype=DTYPES[e["dtype"]]).reshape(e["shape"]).copy()
    return out


def main(argv):
    if len(argv) != 4 or argv[1] not in ("to-safetensors", "to-torch"):
        print(__doc__)
        return 2
    import torch
    if argv[1] == "to-safetensors":
        state = torch.load(argv[2], map_location="cpu")
        write_safetensors(argv[3], {k: v.detach().numpy() for k, v in state.items()}, {"format": "pt"})
    else:
        torch.save({k: torch.from_numpy(v) for k, v in read_safetensors(argv[2]).items()}, argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
