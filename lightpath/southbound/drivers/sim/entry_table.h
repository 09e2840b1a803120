// A simulated device's running configuration, kept small: a large book puts millions of entries
// on a busy node, and a ConfigEntry (key, owner, a map of values) costs ~600 bytes of heap where
// the text it carries is ~150. Each entry here is one block — its counter, its key, then its
// owner and values as tokens — in a B-tree: ~90 bytes for a client service's entry.
//
// Tokens: the owner is left out when it is the key's second segment ("evc/<connection>/<leg>"
// is owned by <connection>, as every entry Lightpath writes is); names and values are words of
// the table's dictionary (port names, VLAN ids and rates repeat across thousands of entries),
// or written out once the dictionary is full (its first 65,536 distinct words).
#pragma once

#include <absl/container/btree_set.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "lightpath/base/clock.h"
#include "lightpath/southbound/device.h"

namespace lightpath {

class EntryTable {
 public:
  // An entry's traffic counter: the bytes carried up to `since`; from then on it counts at the
  // entry's rate.
  struct Counter {
    double bytes = 0;
    TimePoint since;
  };
  using Value = std::pair<std::string_view, std::string_view>;  // name, value

  // One kept entry, read in place; valid until the table changes.
  class Ref {
   public:
    std::string_view key() const;
    std::string_view owner() const;
    Counter counter() const;
    void setCounter(Counter counter) const;  // the entry's own bytes: its place does not move
    std::string_view value(std::string_view name) const;  // empty when it has none
    template <typename F>
    void forEachValue(F f) const;  // f(name, value), in name order
    ConfigEntry entry() const;

   private:
    friend class EntryTable;
    Ref(const EntryTable* table, char* block) : table_(table), block_(block) {}
    // The owner's token, then the values': [first, end).
    std::pair<const char*, const char*> tokens() const;
    const EntryTable* table_;
    char* block_;
  };

  // Sets `key` to the owner and values (sorted by name), replacing what it had.
  void set(std::string_view key, std::string_view owner, std::span<const Value> values,
           Counter counter);
  void set(const ConfigEntry& entry, Counter counter);
  bool erase(std::string_view key);  // false when there is no such key
  std::optional<Ref> find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key).has_value(); }
  std::size_t size() const { return blocks_.size(); }
  template <typename F>
  void forEach(F f) const {  // f(Ref), in key order
    for (const Block& b : blocks_) f(Ref(this, b.bytes.get()));
  }

 private:
  struct Block {
    mutable std::unique_ptr<char[]> bytes;  // counter, key's length, tokens' length, key, tokens
  };
  static std::string_view keyOf(const char* block);
  struct KeyLess {
    using is_transparent = void;
    bool operator()(const Block& a, const Block& b) const {
      return keyOf(a.bytes.get()) < keyOf(b.bytes.get());
    }
    bool operator()(const Block& a, std::string_view b) const { return keyOf(a.bytes.get()) < b; }
    bool operator()(std::string_view a, const Block& b) const { return a < keyOf(b.bytes.get()); }
  };
  void appendWord(std::string& tokens, std::string_view word);
  std::string_view word(const char*& at) const;  // reads one token

  // A B-tree: ~10 bytes a block to order them, where a red-black tree's node costs 48.
  absl::btree_set<Block, KeyLess> blocks_;
  std::deque<std::string> words_;  // a deque: the map's views stay valid as it grows
  std::unordered_map<std::string_view, std::uint32_t> word_ids_;
};

// Reads one varint (7 bits a byte, low first).
inline std::uint64_t readVarint(const char*& at) {
  std::uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*at++);
    v |= std::uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80u)) return v;
  }
}

template <typename F>
void EntryTable::Ref::forEachValue(F f) const {
  auto [at, end] = tokens();
  if (*at == 0)
    ++at;  // the owner, from the key
  else
    (void)table_->word(at);
  while (at < end) {
    const std::string_view name = table_->word(at);
    f(name, table_->word(at));
  }
}

}  // namespace lightpath
