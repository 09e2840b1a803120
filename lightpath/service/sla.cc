// Availability, latency and credits of a connection over a window.
#include "lightpath/service/sla.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

double seconds(TimePoint::duration d) { return std::chrono::duration<double>(d).count(); }

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

std::string csvField(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::optional<std::pair<TimePoint, TimePoint>> inService(const Connection& c, TimePoint now) {
  std::optional<TimePoint> start;
  TimePoint end = now;
  for (const StateChange& h : c.history()) {
    if (!start && h.to == ConnectionState::Active) start = h.at;
    if (start && (h.to == ConnectionState::Terminated || h.to == ConnectionState::Failed ||
                  h.to == ConnectionState::Deprovisioning)) {
      end = std::min(end, h.at);
      break;
    }
  }
  if (!start || end < *start) return std::nullopt;
  return std::pair{*start, end};
}

SlaReport measureSla(const PriceBook* book, const Connection& c, TimePoint from, TimePoint to,
                     TimePoint now) {
  SlaReport r{.id = c.id(), .tenant = c.tenant(), .sla = c.requested().sla, .from = from, .to = to};
  const SlaClass* cls = book ? book->slaClass(c.requested().sla) : nullptr;
  r.target_percent = cls ? cls->availability_percent : 99.9;
  const auto service = inService(c, now);
  if (service) {
    r.from = std::max(from, service->first);
    r.to = std::min(to, service->second);
  }
  r.in_service = service && r.from < r.to;
  if (!r.in_service) {
    r.from = r.to = std::min(to, now);
    return r;
  }
  TimePoint::duration down{0};
  for (const Outage& o : c.outages()) {
    const TimePoint start = std::max(o.start, r.from);
    const TimePoint end = std::min(o.end.value_or(now), r.to);
    if (start >= end) continue;
    down += end - start;
    r.outages.push_back({start, o.end && *o.end <= r.to ? o.end : std::nullopt, o.reason});
  }
  r.outage_seconds = round3(seconds(down));
  r.availability_percent = 100.0 * (1.0 - seconds(down) / seconds(r.to - r.from));
  const Realization& cur = c.current();
  if (c.requested().max_latency) {
    r.latency_bound_ms = c.requested().max_latency->value() / 1000.0;
    if (!cur.nodes.empty()) r.latency_ms = cur.latency_ms;
    r.latency_met = r.latency_ms && *r.latency_ms <= *r.latency_bound_ms + 1e-9;
  } else if (!cur.nodes.empty()) {
    r.latency_ms = cur.latency_ms;
  }
  if (cls) {
    double percent = 0;
    for (const SlaClass::Credit& credit : cls->credits) {
      if (r.availability_percent < credit.below_percent)
        percent = std::max(percent, credit.percent);
    }
    if (!r.latency_met) percent += cls->latency_credit_percent;
    r.credit_percent = std::min(100.0, percent);
  }
  if (cur.price) {
    r.currency = cur.price->currency;
    // A month's price; hourly terms: the hours measured.
    const double base = cur.price->term == "hourly"
                            ? cur.price->hourly * seconds(r.to - r.from) / 3600.0
                            : cur.price->monthly;
    r.credit_amount = std::round(base * r.credit_percent) / 100.0;
  }
  return r;
}

std::string slaToJson(const SlaReport& r) {
  nlohmann::json outages = nlohmann::json::array();
  for (const Outage& o : r.outages) {
    nlohmann::json e{{"start", formatTime(o.start)}, {"reason", o.reason}};
    if (o.end) e["end"] = formatTime(*o.end);
    outages.push_back(std::move(e));
  }
  nlohmann::json j{{"id", r.id},
                   {"tenant", r.tenant},
                   {"sla", r.sla},
                   {"from", formatTime(r.from)},
                   {"to", formatTime(r.to)},
                   {"in_service", r.in_service},
                   {"target_percent", r.target_percent},
                   {"availability_percent", round3(r.availability_percent)},
                   {"outage_seconds", r.outage_seconds},
                   {"latency_met", r.latency_met},
                   {"credit_percent", r.credit_percent},
                   {"credit_amount", r.credit_amount},
                   {"outages", outages}};
  if (r.latency_ms) j["latency_ms"] = *r.latency_ms;
  if (r.latency_bound_ms) j["latency_bound_ms"] = *r.latency_bound_ms;
  if (!r.currency.empty()) j["currency"] = r.currency;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string slaCsvHeader() {
  return "id,tenant,sla,from,to,target_percent,availability_percent,outage_seconds,outages,"
         "latency_ms,latency_bound_ms,latency_met,credit_percent,credit_amount,currency\r\n";
}

std::string slaCsvRow(const SlaReport& r) {
  auto opt = [](const std::optional<double>& v) { return v ? fmt::format("{:g}", *v) : ""; };
  return fmt::format("{},{},{},{},{},{:g},{:.3f},{:.3f},{},{},{},{},{:g},{:.2f},{}\r\n",
                     csvField(r.id), csvField(r.tenant), csvField(r.sla), formatTime(r.from),
                     formatTime(r.to), r.target_percent, r.availability_percent, r.outage_seconds,
                     r.outages.size(), opt(r.latency_ms), opt(r.latency_bound_ms),
                     r.latency_met ? "true" : "false", r.credit_percent, r.credit_amount,
                     csvField(r.currency));
}

}  // namespace lightpath
