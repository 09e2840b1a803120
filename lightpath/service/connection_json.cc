// JSON for connections (nlohmann-json at the boundary; exceptions caught here).
#include "lightpath/service/connection_json.h"

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace lightpath {
namespace {

using nlohmann::json;

json specJson(const ConnectionSpec& s) {
  json j{{"kind", toString(s.kind)}, {"a_end", s.a_end}, {"z_end", s.z_end}, {"bandwidth_mbps", s.bandwidth_mbps},
         {"protection", toString(s.protection)}, {"sla", s.sla}, {"term", s.term}, {"tags", s.tags}};
  if (s.max_latency) j["max_latency_ms"] = s.max_latency->value() / 1000.0;
  if (s.start) j["start"] = formatTime(*s.start);
  if (s.end) j["end"] = formatTime(*s.end);
  if (!s.steps.empty()) {
    json steps = json::array();
    for (const BandwidthStep& step : s.steps) steps.push_back({{"at", formatTime(step.at)}, {"bandwidth_mbps", step.mbps}});
    j["steps"] = steps;
  }
  if (s.vlan) j["vlan"] = *s.vlan;
  if (!s.cloud_provider.empty()) j["cloud"] = {{"provider", s.cloud_provider}, {"key", s.cloud_key}};
  return j;
}

// The value of a parse, or the exception the reader below turns into an error (a stored
// document must never be dereferenced unchecked: corrupt data is an error, not undefined behaviour).
template <typename T>
T valueOf(Result<T> r, std::string_view where) {
  if (!r) throw std::invalid_argument(fmt::format("{}: {}", where, r.error().message()));
  return std::move(*r);
}

template <typename T>
T need(const json& j, const char* key, const char* where) {
  if (!j.contains(key)) throw std::invalid_argument(fmt::format("{}.{}: missing", where, key));
  return j.at(key).get<T>();
}

ConnectionSpec specFrom(const json& j) {
  ConnectionSpec s;
  s.kind = valueOf(parseConnectionKind(need<std::string>(j, "kind", "requested")), "requested.kind");
  s.a_end = need<std::string>(j, "a_end", "requested");
  s.z_end = need<std::string>(j, "z_end", "requested");
  s.bandwidth_mbps = need<std::uint64_t>(j, "bandwidth_mbps", "requested");
  s.protection = valueOf(parseProtection(need<std::string>(j, "protection", "requested")), "requested.protection");
  s.sla = j.value("sla", "standard");
  s.term = j.value("term", "1");
  if (j.contains("tags")) s.tags = j.at("tags").get<std::map<std::string, std::string>>();
  if (j.contains("max_latency_ms")) s.max_latency = Micros(j.at("max_latency_ms").get<double>() * 1000.0);
  auto time = [](const json& v) { return valueOf(parseTime(v.get<std::string>()), "requested"); };
  if (j.contains("start")) s.start = time(j.at("start"));
  if (j.contains("end")) s.end = time(j.at("end"));
  if (j.contains("steps")) {
    for (const json& step : j.at("steps")) s.steps.push_back({time(step.at("at")), step.at("bandwidth_mbps").get<std::uint64_t>()});
  }
  if (j.contains("vlan")) s.vlan = j.at("vlan").get<std::uint16_t>();
  if (j.contains("cloud")) {
    s.cloud_provider = j.at("cloud").value("provider", "");
    s.cloud_key = j.at("cloud").value("key", "");
  }
  return s;
}

}  // namespace

std::string formatTime(TimePoint t) {
  const auto us = t.time_since_epoch().count();
  const std::time_t seconds = static_cast<std::time_t>(us >= 0 ? us / 1'000'000 : (us - 999'999) / 1'000'000);
  const long long micros = us - static_cast<long long>(seconds) * 1'000'000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

Result<TimePoint> parseTime(std::string_view text) {
  int y, mo, d, h, mi, sec, consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &consumed) != 6 ||
      consumed != 19 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return fail(invalidArgument(fmt::format("'{}' is not a UTC RFC 3339 time like 2026-11-26T12:00:00Z",
                                            s.substr(0, 40))));
  }
  std::size_t at = 19;
  long long micros = 0;
  if (at < s.size() && s[at] == '.') {
    int digits = 0;
    for (++at; at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])); ++at, ++digits) {
      if (digits < 6) micros = micros * 10 + (s[at] - '0');
    }
    for (; digits < 6; ++digits) micros *= 10;
  }
  if (s.substr(at) != "Z" && s.substr(at) != "+00:00") {
    return fail(invalidArgument(fmt::format("'{}': give times in UTC (ending in Z)", s.substr(0, 40))));
  }
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                         std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) return fail(invalidArgument(fmt::format("'{}': no such date", s.substr(0, 40))));
  const auto days = std::chrono::sys_days(date);
  return TimePoint(std::chrono::duration_cast<std::chrono::microseconds>(days.time_since_epoch()) +
                   std::chrono::microseconds((h * 3600LL + mi * 60LL + sec) * 1'000'000LL + micros));
}

std::string connectionToJson(const Connection& c) {
  json history = json::array();
  for (const StateChange& h : c.history()) {
    history.push_back({{"at", formatTime(h.at)}, {"from", toString(h.from)}, {"to", toString(h.to)},
                       {"actor", h.actor}, {"reason", h.reason}});
  }
  const Realization& r = c.current();
  json spectrum = json::array();
  for (const SpectrumBlock& b : r.spectrum) spectrum.push_back({{"fiber", b.fiber}, {"first_slot", b.first_slot}, {"slots", b.slots}});
  json current{{"nodes", r.nodes}, {"fibers", r.fibers}, {"km", r.km}, {"latency_ms", r.latency_ms},
               {"holds", r.holds}};
  if (!r.protection_nodes.empty()) {
    current["protection_nodes"] = r.protection_nodes;
    current["protection_fibers"] = r.protection_fibers;
  }
  if (r.vlan) current["vlan"] = *r.vlan;
  if (!r.transceiver.empty()) current["transceiver"] = r.transceiver;
  if (!r.regenerators.empty()) current["regenerators"] = r.regenerators;
  if (!spectrum.empty()) current["spectrum"] = spectrum;
  if (r.protection_km > 0) current["protection_km"] = r.protection_km;
  if (r.price) {
    current["price"] = {{"currency", r.price->currency}, {"term", r.price->term}, {"monthly", r.price->monthly},
                        {"hourly", r.price->hourly}, {"setup", r.price->setup}};
  }
  json doc{{"id", c.id()}, {"tenant", c.tenant()}, {"state", toString(c.state())},
           {"admin_state", toString(c.adminState())}, {"oper_state", toString(c.operState())},
           {"version", c.version()}, {"requested", specJson(c.requested())}, {"current", current},
           {"history", history}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Connection> connectionFromJson(std::string_view text) {
  std::string id = "(no id)";
  try {
    const json j = json::parse(text);
    if (j.is_object() && j.contains("id") && j.at("id").is_string()) id = j.at("id").get<std::string>().substr(0, 80);
    const ConnectionState state = valueOf(parseConnectionState(need<std::string>(j, "state", "connection")), "state");
    std::vector<StateChange> history;
    for (const json& h : j.at("history")) {
      history.push_back({valueOf(parseTime(h.at("at").get<std::string>()), "history.at"),
                         valueOf(parseConnectionState(h.at("from").get<std::string>()), "history.from"),
                         valueOf(parseConnectionState(h.at("to").get<std::string>()), "history.to"),
                         h.at("actor").get<std::string>(), h.at("reason").get<std::string>()});
    }
    const json& cur = j.at("current");
    Realization r;
    r.nodes = cur.value("nodes", std::vector<std::string>{});
    r.fibers = cur.value("fibers", std::vector<std::string>{});
    r.protection_nodes = cur.value("protection_nodes", std::vector<std::string>{});
    r.protection_fibers = cur.value("protection_fibers", std::vector<std::string>{});
    r.km = cur.value("km", 0.0);
    r.latency_ms = cur.value("latency_ms", 0.0);
    if (cur.contains("vlan")) r.vlan = cur.at("vlan").get<std::uint16_t>();
    r.transceiver = cur.value("transceiver", "");
    r.regenerators = cur.value("regenerators", std::vector<std::string>{});
    if (cur.contains("spectrum")) {
      for (const json& b : cur.at("spectrum")) {
        r.spectrum.push_back({b.at("fiber").get<std::string>(), b.at("first_slot").get<std::uint32_t>(),
                              b.at("slots").get<std::uint32_t>()});
      }
    }
    r.holds = cur.value("holds", std::vector<std::uint64_t>{});
    r.protection_km = cur.value("protection_km", 0.0);
    if (cur.contains("price")) {
      const json& p = cur.at("price");
      r.price = Realization::Price{p.at("currency").get<std::string>(), p.at("term").get<std::string>(),
                                   p.at("monthly").get<double>(), p.at("hourly").get<double>(),
                                   p.at("setup").get<double>()};
    }
    const std::string admin = j.value("admin_state", "enabled");
    const std::string oper = j.value("oper_state", "unknown");
    return Connection::restore(need<std::string>(j, "id", "connection"), need<std::string>(j, "tenant", "connection"),
                               specFrom(j.at("requested")), state,
                               admin == "disabled" ? AdminState::Disabled : AdminState::Enabled,
                               oper == "up" ? OperState::Up : oper == "down" ? OperState::Down
                                            : oper == "degraded" ? OperState::Degraded : OperState::Unknown,
                               std::move(history), std::move(r), need<std::uint64_t>(j, "version", "connection"));
  } catch (const std::exception& e) {
    return fail(invalidArgument(fmt::format("stored connection {} is not valid: {}", id, e.what())));
  }
}

}  // namespace lightpath
