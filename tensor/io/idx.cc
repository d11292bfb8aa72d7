// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/io/idx.h"

#include <zlib.h>

#include <cstring>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/io/safetensors.h"

namespace atrous {
namespace {

// The largest tensor an IDX file may load into: bounded from the header, before any data is
// decompressed, so a small file cannot claim gigabytes.
constexpr std::uint64_t kMaxTensorBytes = std::uint64_t{2} << 30;

[[noreturn]] void fail(const std::string& what, const std::string& why) {
  throw std::runtime_error("load_idx: " + what + ": " + why);
}

// The first `limit` decompressed bytes of a gzip file (fewer if it ends first), reading every
// member of a multi-member file as gzip -dc does; decompression stops at `limit`, so a gzip bomb
// costs what the header's shape asks for and no more.
std::string gunzip_prefix(const std::string& in, const std::size_t limit, const std::string& what) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) fail(what, "zlib could not start");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  while (out.size() < limit) {
    const std::size_t chunk = std::min<std::size_t>(limit - out.size(), std::size_t{1} << 20);
    const std::size_t had = out.size();
    out.resize(had + chunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + had);
    z.avail_out = static_cast<uInt>(chunk);
    const int rc = inflate(&z, Z_NO_FLUSH);
    out.resize(had + chunk - z.avail_out);
    if (rc == Z_STREAM_END) {
      const bool another = z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b;
      if (!another || inflateReset(&z) != Z_OK) break;  // anything else after the last member is ignored
      continue;
    }
    if (rc != Z_OK || (z.avail_in == 0 && z.avail_out != 0)) {
      inflateEnd(&z);
      fail(what, rc == Z_OK || rc == Z_BUF_ERROR ? "truncated gzip data" : "corrupt gzip data");
    }
  }
  inflateEnd(&z);
  return out;
}

std::uint32_t big_endian32(const std::string& s, const std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// torchvision's dtypes, with int32 standing in for int8 and int16 (which atrous lacks).
ScalarType dtype_of(const unsigned char type) {
  switch (type) {
    case 0x08: return kUInt8;
    case 0x0D: return kFloat32;
    case 0x0E: return kFloat64;
    default: return kInt32;
  }
}

}  // namespace

Tensor parse_idx(const std::string& raw, const std::string& what) {
  const bool gz =
      raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f && static_cast<unsigned char>(raw[1]) == 0x8b;
  // The header first (at most 4 + 4·255 bytes), then exactly the data its shape asks for.
  std::string bytes = gz ? gunzip_prefix(raw, 4 + 4 * 255, what) : raw;
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0) fail(what, "not an IDX file (bad magic number)");
  const auto type = static_cast<unsigned char>(bytes[2]);
  const auto ndim = static_cast<unsigned char>(bytes[3]);
  std::size_t elem = 0;
  switch (type) {
    case 0x08:
    case 0x09: elem = 1; break;
    case 0x0B: elem = 2; break;
    case 0x0C:
    case 0x0D: elem = 4; break;
    case 0x0E: elem = 8; break;
    default: fail(what, "unknown IDX element type 0x" + std::to_string(type));
  }
  if (ndim == 0 || bytes.size() < 4 + 4 * std::size_t{ndim}) fail(what, "truncated IDX header");
  Shape shape;
  std::uint64_t numel = 1;
  for (std::size_t d = 0; d < ndim; ++d) {
    const std::uint32_t s = big_endian32(bytes, 4 + 4 * d);
    shape.push_back(s);
    if (s != 0 && numel > (kMaxTensorBytes / element_size(dtype_of(type))) / s) {
      fail(what, "shape " + shape_str(shape) + "... would load into more than " +
                     std::to_string(kMaxTensorBytes >> 30) + " GiB");
    }
    numel *= s;
  }
  const std::size_t offset = 4 + 4 * std::size_t{ndim};
  if (gz) bytes = gunzip_prefix(raw, offset + numel * elem, what);
  if (bytes.size() - offset < numel * elem) {
    fail(what, "shape " + shape_str(shape) + " needs " + std::to_string(numel * elem) +
                   " data bytes but the file has " + std::to_string(bytes.size() - offset) + " (truncated?)");
  }
  Tensor out = empty(shape, dtype_of(type));
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
  if (type == 0x08) {
    std::memcpy(out.data_ptr<std::uint8_t>(), p, numel);
    return out;
  }
  for (std::uint64_t i = 0; i < numel; ++i) {
    const unsigned char* e = p + i * elem;
    std::uint64_t be = 0;  // IDX stores multi-byte values big-endian
    for (std::size_t b = 0; b < elem; ++b) be = (be << 8) | e[b];
    switch (type) {
      case 0x09: out.data_ptr<std::int32_t>()[i] = static_cast<std::int8_t>(e[0]); break;
      case 0x0B: out.data_ptr<std::int32_t>()[i] = static_cast<std::int16_t>(be); break;
      case 0x0C: out.data_ptr<std::int32_t>()[i] = static_cast<std::int32_t>(be); break;
      case 0x0D: {
        const auto bits = static_cast<std::uint32_t>(be);
        float f;
        std::memcpy(&f, &bits, 4);
        out.data_ptr<float>()[i] = f;
        break;
      }
      default: {
        double f;
        std::memcpy(&f, &be, 8);
        out.data_ptr<double>()[i] = f;
        break;
      }
    }
  }
  return out;
}

Tensor load_idx(const std::string& path) { return parse_idx(read_file(path, "load_idx"), "'" + path + "'"); }

}  // namespace atrous
