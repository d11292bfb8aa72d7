// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/io/npy.h"

#include <cctype>
#include <cstring>
#include <sstream>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/io/file.h"
#include "atrous/tensor/ops/view.h"

namespace atrous {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

const char* descr_of(const ScalarType t) { return dtype_names(t).npy; }

[[noreturn]] void fail(const std::string& what, const std::string& why) {
  throw std::runtime_error("load_npy: " + what + ": " + why);
}

// A tiny parser for the header's Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
 public:
  HeaderParser(std::string text, std::string what) : s_(std::move(text)), what_(std::move(what)) {}

  void parse(std::string& descr, bool& fortran, Shape& shape) {
    bool has_descr = false, has_order = false, has_shape = false;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = string_literal();
      expect(':');
      skip_space();
      if (key == "descr") {
        descr = string_literal();
        has_descr = true;
      } else if (key == "fortran_order") {
        fortran = boolean();
        has_order = true;
      } else if (key == "shape") {
        shape = tuple();
        has_shape = true;
      } else {
        fail(what_, "unexpected key '" + key + "' in header");
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      break;
    }
    expect('}');
    if (!has_descr || !has_order || !has_shape) fail(what_, "header lacks 'descr', 'fortran_order' or 'shape'");
  }

 private:
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void expect(const char c) {
    skip_space();
    if (peek() != c)
      fail(what_, std::string("malformed header: expected '") + c + "' at offset " + std::to_string(pos_));
    ++pos_;
  }
  std::string string_literal() {
    skip_space();
    const char q = peek();
    if (q != '\'' && q != '"')
      fail(what_, "malformed header: expected a quoted string at offset " + std::to_string(pos_));
    const std::size_t end = s_.find(q, pos_ + 1);
    if (end == std::string::npos) fail(what_, "malformed header: unterminated string");
    std::string v = s_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return v;
  }
  bool boolean() {
    if (s_.compare(pos_, 4, "True") == 0) return pos_ += 4, true;
    if (s_.compare(pos_, 5, "False") == 0) return pos_ += 5, false;
    fail(what_, "malformed header: fortran_order must be True or False");
  }
  Shape tuple() {
    expect('(');
    Shape shape;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      std::int64_t v = 0;
      std::size_t digits = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        if (++digits > 18) fail(what_, "shape dimension has too many digits");
        v = v * 10 + (s_[pos_++] - '0');
      }
      if (digits == 0) fail(what_, "malformed header: expected a non-negative integer in 'shape'");
      shape.push_back(v);
      if (shape.size() > 64) fail(what_, "shape has more than 64 dimensions");
      skip_space();
      if (peek() == ',')
        ++pos_;
      else
        break;
    }
    expect(')');
    return shape;
  }

  std::string s_;
  std::string what_;
  std::size_t pos_ = 0;
};

}  // namespace

void save_npy(const std::string& path, const Tensor& t) {
  const Tensor c = native::contiguous(t);
  std::ostringstream dict;
  dict << "{'descr': '" << descr_of(c.dtype()) << "', 'fortran_order': False, 'shape': (";
  for (std::int64_t d = 0; d < c.dim(); ++d) dict << c.sizes()[d] << (c.dim() == 1 || d + 1 < c.dim() ? ", " : "");
  std::string header = dict.str();
  if (c.dim() == 1) header.pop_back();  // "(3,)" as NumPy writes it
  header += "), }";
  // Pad with spaces so data starts on a 64-byte boundary, ending with '\n' (format 1.0).
  const std::size_t total = kMagicLen + 2 + 2 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  check_arg(header.size() <= 65535, "save_npy", "header of ", header.size(), " bytes is too long for format 1.0");
  std::string bytes(kMagic, kMagicLen);
  bytes += {1, 0};  // version 1.0
  bytes += {static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8)};
  bytes += header;
  bytes.append(static_cast<const char*>(c.raw_data()), static_cast<std::size_t>(c.numel()) * c.element_size());
  write_file_atomically(path, bytes, "save_npy");
}

Tensor parse_npy(const std::string& bytes, const std::string& what) {
  if (bytes.size() < kMagicLen + 4 || std::memcmp(bytes.data(), kMagic, kMagicLen) != 0) {
    fail(what, "not a .npy file (missing the \\x93NUMPY magic string)");
  }
  const auto major = static_cast<unsigned char>(bytes[6]);
  if (major < 1 || major > 3) fail(what, "unsupported .npy format version " + std::to_string(major));
  std::size_t header_len = 0, pos = 8;
  if (major == 1) {
    header_len =
        static_cast<unsigned char>(bytes[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    pos = 10;
  } else {
    if (bytes.size() < 12) fail(what, "truncated header length");
    for (int i = 3; i >= 0; --i)
      header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(i)]);
    pos = 12;
  }
  if (header_len > bytes.size() - pos) {
    fail(what, "header claims " + std::to_string(header_len) + " bytes but only " + std::to_string(bytes.size() - pos) +
                   " follow");
  }
  std::string descr;
  bool fortran = false;
  Shape shape;
  HeaderParser(bytes.substr(pos, header_len), what).parse(descr, fortran, shape);
  pos += header_len;

  // '=' (native order) is '<' here; one-byte types have neither.
  const DtypeNames* known = nullptr;
  for (const DtypeNames& d : kDtypeNames) {
    const std::string tag = d.npy;
    if (descr == tag || (tag[0] == '<' && descr == "=" + tag.substr(1))) known = &d;
  }
  if (known == nullptr) {
    fail(what, "unsupported dtype '" + descr + "' (atrous reads little-endian <f4, <f8, <i8, <i4, |u1 and |b1)");
  }
  const ScalarType dtype = known->dtype;

  std::int64_t numel = 1;
  for (const std::int64_t s : shape) {
    if (s != 0 && numel > (std::int64_t{1} << 60) / s) fail(what, "shape " + shape_str(shape) + " is too large");
    numel *= s;
  }
  const std::size_t need = static_cast<std::size_t>(numel) * element_size(dtype);
  if (bytes.size() - pos < need) {
    fail(what, "shape " + shape_str(shape) + " of " + dtype_name(dtype) + " needs " + std::to_string(need) +
                   " data bytes but the file has " + std::to_string(bytes.size() - pos) + " (truncated?)");
  }
  if (!fortran) return from_blob(bytes.data() + pos, shape, dtype);
  // Fortran order: the data is the row-major image of the reversed shape.
  const Shape reversed(shape.rbegin(), shape.rend());
  Shape perm;
  for (std::int64_t d = static_cast<std::int64_t>(shape.size()) - 1; d >= 0; --d) perm.push_back(d);
  return native::contiguous(native::permute(from_blob(bytes.data() + pos, reversed, dtype), perm));
}

Tensor load_npy(const std::string& path) { return parse_npy(read_file(path, "load_npy"), "'" + path + "'"); }

}  // namespace atrous
