#include "lightpath/service/pricing.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lightpath {
namespace {

TEST(Pricing, WavelengthBasePlusDistanceAndTerm) {
  auto book = defaultPriceBook();
  ASSERT_TRUE(book) << book.error().toString();
  auto q = priceConnection(*book, {.kind = ConnectionKind::Wavelength,
                                   .bandwidth_mbps = 400'000,
                                   .route_km = 1000,
                                   .term = "12"});
  ASSERT_TRUE(q) << q.error().toString();
  // (6000 + 1000 km x 2.8) x 0.85, plus 1500 setup.
  EXPECT_DOUBLE_EQ(q->monthly, 7480.0);
  EXPECT_DOUBLE_EQ(q->setup, 1500.0);
  EXPECT_DOUBLE_EQ(q->total_for_term, 1500.0 + 12 * 7480.0);
  EXPECT_EQ(q->currency, "USD");
  EXPECT_GE(q->lines.size(), 3u);
  auto two_years = priceConnection(*book, {.kind = ConnectionKind::Wavelength,
                                           .bandwidth_mbps = 400'000,
                                           .route_km = 1000,
                                           .term = "24"});
  ASSERT_TRUE(two_years) << two_years.error().toString();
  EXPECT_DOUBLE_EQ(two_years->monthly, 8800.0 * 0.78);
  EXPECT_DOUBLE_EQ(two_years->total_for_term, 1500.0 + 24 * 8800.0 * 0.78);
}

TEST(Pricing, ProtectionAndDistanceBandsAndHourly) {
  auto book = *defaultPriceBook();
  auto plain = *priceConnection(
      book, {.kind = ConnectionKind::Ethernet, .bandwidth_mbps = 10'000, .route_km = 500});
  EXPECT_DOUBLE_EQ(plain.monthly, 800.0);  // 10 Gb/s x 80 (up to 1000 km)
  auto protected_ = *priceConnection(book, {.kind = ConnectionKind::Ethernet,
                                            .bandwidth_mbps = 10'000,
                                            .route_km = 500,
                                            .protection_km = 1500});
  EXPECT_DOUBLE_EQ(protected_.monthly, 800.0 + 0.7 * 1300.0);
  auto small = *priceConnection(
      book, {.kind = ConnectionKind::Ethernet, .bandwidth_mbps = 100, .route_km = 50});
  EXPECT_DOUBLE_EQ(small.monthly, 90.0);  // the floor
  auto hourly = *priceConnection(
      book,
      {.kind = ConnectionKind::Cloud, .bandwidth_mbps = 10'000, .route_km = 50, .term = "hourly"});
  EXPECT_DOUBLE_EQ(hourly.hourly, std::round(450.0 / 730.0 * 1.6 * 100) / 100);
  EXPECT_DOUBLE_EQ(hourly.monthly, 0.0);
}

TEST(Pricing, RejectsWhatTheBookDoesNotPrice) {
  auto book = *defaultPriceBook();
  auto bad_term = priceConnection(
      book, {.kind = ConnectionKind::Ethernet, .bandwidth_mbps = 1000, .term = "48"});
  ASSERT_FALSE(bad_term);
  EXPECT_EQ(bad_term.error().message(),
            "term: this price book offers hourly, 1, 12, 24, 36 (months), not '48'");
  // A book that does not price two years does not sell them.
  book.term_multipliers.erase("24");
  auto no_two_years = priceConnection(
      book, {.kind = ConnectionKind::Ethernet, .bandwidth_mbps = 1000, .term = "24"});
  ASSERT_FALSE(no_two_years);
  EXPECT_EQ(no_two_years.error().message(),
            "term: this price book offers hourly, 1, 12, 36 (months), not '24'");
  auto bad_rate =
      priceConnection(book, {.kind = ConnectionKind::Wavelength, .bandwidth_mbps = 1'600'000});
  ASSERT_FALSE(bad_rate);
  EXPECT_EQ(bad_rate.error().message(), "the price book has no 1600 Gb/s wavelength");
}

TEST(PriceBook, ErrorsNameTheLineAndField) {
  auto missing = parsePriceBook("currency: EUR\nwavelength:\n  base: {100: 1}\n", "book.yaml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("book.yaml:3: wavelength.per_km: missing 'per_km'"),
            std::string::npos)
      << missing.error().message();
  auto negative = parsePriceBook(
      "currency: EUR\nwavelength: {base: {100: -5}, per_km: {}, setup: 0}\n", "book.yaml");
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message().find("must be a non-negative number"), std::string::npos);
  EXPECT_FALSE(parsePriceBook("[[[", "book.yaml"));
}

}  // namespace
}  // namespace lightpath
