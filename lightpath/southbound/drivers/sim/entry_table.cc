// A simulated device's running configuration, kept small.
#include "lightpath/southbound/drivers/sim/entry_table.h"

#include <cstring>
#include <vector>

namespace lightpath {
namespace {

constexpr std::size_t kMaxWords = 65'536;
constexpr char kOwnerFromKey = 0;  // the owner's token when the key names it

void appendVarint(std::string& out, std::uint64_t v) {
  for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7f) | 0x80);
  out += static_cast<char>(v);
}

// "evc/<connection>/<leg>" -> "<connection>": the owner of every entry Lightpath writes.
std::string_view ownerInKey(std::string_view key) {
  const std::size_t first = key.find('/');
  if (first == std::string_view::npos) return {};
  const std::size_t second = key.find('/', first + 1);
  return key.substr(first + 1, second == std::string_view::npos ? second : second - first - 1);
}

}  // namespace

std::string_view EntryTable::keyOf(const char* block) {
  const char* at = block + sizeof(Counter);
  const std::uint64_t key_length = readVarint(at);
  (void)readVarint(at);
  return {at, key_length};
}

std::pair<const char*, const char*> EntryTable::Ref::tokens() const {
  const char* at = block_ + sizeof(Counter);
  const std::uint64_t key_length = readVarint(at);
  const std::uint64_t token_length = readVarint(at);
  at += key_length;
  return {at, at + token_length};
}

std::string_view EntryTable::Ref::key() const { return keyOf(block_); }

std::string_view EntryTable::Ref::owner() const {
  const char* at = tokens().first;
  if (*at == kOwnerFromKey) return ownerInKey(key());
  return table_->word(at);
}

EntryTable::Counter EntryTable::Ref::counter() const {
  Counter counter;
  std::memcpy(&counter, block_, sizeof counter);  // the block is bytes: no alignment
  return counter;
}

void EntryTable::Ref::setCounter(Counter counter) const {
  std::memcpy(block_, &counter, sizeof counter);
}

std::string_view EntryTable::Ref::value(std::string_view name) const {
  std::string_view found;
  forEachValue([&](std::string_view n, std::string_view v) {
    if (n == name) found = v;
  });
  return found;
}

ConfigEntry EntryTable::Ref::entry() const {
  ConfigEntry entry{std::string(key()), std::string(owner()), {}};
  forEachValue([&](std::string_view name, std::string_view value) {
    entry.values.emplace_hint(entry.values.end(), name, value);
  });
  return entry;
}

void EntryTable::appendWord(std::string& tokens, std::string_view word) {
  auto known = word_ids_.find(word);
  if (known == word_ids_.end() && words_.size() < kMaxWords) {
    const std::string& kept = words_.emplace_back(word);
    known = word_ids_.emplace(kept, static_cast<std::uint32_t>(words_.size() - 1)).first;
  }
  if (known != word_ids_.end()) {
    appendVarint(tokens, (std::uint64_t{known->second} + 1) << 1);
  } else {
    appendVarint(tokens, (std::uint64_t{word.size()} << 1) | 1);
    tokens.append(word);
  }
}

std::string_view EntryTable::word(const char*& at) const {
  const std::uint64_t token = readVarint(at);
  if (token & 1) {
    const std::string_view literal(at, token >> 1);
    at += literal.size();
    return literal;
  }
  return words_[(token >> 1) - 1];
}

void EntryTable::set(std::string_view key, std::string_view owner, std::span<const Value> values,
                     Counter counter) {
  std::string tokens;
  if (!owner.empty() && owner == ownerInKey(key)) {
    tokens += kOwnerFromKey;
  } else {  // written out: owners are as many as connections, no dictionary's words
    appendVarint(tokens, (std::uint64_t{owner.size()} << 1) | 1);
    tokens.append(owner);
  }
  for (const auto& [name, value] : values) {
    appendWord(tokens, name);
    appendWord(tokens, value);
  }
  std::string header;
  appendVarint(header, key.size());
  appendVarint(header, tokens.size());
  const std::size_t size = sizeof counter + header.size() + key.size() + tokens.size();
  Block block{std::make_unique_for_overwrite<char[]>(size)};
  char* at = block.bytes.get();
  std::memcpy(at, &counter, sizeof counter);
  at += sizeof counter;
  at = std::copy(header.begin(), header.end(), at);
  at = std::copy(key.begin(), key.end(), at);
  std::copy(tokens.begin(), tokens.end(), at);
  // Journals and tables list keys in order: a key after the last goes on without a search.
  auto place = blocks_.end();
  if (!blocks_.empty() && !(keyOf(std::prev(place)->bytes.get()) < key))
    place = blocks_.lower_bound(key);
  if (place != blocks_.end() && keyOf(place->bytes.get()) == key)
    place->bytes = std::move(block.bytes);  // the same key: its place in the order holds
  else
    blocks_.insert(place, std::move(block));
}

void EntryTable::set(const ConfigEntry& entry, Counter counter) {
  std::vector<Value> values(entry.values.begin(), entry.values.end());
  set(entry.key, entry.owner, values, counter);
}

bool EntryTable::erase(std::string_view key) {
  auto found = blocks_.find(key);
  if (found == blocks_.end()) return false;
  blocks_.erase(found);
  return true;
}

std::optional<EntryTable::Ref> EntryTable::find(std::string_view key) const {
  auto found = blocks_.find(key);
  if (found == blocks_.end()) return std::nullopt;
  return Ref(this, found->bytes.get());
}

}  // namespace lightpath
