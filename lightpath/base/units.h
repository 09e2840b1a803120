// Strong unit types: a quantity carries its unit in its type, so a length cannot be passed
// where a latency is expected.
//
//   Km length{412.5};
//   Micros delay = fiberLatency(length);      // 2021.25 us
//   double ms = delay.value() / 1000.0;
#pragma once

#include <compare>

namespace lightpath {

// A double tagged with its unit. Adds and compares with its own kind; scales by plain numbers.
template <typename Tag>
class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(double value) : value_(value) {}

  constexpr double value() const { return value_; }

  constexpr auto operator<=>(const Quantity&) const = default;
  constexpr Quantity operator+(Quantity other) const { return Quantity(value_ + other.value_); }
  constexpr Quantity operator-(Quantity other) const { return Quantity(value_ - other.value_); }
  constexpr Quantity operator*(double factor) const { return Quantity(value_ * factor); }
  constexpr Quantity operator/(double divisor) const { return Quantity(value_ / divisor); }
  constexpr double operator/(Quantity other) const { return value_ / other.value_; }
  constexpr Quantity& operator+=(Quantity other) {
    value_ += other.value_;
    return *this;
  }

 private:
  double value_ = 0.0;
};

using Km = Quantity<struct KmTag>;          // fiber or great-circle length
using Micros = Quantity<struct MicrosTag>;  // one-way latency
using Gbps = Quantity<struct GbpsTag>;      // line or service rate
using GHz = Quantity<struct GHzTag>;        // spectrum width or frequency
using Db = Quantity<struct DbTag>;          // loss or ratio in decibels

// Light in standard single-mode fiber: group index ~1.468, so ~4.9 us per km.
inline constexpr double kMicrosPerKm = 4.9;

constexpr Micros fiberLatency(Km length) { return Micros(length.value() * kMicrosPerKm); }

}  // namespace lightpath
