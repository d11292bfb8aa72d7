// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/io/safetensors.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"

namespace atrous {
namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& what, const std::string& why) {
  throw std::runtime_error("load_safetensors: " + what + ": " + why);
}

const char* dtype_tag(const ScalarType t) { return dtype_names(t).safetensors; }

struct Entry {
  std::string dtype;
  Shape shape;
  std::int64_t begin = -1, end = -1;
};

// A non-negative JSON integer small enough for sizes and offsets, or a "malformed" failure.
std::int64_t size_value(const Json& v, const std::string& what, const std::string& where) {
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > (std::uint64_t{1} << 62)) {
    fail(what, "malformed JSON header: " + where + " must hold non-negative integers, got " + v.dump());
  }
  return static_cast<std::int64_t>(v.get<std::uint64_t>());
}

Shape size_array(const Json& v, const std::string& what, const std::string& where) {
  if (!v.is_array()) fail(what, "malformed JSON header: " + where + " must be an array, got " + v.dump());
  if (v.size() > 64) fail(what, where + " has more than 64 dimensions");
  Shape out;
  for (const Json& x : v) out.push_back(size_value(x, what, where));
  return out;
}

Entry entry_of(const std::string& name, const Json& v, const std::string& what) {
  if (!v.is_object()) fail(what, "malformed JSON header: tensor '" + name + "' must be an object");
  Entry e;
  for (const auto& [key, value] : v.items()) {
    if (key == "dtype" && value.is_string()) {
      e.dtype = value.get<std::string>();
    } else if (key == "shape") {
      e.shape = size_array(value, what, "the shape of tensor '" + name + "'");
    } else if (key == "data_offsets") {
      const Shape offsets = size_array(value, what, "the data_offsets of tensor '" + name + "'");
      if (offsets.size() != 2) fail(what, "tensor '" + name + "' needs two data_offsets");
      e.begin = offsets[0], e.end = offsets[1];
    } else {
      fail(what, "tensor '" + name + "' has an unknown field '" + key + "'");
    }
  }
  if (e.dtype.empty() || !v.contains("shape") || e.begin < 0) {
    fail(what, "tensor '" + name + "' lacks dtype, shape or data_offsets");
  }
  return e;
}

// The header's tensors by name. RFC 8259 JSON (nlohmann-json): escapes such as \n and \u00e9,
// which Python's json writes, decode as they should. A name given twice is refused, not
// silently the last one.
std::map<std::string, Entry> parse_header(const std::string& header, const std::string& what) {
  std::set<std::string> names;
  std::string twice;
  const Json::parser_callback_t note_names = [&](const int depth, const Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::key && depth == 1 && !names.insert(parsed.get<std::string>()).second) {
      twice = parsed.get<std::string>();
    }
    return true;
  };
  Json j;
  try {
    j = Json::parse(header, note_names);
  } catch (const Json::exception& e) {
    fail(what, std::string("malformed JSON header: ") + e.what());
  }
  if (!twice.empty()) fail(what, "tensor '" + twice + "' appears twice in the header");
  if (!j.is_object()) fail(what, "malformed JSON header: expected an object");
  std::map<std::string, Entry> entries;
  for (const auto& [name, value] : j.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) fail(what, "malformed JSON header: __metadata__ must be an object");
      continue;
    }
    entries[name] = entry_of(name, value, what);
  }
  return entries;
}

}  // namespace

std::string serialize_safetensors(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata) {
  std::vector<std::pair<std::string, Tensor>> sorted(tensors.begin(), tensors.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    check_arg(sorted[i].first != sorted[i - 1].first, "save_safetensors", "tensor name '", sorted[i].first,
              "' appears twice");
  }
  // Metadata first, then the tensors in name order (their data in the same order), as the
  // reference writer lays them out; the JSON writer escapes every name per RFC 8259.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::string data;
  for (const auto& [name, tensor] : sorted) {
    const Tensor t = native::contiguous(tensor);
    const auto bytes = static_cast<std::size_t>(t.numel()) * t.element_size();
    header[name] = {
        {"dtype", dtype_tag(t.dtype())}, {"shape", t.sizes()}, {"data_offsets", {data.size(), data.size() + bytes}}};
    data.append(static_cast<const char*>(t.raw_data()), bytes);
  }
  std::string h;
  try {
    h = header.dump();
  } catch (const nlohmann::ordered_json::exception& e) {  // e.g. a name that is not UTF-8
    check_arg(false, "save_safetensors", "cannot write the header: ", e.what());
  }
  h.append((8 - h.size() % 8) % 8, ' ');  // align the data to 8 bytes, as the reference writer does
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xff);
  return out + h + data;
}

NamedTensors parse_safetensors(const std::string& bytes, const std::string& what) {
  if (bytes.rfind("PK\x03\x04", 0) == 0) {
    fail(what,
         "this is a PyTorch .pt (zip) checkpoint, which atrous does not read; convert it to safetensors with "
         "tools/state_dict_safetensors.py to-safetensors");
  }
  if (bytes.size() < 8) fail(what, "file of " + std::to_string(bytes.size()) + " bytes is too short for a header");
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  if (n > bytes.size() - 8) {
    fail(what,
         "header claims " + std::to_string(n) + " bytes but only " + std::to_string(bytes.size() - 8) + " follow");
  }
  const std::string header = bytes.substr(8, n);
  const std::map<std::string, Entry> entries = parse_header(header, what);
  const std::size_t data_size = bytes.size() - 8 - n;
  NamedTensors out;
  for (const auto& [name, e] : entries) {
    ScalarType dtype{};
    bool known = false;
    for (const DtypeNames& d : kDtypeNames) {
      if (e.dtype == d.safetensors) dtype = d.dtype, known = true;
    }
    if (!known) {
      fail(what, "tensor '" + name + "' has unsupported dtype " + e.dtype +
                     " (atrous reads F32, F64, I64, I32, U8 and BOOL)");
    }
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
