#include "tensor/io/safetensors.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "tensor/factory.h"
#include "tensor/ops/view.h"

namespace atrous {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& why) {
  throw std::runtime_error("load_safetensors: " + what + ": " + why);
}

const char* dtype_tag(const ScalarType t) {
  switch (t) {
    case ScalarType::Float32: return "F32";
    case ScalarType::Float64: return "F64";
    case ScalarType::Int64: return "I64";
  }
  return "";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A minimal JSON reader for the safetensors header: objects, strings, integers and arrays of
// integers, with every index checked.
class Json {
 public:
  Json(const std::string& text, std::string what) : s_(text), what_(std::move(what)) {}

  struct Entry {
    std::string dtype;
    Shape shape;
    std::int64_t begin = -1, end = -1;
  };

  std::map<std::string, Entry> parse() {
    std::map<std::string, Entry> entries;
    expect('{');
    if (peek() == '}') return ++pos_, entries;
    while (true) {
      const std::string key = string();
      expect(':');
      if (key == "__metadata__") {
        skip_string_map();
      } else {
        if (entries.count(key)) fail(what_, "tensor '" + key + "' appears twice in the header");
        entries[key] = entry(key);
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      break;
    }
    skip_space();
    if (pos_ != s_.size()) fail(what_, "unexpected text after the JSON header");
    return entries;
  }

 private:
  char peek() {
    skip_space();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void expect(const char c) {
    if (peek() != c) fail(what_, std::string("malformed JSON header: expected '") + c + "' at offset " + std::to_string(pos_));
    ++pos_;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      if (s_[pos_] == '\\') {
        if (++pos_ >= s_.size()) break;
      }
      out += s_[pos_++];
    }
    if (pos_ >= s_.size()) fail(what_, "malformed JSON header: unterminated string");
    ++pos_;
    return out;
  }
  std::int64_t integer() {
    skip_space();
    std::int64_t v = 0;
    std::size_t digits = 0;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      if (++digits > 18) fail(what_, "integer with too many digits in the header");
      v = v * 10 + (s_[pos_++] - '0');
    }
    if (digits == 0) fail(what_, "malformed JSON header: expected a non-negative integer at offset " + std::to_string(pos_));
    return v;
  }
  Shape int_array() {
    Shape v;
    expect('[');
    if (peek() == ']') return ++pos_, v;
    while (true) {
      v.push_back(integer());
      if (v.size() > 64) fail(what_, "shape with more than 64 dimensions");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return v;
    }
  }
  void skip_string_map() {
    expect('{');
    if (peek() == '}') return void(++pos_);
    while (true) {
      string();
      expect(':');
      string();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return;
    }
  }
  Entry entry(const std::string& name) {
    Entry e;
    bool has_dtype = false, has_shape = false, has_offsets = false;
    expect('{');
    while (true) {
      const std::string key = string();
      expect(':');
      if (key == "dtype") {
        e.dtype = string();
        has_dtype = true;
      } else if (key == "shape") {
        e.shape = int_array();
        has_shape = true;
      } else if (key == "data_offsets") {
        const Shape offsets = int_array();
        if (offsets.size() != 2) fail(what_, "tensor '" + name + "' needs two data_offsets");
        e.begin = offsets[0], e.end = offsets[1];
        has_offsets = true;
      } else {
        fail(what_, "tensor '" + name + "' has an unknown field '" + key + "'");
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      break;
    }
    if (!has_dtype || !has_shape || !has_offsets) {
      fail(what_, "tensor '" + name + "' lacks dtype, shape or data_offsets");
    }
    return e;
  }

  const std::string& s_;
  std::string what_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string serialize_safetensors(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata) {
  std::vector<std::pair<std::string, Tensor>> sorted(tensors.begin(), tensors.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    check_arg(sorted[i].first != sorted[i - 1].first, "save_safetensors", "tensor name '", sorted[i].first,
              "' appears twice");
  }
  std::ostringstream header;
  header << "{";
  if (!metadata.empty()) {
    header << "\"__metadata__\":{";
    bool first = true;
    for (const auto& [k, v] : metadata) {
      header << (first ? "" : ",") << json_string(k) << ":" << json_string(v);
      first = false;
    }
    header << "}" << (sorted.empty() ? "" : ",");
  }
  std::string data;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const Tensor t = native::contiguous(sorted[i].second);
    const auto bytes = static_cast<std::size_t>(t.numel()) * t.element_size();
    header << (i ? "," : "") << json_string(sorted[i].first) << ":{\"dtype\":\"" << dtype_tag(t.dtype())
           << "\",\"shape\":[";
    for (std::int64_t d = 0; d < t.dim(); ++d) header << (d ? "," : "") << t.sizes()[static_cast<std::size_t>(d)];
    header << "],\"data_offsets\":[" << data.size() << "," << data.size() + bytes << "]}";
    data.append(static_cast<const char*>(t.raw_data()), bytes);
  }
  header << "}";
  std::string h = header.str();
  h.append((8 - h.size() % 8) % 8, ' ');  // align the data to 8 bytes, as the reference writer does
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xff);
  return out + h + data;
}

NamedTensors parse_safetensors(const std::string& bytes, const std::string& what) {
  if (bytes.size() < 8) fail(what, "file of " + std::to_string(bytes.size()) + " bytes is too short for a header");
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  if (n > bytes.size() - 8) {
    fail(what, "header claims " + std::to_string(n) + " bytes but only " + std::to_string(bytes.size() - 8) + " follow");
  }
  const std::string header = bytes.substr(8, n);
  const std::map<std::string, Json::Entry> entries = Json(header, what).parse();
  const std::size_t data_size = bytes.size() - 8 - n;
  NamedTensors out;
  for (const auto& [name, e] : entries) {
    ScalarType dtype{};
    if (e.dtype == "F32") dtype = kFloat32;
    else if (e.dtype == "F64") dtype = kFloat64;
    else if (e.dtype == "I64") dtype = kInt64;
    else fail(what, "tensor '" + name + "' has unsupported dtype " + e.dtype + " (atrous reads F32, F64 and I64)");
    std::int64_t numel = 1;
    for (const std::int64_t s : e.shape) {
      if (s != 0 && numel > (std::int64_t{1} << 60) / s) fail(what, "tensor '" + name + "' has too many elements");
      numel *= s;
    }
    const auto need = static_cast<std::uint64_t>(numel) * element_size(dtype);
    if (e.begin > e.end || static_cast<std::uint64_t>(e.end) > data_size ||
        static_cast<std::uint64_t>(e.end - e.begin) != need) {
      fail(what, "tensor '" + name + "' of shape " + shape_str(e.shape) + " and dtype " + e.dtype + " needs " +
                     std::to_string(need) + " bytes, but its data_offsets [" + std::to_string(e.begin) + ", " +
                     std::to_string(e.end) + "] do not fit the " + std::to_string(data_size) + " data bytes");
    }
    out.emplace_back(name, from_blob(bytes.data() + 8 + n + e.begin, e.shape, dtype));
  }
  return out;
}

void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
  write_file_atomically(path, serialize_safetensors(tensors, metadata), "save_safetensors");
}

NamedTensors load_safetensors(const std::string& path) {
  return parse_safetensors(read_file(path, "load_safetensors"), "'" + path + "'");
}

}  // namespace atrous
