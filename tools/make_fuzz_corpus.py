# SPDX-License-Identifier: Apache-2.0
"""Writes the committed seed corpus of the libFuzzer targets (tests/fuzz/corpus/<target>/):
small valid files of every format and variant the parsers accept, from which the fuzzers mutate.
Standard library only. Usage: python3 tools/make_fuzz_corpus.py"""
import gzip, json, os, struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fuzz", "corpus")


def write(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def npy(descr, shape, payload, version=1, fortran=False):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, repr(tuple(shape)))
    size_field = 2 if version == 1 else 4
    pad = (-(6 + 2 + size_field + len(header) + 1)) % 64
    header = header + " " * pad + "\n"
    size = struct.pack("<H" if version == 1 else "<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode("latin1") + payload


write("npy", "f4_2x3", npy("<f4", (2, 3), struct.pack("<6f", *range(6))))
write("npy", "f8_scalar", npy("<f8", (), struct.pack("<d", 1.5)))
write("npy", "i8_4", npy("<i8", (4,), struct.pack("<4q", 1, -2, 3, 4)))
write("npy", "f4_empty", npy("<f4", (0, 3), b""))
write("npy", "v2_f4_2", npy("<f4", (2,), struct.pack("<2f", 1, 2), version=2))
write("npy", "fortran_2x2", npy("<f4", (2, 2), struct.pack("<4f", 1, 2, 3, 4), fortran=True))


def safetensors(tensors, metadata=None):
    header, data = {}, b""
    for name, (dtype, shape, payload) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(h)) + h + data


write("safetensors", "two", safetensors({"w": ("F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
                                         "b": ("F64", [1], struct.pack("<d", 0.5))}, {"format": "pt"}))
write("safetensors", "int_and_scalar", safetensors({"step": ("I64", [], struct.pack("<q", 7)),
                                                    "e": ("F32", [0], b"")}))
write("safetensors", "empty", safetensors({}))


def idx(type_code, shape, payload):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(struct.pack(">I", s) for s in shape) + payload


images = idx(0x08, (2, 3, 3), bytes(range(18)))
write("idx", "images_u8", images)
write("idx", "labels_u8", idx(0x08, (4,), bytes([1, 2, 3, 9])))
write("idx", "images_u8.gz", gzip.compress(images, mtime=0))
write("idx", "floats_f4", idx(0x0D, (2,), struct.pack(">2f", 1.0, -2.0)))

# Conv options: the fuzzer reads bytes as (rank, N, Cin, Cout, groups, per-axis kernel, stride,
# dilation, padding, size, padding kind, mode, bias, channel offset), each modulo a small range.
for i, seed in enumerate([
        [0, 1, 2, 3, 1, 3, 2, 1, 2, 10, 0, 0, 1, 1],        # Conv1d, explicit padding
        [1, 1, 2, 3, 1, 3, 1, 1, 1, 8, 3, 1, 1, 8, 1, 0, 1, 1],   # Conv2d 'same'
        [0, 2, 5, 5, 1, 2, 1, 3, 0, 12, 3, 0, 0, 1],         # Conv1d causal, dilated
        [1, 1, 4, 4, 3, 3, 3, 2, 2, 2, 2, 3, 3, 9, 9, 0, 2, 1, 1],  # Conv2d groups, reflect
        # Bytes >= 240 in a stride, dilation or padding slot pick an extreme value (the fuzzer's
        # kExtreme table): 244 is INT64_MAX, 242 is 2^62, 240 is 2^31, 241 is 2^59.
        [0, 1, 2, 3, 1, 3, 244, 1, 2, 10, 0, 0, 1, 1],       # Conv1d, stride INT64_MAX: one output
        [1, 1, 2, 2, 1, 3, 1, 1, 1, 8, 3, 1, 242, 242, 8, 0, 0, 1, 1],  # Conv2d, dilation = padding = 2^62
        [0, 1, 2, 2, 1, 3, 1, 240, 240, 10, 0, 0, 1, 1],     # Conv1d, dilation = padding = 2^31
        [1, 2, 3, 3, 1, 3, 241, 1, 1, 9, 2, 241, 1, 0, 7, 0, 2, 1, 1],  # Conv2d, stride 2^59, replicate
        # Found by the fuzzer: Conv1d 6 -> 6 channels, k = 2, dilation = padding = 65536 (255),
        # replicate; its grad_weight once filled a 65 Ki band per 1 Ki-output task (minutes).
        [2, 98, 111, 103, 117, 115, 127, 255, 255, 255, 255, 127, 255, 127, 2],
]):
    write("conv_options", "seed%d" % i, bytes(seed))
print("wrote the corpus under", os.path.normpath(ROOT))
