// Identifiers with a readable prefix ("conn_", "ord_", "evt_"): 20 base-32 characters of
// randomness (100 bits) after it, so ids never collide in practice and say what they name.
#pragma once

#include <string>
#include <string_view>

#include "lightpath/base/random.h"

namespace lightpath {

// The id made of two 64-bit draws: 60 bits of the first and 40 of the second.
inline std::string idFromBits(std::string_view prefix, std::uint64_t first, std::uint64_t second) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford, lower case
  std::string id(prefix);
  id += '_';
  std::uint64_t bits = first;
  for (int i = 0; i < 20; ++i) {
    if (i == 12) bits = second;
    id += kAlphabet[bits & 31];
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

// True for "prefix_" followed by 20 characters of the alphabet above.
inline bool isId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 21 || id.substr(0, prefix.size()) != prefix ||
      id[prefix.size()] != '_') {
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
