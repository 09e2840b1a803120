// Prices: one function prices a quote and an order from the operator's price book (YAML), so
// the price a customer is quoted is the price they are charged.
//
//   PriceBook book = *defaultPriceBook();
//   Quote q = *priceConnection(book, {.kind = ConnectionKind::Wavelength, .bandwidth_mbps = 400000,
//                                     .route_km = 1789, .term = "12"});
//   q.monthly, q.setup, q.lines  // with every line of the calculation
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lightpath/service/connection.h"

namespace lightpath {

struct DistanceBand {
  double up_to_km = 0;
  double price_per_gbps = 0;
};

// A service level: the availability promised each month, the restoration priority after a
// failure (lower first) and the service credits, in percent of the month's price.
struct SlaClass {
  std::string name;
  double availability_percent = 99.9;
  int priority = 0;
  struct Credit {
    double below_percent = 0;  // availability under this earns
    double percent = 0;        // this share of the month's price
  };
  std::vector<Credit> credits;
  double latency_credit_percent = 0;  // the path breaks the order's latency bound
};

struct PriceBook {
  std::string currency = "USD";
  std::map<int, double> wavelength_base;  // by line rate in Gb/s
  std::map<int, double> wavelength_per_km;
  double wavelength_setup = 0;
  std::vector<DistanceBand> ethernet_bands, cloud_bands;
  double ethernet_minimum = 0, cloud_minimum = 0;
  double ethernet_setup = 0, cloud_setup = 0;
  double protection_share = 1.0;
  // Encryption, a monthly price per connection by mode ("macsec", "layer1"); a mode the book
  // does not price is not sold.
  std::map<std::string, double> encryption_monthly;
  double hourly_multiplier = 1.0;
  std::map<std::string, double> term_multipliers;  // "1", "12", "36" months; "24" if priced
  std::vector<SlaClass> sla_classes;               // by priority; "standard" always among them
  // The class called `name`; none when the book has no such class.
  const SlaClass* slaClass(std::string_view name) const;
};

// Parses a price book; errors name the line and the field.
Result<PriceBook> parsePriceBook(std::string_view yaml, std::string_view source);
// The shipped default (data/pricing/price-book.yaml, compiled in).
Result<PriceBook> defaultPriceBook();

struct QuoteInput {
  ConnectionKind kind = ConnectionKind::Ethernet;
  std::uint64_t bandwidth_mbps = 0;
  double route_km = 0;       // working path
  double protection_km = 0;  // protection path; 0 = unprotected
  std::string term = "1";    // "hourly", "1", "12", "24", "36"
  Encryption encryption = Encryption::None;
};

struct QuoteLine {
  std::string label;
  double amount = 0;
};

struct Quote {
  std::string currency;
  std::string term;
  double monthly = 0;         // recurring, after the term multiplier (0 for hourly)
  double hourly = 0;          // for hourly terms
  double setup = 0;           // one-off
  double total_for_term = 0;  // setup + monthly x months (hourly: one hour)
  std::vector<QuoteLine> lines;
};

Result<Quote> priceConnection(const PriceBook& book, const QuoteInput& input);

}  // namespace lightpath
