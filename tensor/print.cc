// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/print.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "atrous/tensor/ops/view.h"

namespace atrous {
namespace {

constexpr int kLineWidth = 80;
constexpr std::int64_t kThreshold = 1000;
constexpr std::int64_t kEdgeItems = 3;

std::string printf_str(const char* fmt, const double v) {
  char buf[512];  // %.4f of 1e308 needs 314 characters
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Python's spelling of non-finite floats.
std::string non_finite(const double v) { return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"); }

// PyTorch's _Formatter: chooses a mode and one column width from the values to be shown.
class Formatter {
 public:
  Formatter(const std::vector<double>& values, const bool floating) : floating_(floating) {
    if (!floating_) {
      for (const double v : values) width_ = std::max(width_, std::to_string(static_cast<std::int64_t>(v)).size());
      return;
    }
    std::vector<double> finite;
    for (const double v : values) {
      if (std::isfinite(v) && v != 0) finite.push_back(std::abs(v));
    }
    if (finite.empty()) return;
    const double lo = *std::min_element(finite.begin(), finite.end());
    const double hi = *std::max_element(finite.begin(), finite.end());
    int_mode_ = std::all_of(finite.begin(), finite.end(), [](const double v) { return v == std::ceil(v); });
    for (const double v : values) {
      if (!std::isfinite(v) || v == 0) continue;
      if (int_mode_) {
        sci_ = hi / lo > 1000 || hi > 1e8;
        width_ = std::max(width_, sci_ ? printf_str("%.4e", v).size() : printf_str("%.0f", v).size() + 1);
      } else {
        sci_ = hi / lo > 1000 || hi > 1e8 || lo < 1e-4;
        width_ = std::max(width_, printf_str(sci_ ? "%.4e" : "%.4f", v).size());
      }
    }
  }

  std::size_t width() const { return width_; }

  std::string format(const double v) const {
    std::string s;
    if (!floating_) {
      s = std::to_string(static_cast<std::int64_t>(v));
    } else if (!std::isfinite(v)) {
      s = non_finite(v);
    } else if (sci_) {
      s = printf_str("%.4e", v);
    } else if (int_mode_) {
      s = printf_str("%.0f", v) + ".";
    } else {
      s = printf_str("%.4f", v);
    }
    return std::string(width_ > s.size() ? width_ - s.size() : 0, ' ') + s;
  }

 private:
  bool floating_;
  bool int_mode_ = true;
  bool sci_ = false;
  std::size_t width_ = 1;
};

std::vector<double> values_of(const Tensor& t) {
  std::vector<double> v(static_cast<std::size_t>(t.numel()));
  for (std::int64_t i = 0; i < t.numel(); ++i) v[static_cast<std::size_t>(i)] = value_at(t, i);
  return v;
}

// The elements a summarised print shows: the first and last kEdgeItems along every dim.
std::vector<double> summarized_values(const Tensor& t, const bool summarize) {
  if (!summarize || t.dim() == 0) return values_of(t);
  const std::int64_t n = t.sizes()[0];
  std::vector<std::int64_t> rows;
  if (n > 2 * kEdgeItems) {
    for (std::int64_t i = 0; i < kEdgeItems; ++i) rows.push_back(i);
    for (std::int64_t i = n - kEdgeItems; i < n; ++i) rows.push_back(i);
  } else {
    for (std::int64_t i = 0; i < n; ++i) rows.push_back(i);
  }
  std::vector<double> out;
  for (const std::int64_t r : rows) {
    const Tensor row = native::select(t, 0, r);
    const std::vector<double> v = t.dim() == 1 ? values_of(row) : summarized_values(row, true);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? sep : "") + parts[i];
  return s;
}

std::string body(const Tensor& t, const int indent, const bool summarize, const Formatter& f) {
  if (t.dim() == 0) return f.format(value_at(t, 0));
  const std::int64_t n = t.sizes()[0];
  const bool cut = summarize && n > 2 * kEdgeItems;
  if (t.dim() == 1) {
    const auto element_length = static_cast<int>(f.width()) + 2;
    const int per_line = std::max(1, (kLineWidth - indent) / element_length);
    std::vector<std::string> data;
    for (std::int64_t i = 0; i < n; ++i) {
      if (cut && i == kEdgeItems) {
        data.emplace_back(" ...");
        i = n - kEdgeItems;
      }
      data.push_back(f.format(value_at(t, i)));
    }
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < data.size(); i += static_cast<std::size_t>(per_line)) {
      const auto end = std::min(data.size(), i + static_cast<std::size_t>(per_line));
      lines.push_back(
          join({data.begin() + static_cast<std::ptrdiff_t>(i), data.begin() + static_cast<std::ptrdiff_t>(end)}, ", "));
    }
    return "[" + join(lines, ",\n" + std::string(static_cast<std::size_t>(indent) + 1, ' ')) + "]";
  }
  std::vector<std::string> slices;
  for (std::int64_t i = 0; i < n; ++i) {
    if (cut && i == kEdgeItems) {
      slices.emplace_back("...");
      i = n - kEdgeItems;
    }
    slices.push_back(body(native::select(t, 0, i), indent + 1, summarize, f));
  }
  const std::string sep = "," + std::string(static_cast<std::size_t>(t.dim() - 1), '\n') +
                          std::string(static_cast<std::size_t>(indent) + 1, ' ');
  return "[" + join(slices, sep) + "]";
}

}  // namespace

std::string tensor_repr(const Tensor& t, const std::vector<std::string>& extra) {
  const std::string prefix = "tensor(";
  const int indent = static_cast<int>(prefix.size());
  std::vector<std::string> suffixes;
  std::string text;
  if (t.numel() == 0) {
    if (t.dim() != 1) {
      std::vector<std::string> sizes;
      for (const std::int64_t s : t.sizes()) sizes.push_back(std::to_string(s));
      suffixes.push_back("size=(" + join(sizes, ", ") + ")");
    }
    text = "[]";
  } else {
    const bool summarize = t.numel() > kThreshold;
    const Formatter f(summarized_values(t, summarize), is_floating(t.dtype()));
    text = body(t, indent, summarize, f);
  }
  if (t.dtype() == kFloat64) suffixes.emplace_back("dtype=atrous.float64");
  suffixes.insert(suffixes.end(), extra.begin(), extra.end());
  // PyTorch's _add_suffixes: a suffix that would pass column 80 goes on its own line.
  std::string out = prefix + text;
  const std::size_t newline = out.rfind('\n');
  std::size_t last_line = newline == std::string::npos ? out.size() + 2 : out.size() - newline + 1;
  for (const std::string& s : suffixes) {
    if (last_line + s.size() + 2 > static_cast<std::size_t>(kLineWidth)) {
      out += ",\n" + std::string(static_cast<std::size_t>(indent), ' ') + s;
      last_line = static_cast<std::size_t>(indent) + s.size();
    } else {
      out += ", " + s;
      last_line += s.size() + 2;
    }
  }
  return out + ")";
}

}  // namespace atrous
