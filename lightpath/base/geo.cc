// Great-circle distance by the haversine formula.
#include "lightpath/base/geo.h"

#include <cmath>
#include <numbers>

namespace lightpath {

Km greatCircle(GeoPoint a, GeoPoint b) {
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return Km(2.0 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h))));
}

bool isValidGeoPoint(GeoPoint p) {
  return std::isfinite(p.lat) && std::isfinite(p.lon) && p.lat >= -90.0 && p.lat <= 90.0 &&
         p.lon >= -180.0 && p.lon <= 180.0;
}

}  // namespace lightpath
