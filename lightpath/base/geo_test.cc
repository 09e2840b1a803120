#include "lightpath/base/geo.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace lightpath {
namespace {

TEST(GreatCircle, NewYorkToLosAngelesIsAbout3940Km) {
  GeoPoint new_york{40.7128, -74.0060};
  GeoPoint los_angeles{34.0522, -118.2437};
  EXPECT_NEAR(greatCircle(new_york, los_angeles).value(), 3936.0, 10.0);
}

TEST(GreatCircle, ZeroForSamePointAndSymmetric) {
  GeoPoint a{10, 20}, b{-30, 150};
  EXPECT_DOUBLE_EQ(greatCircle(a, a).value(), 0.0);
  EXPECT_DOUBLE_EQ(greatCircle(a, b).value(), greatCircle(b, a).value());
}

TEST(GeoPoint, RejectsOutOfRangeAndNonFinite) {
  EXPECT_TRUE(isValidGeoPoint({45, 90}));
  EXPECT_FALSE(isValidGeoPoint({91, 0}));
  EXPECT_FALSE(isValidGeoPoint({0, 181}));
  EXPECT_FALSE(isValidGeoPoint({std::numeric_limits<double>::quiet_NaN(), 0}));
}

TEST(Units, FiberLatencyIs4Point9MicrosPerKm) {
  EXPECT_DOUBLE_EQ(fiberLatency(Km(1000)).value(), 4900.0);
}

}  // namespace
}  // namespace lightpath
