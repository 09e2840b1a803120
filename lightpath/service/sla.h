// Service levels measured: a connection's availability over a window (its outages against the
// time it was in service), whether the path carrying it meets the order's latency bound, and
// the credit its SLA class (the price book's) owes for that.
//
//   SlaReport r = measureSla(book, c, month_start, month_end);
//   r.availability_percent, r.credit_percent, r.credit_amount
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lightpath/service/connection.h"
#include "lightpath/service/pricing.h"

namespace lightpath {

struct SlaReport {
  std::string id, tenant, sla;
  TimePoint from, to;         // the window measured, within the time in service
  bool in_service = false;    // false: not in service at all in the window asked for
  double target_percent = 0;  // the class's availability
  double outage_seconds = 0;
  double availability_percent = 100;
  std::optional<double> latency_ms, latency_bound_ms;
  bool latency_met = true;
  double credit_percent = 0;  // of a month's price
  double credit_amount = 0;
  std::string currency;
  std::vector<Outage> outages;  // those in the window, clipped to it
};

// From its first activation until its end (terminated, failed) or `now`; none before it ever
// carried traffic.
std::optional<std::pair<TimePoint, TimePoint>> inService(const Connection& c, TimePoint now);

// The window [from, to) clipped to the time in service. Without a price book (or a class it
// lacks) the target is 99.9% and nothing is credited.
SlaReport measureSla(const PriceBook* book, const Connection& c, TimePoint from, TimePoint to,
                     TimePoint now);

std::string slaToJson(const SlaReport& r);
// One CSV line per report, after the header (RFC 4180 quoting).
std::string slaCsvHeader();
std::string slaCsvRow(const SlaReport& r);

}  // namespace lightpath
