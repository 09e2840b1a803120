// Names of enumerations as they appear in files, flags and the API: one table per enum,
// looked up both ways, with an error that lists the names a reader may use.
//
//   constexpr std::array<std::pair<Colour, std::string_view>, 2> kColours{{{Colour::Red, "red"},
//   ...}}; std::string_view name = nameOf(Colour::Red, kColours); Result<Colour> c =
//   parseName("red", kColours, "colour");
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "lightpath/base/status.h"

namespace lightpath {

template <typename Enum, std::size_t N>
std::string_view nameOf(Enum value, const std::array<std::pair<Enum, std::string_view>, N>& names) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename Enum, std::size_t N>
Result<Enum> parseName(std::string_view text,
                       const std::array<std::pair<Enum, std::string_view>, N>& names,
                       std::string_view what) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  std::string expected;
  for (const auto& [value, name] : names) {
    if (!expected.empty()) expected += ", ";
    expected += name;
  }
  std::string shown;
  for (char c : text.substr(0, 40)) shown += (c < 0x20 || c >= 0x7f) ? '?' : c;
  return fail(invalidArgument("unknown " + std::string(what) + " '" + shown +
                              "': expected one of " + expected));
}

}  // namespace lightpath
