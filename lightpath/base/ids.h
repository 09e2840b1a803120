// Identifiers with a readable prefix ("conn_", "ord_", "evt_"): 20 base-32 characters of
// randomness (100 bits) after it, so ids never collide in practice and say what they name.
#pragma once

#include <string>
#include <string_view>

#include "lightpath/base/random.h"

namespace lightpath {

inline std::string newId(std::string_view prefix, Random& random) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford, lower case
  std::string id(prefix);
  id += '_';
  std::uint64_t bits = random.next();
  for (int i = 0; i < 20; ++i) {
    if (i == 12) bits = random.next();  // 12 x 5 = 60 bits from the first draw, 40 from the second
    id += kAlphabet[bits & 31];
    bits >>= 5;
  }
  return id;
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
