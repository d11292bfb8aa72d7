// SPDX-License-Identifier: Apache-2.0
// OrderedDict<Key, Value>: insertion-ordered items reachable by key, as libtorch's
// torch::OrderedDict (what named_parameters(), named_buffers() and named_children() return).
// Items have key() and value() and also unpack with structured bindings: `for (auto& [k, v] : d)`.
#pragma once

#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace atrous {

// One key and its value.
template <typename Key, typename Value>
class OrderedDictItem {
 public:
  OrderedDictItem(Key key, Value value) : pair_(std::move(key), std::move(value)) {}
  const Key& key() const noexcept { return pair_.first; }
  Value& value() noexcept { return pair_.second; }
  const Value& value() const noexcept { return pair_.second; }
  Value& operator*() noexcept { return value(); }
  Value* operator->() noexcept { return &value(); }
  const std::pair<Key, Value>& pair() const noexcept { return pair_; }

  template <std::size_t I>
  decltype(auto) get() const {
    if constexpr (I == 0)
      return (pair_.first);
    else
      return (pair_.second);
  }
  template <std::size_t I>
  decltype(auto) get() {
    if constexpr (I == 0)
      return (std::as_const(pair_.first));
    else
      return (pair_.second);
  }

 private:
  std::pair<Key, Value> pair_;
};

template <typename Key, typename Value>
class OrderedDict {
 public:
  using Item = OrderedDictItem<Key, Value>;

  // `key_description` names what the keys are in error messages ("Parameter", "Module").
  explicit OrderedDict(std::string key_description = "Key") : key_description_(std::move(key_description)) {}
  OrderedDict(std::initializer_list<Item> items) {
    for (const Item& item : items) insert(item.key(), item.value());
  }

  // Appends; a key already present is an error, as in libtorch.
  Value& insert(Key key, Value value) {
    if (index_.count(key) != 0) {
      throw std::invalid_argument(key_description_ + " '" + describe(key) + "' already defined");
    }
    index_.emplace(key, items_.size());
    items_.emplace_back(std::move(key), std::move(value));
    return items_.back().value();
  }
  // Inserts, or replaces the value of an existing key in place.
  Value& insert_or_assign(const Key& key, Value value) {
    if (Value* found = find(key)) return *found = std::move(value);
    return insert(key, std::move(value));
  }

  Value* find(const Key& key) noexcept {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  const Value* find(const Key& key) const noexcept {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  bool contains(const Key& key) const noexcept { return index_.count(key) != 0; }

  Value& operator[](const Key& key) { return at(key); }
  const Value& operator[](const Key& key) const { return const_cast<OrderedDict&>(*this).at(key); }

  std::size_t size() const noexcept { return items_.size(); }
  bool is_empty() const noexcept { return items_.empty(); }
  void clear() {
    items_.clear();
    index_.clear();
  }

  Item& front() { return items_.front(); }
  Item& back() { return items_.back(); }
  auto begin() noexcept { return items_.begin(); }
  auto end() noexcept { return items_.end(); }
  auto begin() const noexcept { return items_.begin(); }
  auto end() const noexcept { return items_.end(); }
  const std::vector<Item>& items() const noexcept { return items_; }

  std::vector<Key> keys() const {
    std::vector<Key> out;
    out.reserve(items_.size());
    for (const Item& item : items_) out.push_back(item.key());
    return out;
  }
  std::vector<Value> values() const {
    std::vector<Value> out;
    out.reserve(items_.size());
    for (const Item& item : items_) out.push_back(item.value());
    return out;
  }
  std::vector<std::pair<Key, Value>> pairs() const {
    std::vector<std::pair<Key, Value>> out;
    out.reserve(items_.size());
    for (const Item& item : items_) out.push_back(item.pair());
    return out;
  }

 private:
  Value& at(const Key& key) {
    if (Value* found = find(key)) return *found;
    std::string known;
    for (const Item& item : items_) known += (known.empty() ? "" : ", ") + describe(item.key());
    throw std::out_of_range("OrderedDict: " + key_description_ + " '" + describe(key) +
                            "' is not defined; the keys are [" + known + "]");
  }
  static std::string describe(const Key& key) {
    std::ostringstream os;
    os << key;
    return os.str();
  }

  std::string key_description_ = "Key";
  std::vector<Item> items_;
  std::unordered_map<Key, std::size_t> index_;
};

}  // namespace atrous

template <typename Key, typename Value>
struct std::tuple_size<atrous::OrderedDictItem<Key, Value>> : std::integral_constant<std::size_t, 2> {};
template <typename Key, typename Value>
struct std::tuple_element<0, atrous::OrderedDictItem<Key, Value>> {
  using type = const Key;
};
template <typename Key, typename Value>
struct std::tuple_element<1, atrous::OrderedDictItem<Key, Value>> {
  using type = Value;
};
