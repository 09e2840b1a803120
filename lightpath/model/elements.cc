// Names of the model's enumerations, as they appear in files and the API.
#include "lightpath/model/elements.h"

#include <array>
#include <utility>

namespace lightpath {
namespace {

template <typename Enum, std::size_t N>
Result<Enum> parseName(std::string_view text, const std::array<std::pair<Enum, std::string_view>, N>& names,
                       std::string_view what) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  std::string expected;
  for (const auto& [value, name] : names) {
    if (!expected.empty()) expected += ", ";
    expected += name;
  }
  return fail(invalidArgument("unknown " + std::string(what) + " '" + std::string(text) +
                              "': expected one of " + expected));
}

template <typename Enum, std::size_t N>
std::string_view nameOf(Enum value, const std::array<std::pair<Enum, std::string_view>, N>& names) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<SiteKind, std::string_view>, 4> kSiteKinds{{
    {SiteKind::Pop, "pop"},
    {SiteKind::Datacenter, "datacenter"},
    {SiteKind::CloudOnramp, "cloud_onramp"},
    {SiteKind::Enterprise, "enterprise"},
}};
constexpr std::array<std::pair<NodeKind, std::string_view>, 2> kNodeKinds{{
    {NodeKind::Roadm, "roadm"},
    {NodeKind::Switch, "switch"},
}};
constexpr std::array<std::pair<LengthSource, std::string_view>, 3> kLengthSources{{
    {LengthSource::Measured, "measured"},
    {LengthSource::Estimated, "estimated"},
    {LengthSource::Assumed, "assumed"},
}};
constexpr std::array<std::pair<SrlgKind, std::string_view>, 5> kSrlgKinds{{
    {SrlgKind::Conduit, "conduit"},
    {SrlgKind::Bridge, "bridge"},
    {SrlgKind::Duct, "duct"},
    {SrlgKind::CityEntry, "city_entry"},
    {SrlgKind::Other, "other"},
}};

}  // namespace

std::string_view toString(SiteKind kind) { return nameOf(kind, kSiteKinds); }
Result<SiteKind> parseSiteKind(std::string_view text) {
  return parseName(text, kSiteKinds, "site kind");
}
std::string_view toString(NodeKind kind) { return nameOf(kind, kNodeKinds); }
Result<NodeKind> parseNodeKind(std::string_view text) {
  return parseName(text, kNodeKinds, "node kind");
}
std::string_view toString(LengthSource source) { return nameOf(source, kLengthSources); }
Result<LengthSource> parseLengthSource(std::string_view text) {
  return parseName(text, kLengthSources, "length source");
}
std::string_view toString(SrlgKind kind) { return nameOf(kind, kSrlgKinds); }
Result<SrlgKind> parseSrlgKind(std::string_view text) {
  return parseName(text, kSrlgKinds, "srlg kind");
}

}  // namespace lightpath
