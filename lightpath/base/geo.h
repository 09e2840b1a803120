// Points on the Earth and the great-circle distance between them; used to estimate fiber
// lengths where a topology gives only coordinates, and as a lower bound on fiber latency.
#pragma once

#include "lightpath/base/units.h"

namespace lightpath {

struct GeoPoint {
  double lat = 0.0;  // degrees, -90..90
  double lon = 0.0;  // degrees, -180..180
  bool operator==(const GeoPoint&) const = default;
};

inline constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius

// Haversine distance; exact enough (< 0.5%) for fiber length estimates.
Km greatCircle(GeoPoint a, GeoPoint b);

// True when lat/lon are finite and within their ranges.
bool isValidGeoPoint(GeoPoint p);

}  // namespace lightpath
