// Names of the model's enumerations, as they appear in files and the API.
#include "lightpath/model/elements.h"

#include <array>
#include <utility>

#include "lightpath/base/enum_names.h"

namespace lightpath {
namespace {

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
