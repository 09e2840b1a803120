// Identifiers with a readable prefix ("conn_", "ord_", "evt_") that say what they name and never
// collide in practice. Made in production (secureId, base/crypto.h): 26 base-32 characters, the
// time in milliseconds (10) then 80 random bits (16), so ids sort by when they were made (as
// ULIDs do) and lists page by id in a stable order. Seeded ones (tests, simulations): 20
// characters of randomness (100 bits).
#pragma once

#include <string>
#include <string_view>

#include "lightpath/base/random.h"

namespace lightpath {

// Crockford's base 32 in lower case: ascending in ASCII, so ids sort as their values.
inline constexpr char kIdAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

// The id made of two 64-bit draws: 60 bits of the first and 40 of the second.
inline std::string idFromBits(std::string_view prefix, std::uint64_t first, std::uint64_t second) {
  std::string id(prefix);
  id += '_';
  std::uint64_t bits = first;
  for (int i = 0; i < 20; ++i) {
    if (i == 12) bits = second;
    id += kIdAlphabet[bits & 31];
    bits >>= 5;
  }
  return id;
}

// From a seeded generator: reproducible, for tests and simulations. Ids anyone may see in
// production come from secureId() (base/crypto.h): a generator's outputs would predict the
// next ids.
inline std::string newId(std::string_view prefix, Random& random) {
  const std::uint64_t first = random.next();
  return idFromBits(prefix, first, random.next());
}

// "prefix_" and the time in milliseconds since 1970 as 10 base-32 characters, most significant
// first: every time-sortable id made at `ms` or later sorts after it, every one made before
// sorts before it (list filters by creation time).
inline std::string idTimePrefix(std::string_view prefix, std::uint64_t ms) {
  std::string id(prefix);
  id += '_';
  for (int i = 9; i >= 0; --i) id += kIdAlphabet[(ms >> (5 * i)) & 31];
  return id;
}

// The time-sortable id of `ms` with 80 random bits (64 of `first`, 16 of `second`).
inline std::string timeSortableId(std::string_view prefix, std::uint64_t ms, std::uint64_t first,
                                  std::uint64_t second) {
  std::string id = idTimePrefix(prefix, ms);
  for (int i = 0; i < 16; ++i) {
    if (i == 12) first = second;  // 12 x 5 = 60 bits of the first, 20 of the second
    id += kIdAlphabet[first & 31];
    first >>= 5;
  }
  return id;
}

// True for "prefix_" followed by 20 (seeded) or 26 (time-sortable) characters of the alphabet.
inline bool isId(std::string_view id, std::string_view prefix) {
  if ((id.size() != prefix.size() + 21 && id.size() != prefix.size() + 27) ||
      id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') {
    return false;
  }
  for (char c : id.substr(prefix.size() + 1)) {
    if (!((c >= '0' && c <= '9') ||
          (c >= 'a' && c <= 'z' && c != 'i' && c != 'l' && c != 'o' && c != 'u'))) {
      return false;
    }
  }
  return true;
}

}  // namespace lightpath
