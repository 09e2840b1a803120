// JSON for connections (nlohmann-json at the boundary; exceptions caught here).
#include "lightpath/service/connection_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace lightpath {
namespace {

using nlohmann::json;

}  // namespace

json stepsToJson(const std::vector<BandwidthStep>& steps) {
  json out = json::array();
  for (const BandwidthStep& step : steps)
    out.push_back({{"at", formatTime(step.at)}, {"bandwidth_mbps", step.mbps}});
  return out;
}

json specToJson(const ConnectionSpec& s) {
  json j{{"kind", toString(s.kind)},
         {"a_end", s.a_end},
         {"z_end", s.z_end},
         {"bandwidth_mbps", s.bandwidth_mbps},
         {"protection", toString(s.protection)},
         {"sla", s.sla},
         {"term", s.term},
         {"tags", s.tags}};
  if (s.wait_to_restore) {
    j["revertive"] = true;
    j["wait_to_restore_s"] = s.wait_to_restore->count();
  }
  if (s.max_latency) j["max_latency_ms"] = s.max_latency->value() / 1000.0;
  if (s.start) j["start"] = formatTime(*s.start);
  if (s.end) j["end"] = formatTime(*s.end);
  if (!s.steps.empty()) j["steps"] = stepsToJson(s.steps);
  if (s.vlan) j["vlan"] = *s.vlan;
  if (s.encryption != Encryption::None) j["encryption"] = toString(s.encryption);
  if (!s.diverse_from.empty()) j["diverse_from"] = s.diverse_from;
  if (!s.route.empty()) j["route"] = s.route;
  if (!s.cloud_provider.empty())
    j["cloud"] = {{"provider", s.cloud_provider}, {cloudKeyField(s.cloud_provider), s.cloud_key}};
  return j;
}

namespace {

// The value of a parse, or the exception the reader below turns into an error (a stored
// document must never be dereferenced unchecked: corrupt data is an error, not undefined
// behaviour).
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

}  // namespace

Status onlyFields(const json& object, std::initializer_list<std::string_view> allowed,
                  std::string_view where) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (std::string_view a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
      return invalidArgument(
          fmt::format("{}{}: unknown field (known: {})", where, key.substr(0, 64), known));
    }
  }
  return Status::ok();
}

namespace {

Status wrongType(std::string_view field, std::string_view wanted) {
  return invalidArgument(fmt::format("{}: must be {}", field, wanted));
}

Result<std::string> stringField(const json& j, const char* key, std::string_view where,
                                bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) return fail(invalidArgument(fmt::format("{}{}: required", where, key)));
    return std::string();
  }
  if (!it->is_string()) return fail(wrongType(fmt::format("{}{}", where, key), "a string"));
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > 256)
    return fail(invalidArgument(fmt::format("{}{}: at most 256 characters", where, key)));
  return s;
}

Result<std::uint64_t> unsignedField(const json& j, const char* key, std::string_view where) {
  const json& v = j.at(key);
  if (!v.is_number_unsigned()) {
    return fail(wrongType(fmt::format("{}{}", where, key),
                          "a whole number, 0 or more (not a string or fraction)"));
  }
  return v.get<std::uint64_t>();
}

Result<TimePoint> timeField(const json& v, std::string_view field) {
  if (!v.is_string()) return fail(wrongType(field, "a UTC RFC 3339 time string"));
  auto t = parseTime(v.get_ref<const std::string&>());
  if (!t) return fail(t.error().withContext(field));
  return t;
}

}  // namespace

std::string formatTime(TimePoint t) {
  const auto us = t.time_since_epoch().count();
  const std::time_t seconds =
      static_cast<std::time_t>(us >= 0 ? us / 1'000'000 : (us - 999'999) / 1'000'000);
  const long long micros = us - static_cast<long long>(seconds) * 1'000'000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

Result<TimePoint> parseTime(std::string_view text) {
  int y, mo, d, h, mi, sec, consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &consumed) !=
          6 ||
      consumed != 19 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return fail(invalidArgument(
        fmt::format("'{}' is not a UTC RFC 3339 time like 2026-11-26T12:00:00Z", s.substr(0, 40))));
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
    return fail(
        invalidArgument(fmt::format("'{}': give times in UTC (ending in Z)", s.substr(0, 40))));
  }
  const std::chrono::year_month_day date{std::chrono::year(y),
                                         std::chrono::month(static_cast<unsigned>(mo)),
                                         std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) return fail(invalidArgument(fmt::format("'{}': no such date", s.substr(0, 40))));
  const auto days = std::chrono::sys_days(date);
  return TimePoint(
      std::chrono::duration_cast<std::chrono::microseconds>(days.time_since_epoch()) +
      std::chrono::microseconds((h * 3600LL + mi * 60LL + sec) * 1'000'000LL + micros));
}

std::string connectionToJson(const Connection& c) {
  json history = json::array();
  for (const StateChange& h : c.history()) {
    json entry{
        {"at", formatTime(h.at)}, {"to", toString(h.to)}, {"actor", h.actor}, {"reason", h.reason}};
    // The first entry is the order itself (draft to draft): it comes from nowhere.
    if (h.from != h.to) entry["from"] = toString(h.from);
    history.push_back(std::move(entry));
  }
  const Realization& r = c.current();
  json spectrum = json::array();
  for (const SpectrumBlock& b : r.spectrum)
    spectrum.push_back({{"fiber", b.fiber}, {"first_slot", b.first_slot}, {"slots", b.slots}});
  json current{{"nodes", r.nodes},
               {"fibers", r.fibers},
               {"km", r.km},
               {"latency_ms", r.latency_ms},
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
  if (r.on_protection) current["on_protection"] = true;
  if (r.revert_at) current["revert_at"] = formatTime(*r.revert_at);
  if (!r.qot.empty()) {
    json legs = json::array();
    for (const Realization::LegQot& q : r.qot) {
      legs.push_back({{"gsnr_db", q.gsnr_db}, {"margin_db", q.margin_db}});
    }
    current["qot"] = std::move(legs);
  }
  if (r.price) {
    current["price"] = {{"currency", r.price->currency},
                        {"term", r.price->term},
                        {"monthly", r.price->monthly},
                        {"hourly", r.price->hourly},
                        {"setup", r.price->setup}};
  }
  if (r.keys) {
    json installed = json::array();
    for (const EncryptionKey& k : r.keys->installed) {
      installed.push_back({{"id", k.id},
                           {"sealed", k.sealed},
                           {"fingerprint", k.fingerprint},
                           {"created", formatTime(k.created)}});
    }
    current["keys"] = {{"installed", std::move(installed)},
                       {"active", r.keys->active},
                       {"rotated_at", formatTime(r.keys->rotated_at)},
                       {"next_rotation", formatTime(r.keys->next_rotation)}};
  }
  if (r.provider) {
    json side{{"id", r.provider->id}, {"state", r.provider->state}};
    if (!r.provider->next_step.empty()) side["next_step"] = r.provider->next_step;
    if (r.provider->expires) side["expires"] = formatTime(*r.provider->expires);
    current["provider"] = std::move(side);
  }
  json doc{{"id", c.id()},
           {"tenant", c.tenant()},
           {"state", toString(c.state())},
           {"admin_state", toString(c.adminState())},
           {"oper_state", toString(c.operState())},
           {"version", c.version()},
           {"requested", specToJson(c.requested())},
           {"current", current},
           {"history", history}};
  if (!c.outages().empty()) {
    json outages = json::array();
    for (const Outage& o : c.outages()) {
      json entry{{"start", formatTime(o.start)}, {"reason", o.reason}};
      if (o.end) entry["end"] = formatTime(*o.end);
      outages.push_back(std::move(entry));
    }
    doc["outages"] = std::move(outages);
  }
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ConnectionSpec> specFromJson(const json& j) {
  LP_RETURN_IF_ERROR(
      onlyFields(j, {"kind", "a_end", "z_end", "bandwidth_mbps", "protection", "revertive",
                     "wait_to_restore_s", "max_latency_ms", "start", "end", "steps", "vlan",
                     "cloud", "sla", "term", "encryption", "diverse_from", "route", "tags"}));
  ConnectionSpec s;
  auto kind = stringField(j, "kind", "", true);
  if (!kind) return fail(kind.error());
  auto parsed_kind = parseConnectionKind(*kind);
  if (!parsed_kind)
    return fail(
        invalidArgument("kind: wavelength, ethernet or cloud, got '" + kind->substr(0, 40) + "'"));
  s.kind = *parsed_kind;
  auto a = stringField(j, "a_end", "", true);
  if (!a) return fail(a.error());
  LP_ASSIGN_OR_RETURN(auto z, stringField(j, "z_end", "", true));
  s.a_end = *a;
  s.z_end = z;
  if (!j.contains("bandwidth_mbps")) return fail(invalidArgument("bandwidth_mbps: required"));
  LP_ASSIGN_OR_RETURN(auto mbps, unsignedField(j, "bandwidth_mbps", ""));
  s.bandwidth_mbps = mbps;
  if (j.contains("protection")) {
    LP_ASSIGN_OR_RETURN(auto p, stringField(j, "protection", "", false));
    auto protection = parseProtection(p);
    if (!protection)
      return fail(invalidArgument("protection: none or 1+1, got '" + p.substr(0, 40) + "'"));
    s.protection = *protection;
  }
  if (j.contains("revertive")) {
    if (!j.at("revertive").is_boolean()) return fail(wrongType("revertive", "true or false"));
    if (j.at("revertive").get<bool>()) s.wait_to_restore = std::chrono::seconds(300);
  }
  if (j.contains("wait_to_restore_s")) {
    if (!s.wait_to_restore)
      return fail(invalidArgument("wait_to_restore_s: only with \"revertive\": true"));
    LP_ASSIGN_OR_RETURN(auto wtr, unsignedField(j, "wait_to_restore_s", ""));
    if (wtr > 86'400) return fail(invalidArgument("wait_to_restore_s: 0 to 86400"));
    s.wait_to_restore = std::chrono::seconds(wtr);
  }
  if (j.contains("max_latency_ms")) {
    const json& v = j.at("max_latency_ms");
    if (!v.is_number()) return fail(wrongType("max_latency_ms", "a number"));
    const double ms = v.get<double>();
    if (!std::isfinite(ms) || ms <= 0 || ms > 10'000) {
      return fail(invalidArgument("max_latency_ms: more than 0 and at most 10000"));
    }
    s.max_latency = Micros(ms * 1000.0);
  }
  for (const char* key : {"start", "end"}) {
    if (!j.contains(key)) continue;
    LP_ASSIGN_OR_RETURN(auto t, timeField(j.at(key), key));
    (std::string_view(key) == "start" ? s.start : s.end) = t;
  }
  if (j.contains("steps")) {
    const json& steps = j.at("steps");
    if (!steps.is_array()) return fail(wrongType("steps", "an array of {at, bandwidth_mbps}"));
    if (steps.size() > 1000) return fail(invalidArgument("steps: at most 1000"));
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string where = fmt::format("steps[{}].", i);
      const json& step = steps[i];
      if (!step.is_object())
        return fail(wrongType(fmt::format("steps[{}]", i), "an object {at, bandwidth_mbps}"));
      LP_RETURN_IF_ERROR(onlyFields(step, {"at", "bandwidth_mbps"}, where));
      if (!step.contains("at") || !step.contains("bandwidth_mbps")) {
        return fail(
            invalidArgument(fmt::format("{}at, {}bandwidth_mbps: both required", where, where)));
      }
      LP_ASSIGN_OR_RETURN(auto at, timeField(step.at("at"), where + "at"));
      LP_ASSIGN_OR_RETURN(auto step_mbps, unsignedField(step, "bandwidth_mbps", where));
      s.steps.push_back({at, step_mbps});
    }
  }
  if (j.contains("vlan")) {
    auto vlan = unsignedField(j, "vlan", "");
    if (!vlan) return fail(vlan.error());
    if (*vlan > 4094) return fail(invalidArgument("vlan: 1-4094"));
    s.vlan = static_cast<std::uint16_t>(*vlan);
  }
  if (j.contains("cloud")) {
    const json& cloud = j.at("cloud");
    if (!cloud.is_object())
      return fail(
          wrongType("cloud", "an object {provider, owner_account | service_key | pairing_key}"));
    LP_ASSIGN_OR_RETURN(auto provider, stringField(cloud, "provider", "cloud.", true));
    // Each provider's hand-shake has its own key; `key` is what orders stored before said.
    const std::string field = cloudKeyField(provider);
    LP_RETURN_IF_ERROR(onlyFields(cloud, {"provider", field, "key"}, "cloud."));
    LP_ASSIGN_OR_RETURN(auto key, stringField(cloud, cloud.contains(field) ? field.c_str() : "key",
                                              "cloud.", false));
    s.cloud_provider = provider;
    s.cloud_key = key;
  }
  if (j.contains("diverse_from")) {
    LP_ASSIGN_OR_RETURN(s.diverse_from, stringField(j, "diverse_from", "", true));
  }
  if (j.contains("route")) {
    const json& route = j.at("route");
    if (!route.is_array() || route.empty() || route.size() > kMaxRouteFibers)
      return fail(invalidArgument("route: an array of 1 to 64 fiber ids, A to Z"));
    for (std::size_t i = 0; i < route.size(); ++i) {
      if (!route[i].is_string() || route[i].get<std::string>().empty() ||
          route[i].get<std::string>().size() > 128)
        return fail(invalidArgument(fmt::format("route[{}]: a fiber id", i)));
      s.route.push_back(route[i].get<std::string>());
    }
  }
  if (j.contains("encryption")) {
    LP_ASSIGN_OR_RETURN(auto e, stringField(j, "encryption", "", false));
    auto encryption = parseEncryption(e);
    if (!encryption) {
      return fail(
          invalidArgument("encryption: none, macsec or layer1, got '" + e.substr(0, 40) + "'"));
    }
    s.encryption = *encryption;
  }
  for (auto [key, out] : {std::pair{"sla", &s.sla}, std::pair{"term", &s.term}}) {
    if (!j.contains(key)) continue;
    LP_ASSIGN_OR_RETURN(auto v, stringField(j, key, "", false));
    *out = v;
  }
  if (j.contains("tags")) {
    const json& tags = j.at("tags");
    if (!tags.is_object()) return fail(wrongType("tags", "an object of strings"));
    for (const auto& [k, v] : tags.items()) {
      if (!v.is_string()) return fail(wrongType("tags." + k.substr(0, 64), "a string"));
      s.tags[k] = v.get<std::string>();
    }
  }
  return s;
}

Result<Connection> connectionFromJson(std::string_view text) {
  std::string id = "(no id)";
  try {
    const json j = json::parse(text);
    if (j.is_object() && j.contains("id") && j.at("id").is_string())
      id = j.at("id").get<std::string>().substr(0, 80);
    const ConnectionState state =
        valueOf(parseConnectionState(need<std::string>(j, "state", "connection")), "state");
    std::vector<StateChange> history;
    for (const json& h : j.at("history")) {
      const ConnectionState to =
          valueOf(parseConnectionState(h.at("to").get<std::string>()), "history.to");
      history.push_back(
          {valueOf(parseTime(h.at("at").get<std::string>()), "history.at"),
           h.contains("from")
               ? valueOf(parseConnectionState(h.at("from").get<std::string>()), "history.from")
               : to,
           to, h.at("actor").get<std::string>(), h.at("reason").get<std::string>()});
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
        r.spectrum.push_back({b.at("fiber").get<std::string>(),
                              b.at("first_slot").get<std::uint32_t>(),
                              b.at("slots").get<std::uint32_t>()});
      }
    }
    r.holds = cur.value("holds", std::vector<std::uint64_t>{});
    r.protection_km = cur.value("protection_km", 0.0);
    r.on_protection = cur.value("on_protection", false);
    if (cur.contains("revert_at"))
      r.revert_at = valueOf(parseTime(cur.at("revert_at").get<std::string>()), "current.revert_at");
    if (cur.contains("qot")) {
      for (const json& q : cur.at("qot")) {
        r.qot.push_back({q.at("gsnr_db").get<double>(), q.at("margin_db").get<double>()});
      }
    }
    if (cur.contains("price")) {
      const json& p = cur.at("price");
      r.price = Realization::Price{p.at("currency").get<std::string>(),
                                   p.at("term").get<std::string>(), p.at("monthly").get<double>(),
                                   p.at("hourly").get<double>(), p.at("setup").get<double>()};
    }
    if (cur.contains("keys")) {
      const json& k = cur.at("keys");
      EncryptionKeys keys;
      for (const json& key : k.at("installed")) {
        keys.installed.push_back(
            {key.at("id").get<std::string>(), key.at("sealed").get<std::string>(),
             key.at("fingerprint").get<std::string>(),
             valueOf(parseTime(key.at("created").get<std::string>()), "keys.created")});
      }
      keys.active = k.at("active").get<std::string>();
      keys.rotated_at =
          valueOf(parseTime(k.at("rotated_at").get<std::string>()), "keys.rotated_at");
      keys.next_rotation =
          valueOf(parseTime(k.at("next_rotation").get<std::string>()), "keys.next_rotation");
      r.keys = std::move(keys);
    }
    if (cur.contains("provider")) {
      const json& p = cur.at("provider");
      ProviderSide side{p.at("id").get<std::string>(), p.at("state").get<std::string>(),
                        p.value("next_step", std::string()), std::nullopt};
      if (p.contains("expires"))
        side.expires = valueOf(parseTime(p.at("expires").get<std::string>()), "provider.expires");
      r.provider = std::move(side);
    }
    std::vector<Outage> outages;
    for (const json& o : j.value("outages", json::array())) {
      Outage outage{valueOf(parseTime(o.at("start").get<std::string>()), "outages.start"),
                    std::nullopt, o.at("reason").get<std::string>()};
      if (o.contains("end"))
        outage.end = valueOf(parseTime(o.at("end").get<std::string>()), "outages.end");
      outages.push_back(std::move(outage));
    }
    const std::string admin = j.value("admin_state", "enabled");
    const std::string oper = j.value("oper_state", "unknown");
    return Connection::restore(need<std::string>(j, "id", "connection"),
                               need<std::string>(j, "tenant", "connection"),
                               valueOf(specFromJson(j.at("requested")), "requested"), state,
                               admin == "disabled" ? AdminState::Disabled : AdminState::Enabled,
                               oper == "up"         ? OperState::Up
                               : oper == "down"     ? OperState::Down
                               : oper == "degraded" ? OperState::Degraded
                                                    : OperState::Unknown,
                               std::move(history), std::move(r),
                               need<std::uint64_t>(j, "version", "connection"), std::move(outages));
  } catch (const std::exception& e) {
    return fail(
        invalidArgument(fmt::format("stored connection {} is not valid: {}", id, e.what())));
  }
}

}  // namespace lightpath
