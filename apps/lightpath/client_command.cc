// `lightpath connections|quote|locations|events`: the API from a shell. Tables for people,
// --json for scripts; exit codes say what happened (exit_codes.h).
#include "client_command.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "api_client.h"
#include "cli_config.h"
#include "exit_codes.h"
#include "lightpath/base/status.h"
#include "lightpath/service/connection_json.h"

namespace lightpath::cli {
namespace {

using nlohmann::json;

struct OrderFlags {
  std::string kind = "ethernet", a, z, protection, start, end, cloud_provider, cloud_key, term, sla,
              idempotency_key, tenant, encryption;
  std::uint64_t mbps = 0;
  double max_latency_ms = 0;
  int vlan = -1;
  std::vector<std::string> tags;
  bool wait = false;
  int wait_seconds = 120;
  bool revertive = false;
  int wait_to_restore_s = -1;  // -1: the server's default
};

// A price as it recurs: by the hour for hourly terms, else by the month.
std::string money(const json& price) {
  if (!price.is_object()) return "-";
  if (price.value("term", "") == "hourly")
    return fmt::format("{:.2f} {}/h", price.value("hourly", 0.0), price.value("currency", ""));
  return fmt::format("{:.2f} {}/mo", price.value("monthly", 0.0), price.value("currency", ""));
}

std::vector<std::string> connectionRow(const json& c) {
  const json& r = c["requested"];
  const json& cur = c["current"];
  return {c.value("id", ""),
          r.value("kind", ""),
          c.value("state", ""),
          r.value("a_end", ""),
          r.value("z_end", ""),
          fmt::format("{}", r.value("bandwidth_mbps", 0)),
          fmt::format("{:.2f} ms", cur.value("latency_ms", 0.0)),
          money(cur.value("price", json()))};
}

const std::vector<std::string> kConnectionHeader{"ID",    "KIND", "STATE",   "A END",
                                                 "Z END", "MBPS", "LATENCY", "PRICE"};

void showConnection(const json& c) {
  const json& r = c["requested"];
  const json& cur = c["current"];
  std::cout << fmt::format("{}  {}  {}\n", c.value("id", ""), r.value("kind", ""),
                           c.value("state", ""));
  std::cout << fmt::format("  ends:       {} -> {}\n", r.value("a_end", ""), r.value("z_end", ""));
  std::cout << fmt::format("  bandwidth:  {} Mb/s, protection {}\n", r.value("bandwidth_mbps", 0),
                           r.value("protection", ""));
  std::cout << fmt::format("  path:       {:.1f} km, {:.2f} ms over {} fibers\n",
                           cur.value("km", 0.0), cur.value("latency_ms", 0.0),
                           cur.value("fibers", json::array()).size());
  if (cur.contains("protection_fibers")) {
    std::cout << fmt::format("  protection: {:.1f} km over {} fibers\n",
                             cur.value("protection_km", 0.0), cur["protection_fibers"].size());
  }
  std::cout << fmt::format("  price:      {}\n", money(cur.value("price", json())));
  if (cur.contains("encryption")) {
    const json& e = cur["encryption"];
    std::cout << fmt::format("  encryption: {}, key {}{}, next rotation {}\n", e.value("mode", ""),
                             e.value("key_id", ""), e.value("rotating", false) ? " (rotating)" : "",
                             e.value("next_rotation", ""));
  }
  for (const auto& h : c.value("history", json::array())) {
    // The first entry is the order itself: it comes from nowhere.
    const std::string move =
        h.contains("from") ? h.value("from", "") + " -> " + h.value("to", "") : "ordered";
    std::cout << fmt::format("  {}  {}  ({}: {})\n", h.value("at", ""), move, h.value("actor", ""),
                             h.value("reason", ""));
  }
}

Result<json> orderBody(const OrderFlags& o) {
  json j{{"kind", o.kind}, {"a_end", o.a}, {"z_end", o.z}, {"bandwidth_mbps", o.mbps}};
  if (!o.protection.empty()) j["protection"] = o.protection;
  if (o.revertive) j["revertive"] = true;
  if (o.wait_to_restore_s >= 0) j["wait_to_restore_s"] = o.wait_to_restore_s;
  if (o.max_latency_ms > 0) j["max_latency_ms"] = o.max_latency_ms;
  if (!o.start.empty()) j["start"] = o.start;
  if (!o.end.empty()) j["end"] = o.end;
  if (o.vlan >= 0) j["vlan"] = o.vlan;
  if (!o.term.empty()) j["term"] = o.term;
  if (!o.sla.empty()) j["sla"] = o.sla;
  if (!o.tenant.empty()) j["tenant"] = o.tenant;
  if (!o.encryption.empty()) j["encryption"] = o.encryption;
  if (!o.cloud_provider.empty())
    j["cloud"] = {{"provider", o.cloud_provider}, {cloudKeyField(o.cloud_provider), o.cloud_key}};
  if (!o.tags.empty()) {
    json tags = json::object();
    for (const std::string& t : o.tags) {
      const auto eq = t.find('=');
      if (eq == std::string::npos || eq == 0)
        return fail(invalidArgument(fmt::format("--tag: KEY=VALUE, got '{}'", t)));
      tags[t.substr(0, eq)] = t.substr(eq + 1);
    }
    j["tags"] = tags;
  }
  return j;
}

// Polls until the connection settles: active, terminated, failed, or
// booked to start later (the schedule activates it then: waiting would only time out). Prints
// each state it passes through; asks again after 50 ms, then less often, at most every second.
int waitUntilSettled(Client& client, const ClientFlags& flags, const std::string& id, int seconds) {
  const auto began = std::chrono::steady_clock::now();
  std::string last, last_step;
  auto pause = std::chrono::milliseconds(50);
  while (std::chrono::steady_clock::now() - began < std::chrono::seconds(seconds)) {
    Answer a = client.call("GET", "/v1/connections/" + id);
    if (a.exit != kExitOk) return a.exit;
    const std::string state = a.body.value("state", "");
    if (state != last) {  // progress goes to stderr, so --json output stays clean
      std::cerr << fmt::format(
          "{:>8.3f} s  {}\n",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count(), state);
    }
    last = state;
    const json& requested = a.body["requested"];
    if (state == "provisioning" && requested.is_object() && requested.contains("start")) {
      const std::string start = requested.value("start", "");
      if (auto at = parseTime(start); at && *at > std::chrono::system_clock::now()) {
        std::cerr << fmt::format("lightpath: {} is booked; it starts at {}\n", id, start);
        if (flags.json_output) printDocument(flags, a.body);
        return kExitOk;
      }
    }
    if (state == "awaiting_counterparty") {
      // Not done: the customer's part at the provider comes first. Say what it is, once.
      const json& side = a.body["current"].value("provider", json::object());
      const std::string step = side.value("next_step", "");
      if (!step.empty() && step != last_step) {
        std::cerr << "lightpath: waiting for you to " << step
                  << (side.contains("expires") ? " (by " + side.value("expires", "") + ")" : "")
                  << "\n";
      }
      last_step = step;
    }
    if (state == "active" || state == "terminated") {
      if (flags.json_output) printDocument(flags, a.body);
      return kExitOk;
    }
    if (state == "failed" || state == "rejected" || state == "cancelled") {
      const json& history = a.body["history"];
      std::cerr << "lightpath: " << id << " " << state << ": "
                << (history.empty() ? "" : history.back().value("reason", "")) << "\n";
      if (flags.json_output) printDocument(flags, a.body);
      return kExitRejected;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 3 / 2, std::chrono::milliseconds(1000));
  }
  std::cerr << fmt::format("lightpath: {} is still {} after {} s{}\n", id, last, seconds,
                           last_step.empty() ? "" : "; waiting for you to " + last_step);
  return kExitUnavailable;
}

void addOrderFlags(CLI::App* command, OrderFlags& o) {
  command->add_option("--kind", o.kind, "wavelength, ethernet or cloud")->capture_default_str();
  command->add_option("--a,--from", o.a, "A end: a site (wavelength) or a port")->required();
  command
      ->add_option("--z,--to", o.z,
                   "Z end: a site (wavelength), a port, or an on-ramp port (cloud)")
      ->required();
  command
      ->add_option("--mbps", o.mbps,
                   "bandwidth in Mb/s (wavelength: a transceiver rate, 100000 to 800000)")
      ->required();
  command->add_option("--protection", o.protection, "none or 1+1");
  command->add_flag("--revertive", o.revertive,
                    "1+1: back on the first leg after a repair (default: stays switched)");
  command->add_option("--wait-to-restore", o.wait_to_restore_s,
                      "revertive: seconds after the repair before going back (default 300)");
  command->add_option("--max-latency-ms", o.max_latency_ms, "latency bound, one way");
  command->add_option("--start", o.start, "UTC RFC 3339 start (default now)");
  command->add_option("--end", o.end, "UTC RFC 3339 end (default: until deleted)");
  command->add_option("--vlan", o.vlan, "VLAN id (default: chosen)");
  command->add_option("--cloud-provider", o.cloud_provider, "cloud: aws, azure or google");
  command->add_option("--cloud-key", o.cloud_key,
                      "cloud: what the provider gave you: your AWS account id (aws), the "
                      "ExpressRoute service key (azure), the attachment's pairing key (google)");
  command->add_option("--term", o.term, "hourly, 1, 12, 24 or 36 (months)");
  command->add_option("--sla", o.sla, "service level");
  command->add_option("--encryption", o.encryption,
                      "none, macsec (Ethernet) or layer1 (wavelength); keys managed by Lightpath");
  command->add_option("--tag", o.tags, "KEY=VALUE (repeatable)");
  command->add_option("--tenant", o.tenant, "operators: the tenant it is for");
}

}  // namespace

void addClientCommands(CLI::App& app, int* exit_code) {
  static ClientFlags flags;
  static OrderFlags order;
  static std::string id, state, kind;
  static std::size_t limit = 100, offset = 0;
  static bool follow = false;
  auto resolve = [] { resolveServerFlags(flags); };

  CLI::App* connections =
      app.add_subcommand("connections", "order, list, show, change and delete connections");
  connections->require_subcommand(1);

  CLI::App* create = connections->add_subcommand("create", "order a connection");
  addServerFlags(create, flags);
  addOrderFlags(create, order);
  create->add_option("--idempotency-key", order.idempotency_key,
                     "retry-safe key (default: a fresh one)");
  create->add_flag("--wait", order.wait,
                   "show progress until active or failed (a booked one: until it is booked)");
  create->add_option("--wait-seconds", order.wait_seconds, "give up waiting after this")
      ->capture_default_str();
  create->callback([exit_code, resolve] {
    resolve();
    auto body = orderBody(order);
    if (!body) {
      std::cerr << "lightpath: " << body.error().message() << "\n";
      *exit_code = kExitUsage;
      return;
    }
    if (order.idempotency_key.empty()) order.idempotency_key = newIdempotencyKey();
    Client client(flags);
    Answer a = client.call("POST", "/v1/connections", body->dump(),
                           {{"Idempotency-Key", order.idempotency_key}});
    if (a.exit != kExitOk) {
      *exit_code = a.exit;
      return;
    }
    const std::string made = a.body.value("id", "");
    if (order.wait) {
      if (!flags.json_output) std::cerr << made << "\n";
      *exit_code = waitUntilSettled(client, flags, made, order.wait_seconds);
      if (*exit_code == kExitOk && !flags.json_output) {
        showConnection(client.call("GET", "/v1/connections/" + made).body);
      }
      return;
    }
    if (flags.json_output) {
      printDocument(flags, a.body);
    } else {
      printTable({kConnectionHeader, connectionRow(a.body)});
    }
  });

  CLI::App* list = connections->add_subcommand("list", "the connections this key may see");
  addServerFlags(list, flags);
  list->add_option("--state", state, "only in this state");
  list->add_option("--tenant", order.tenant, "operators: only this tenant's");
  list->add_option("--limit", limit, "at most this many")->capture_default_str();
  list->add_option("--offset", offset, "skip this many")->capture_default_str();
  static std::string list_after, created_after;
  static bool newest = false;
  list->add_option("--after", list_after, "the page after this cursor (the `next:` of a page)");
  list->add_flag("--newest", newest, "newest first (default: in the order they were made)");
  list->add_option("--created-after", created_after, "only those ordered after this UTC time");
  list->callback([exit_code, resolve] {
    resolve();
    Client client(flags);
    std::string path = fmt::format("/v1/connections?limit={}", limit);
    if (offset > 0) path += fmt::format("&offset={}", offset);
    if (!list_after.empty()) path += "&after=" + httplib::detail::encode_query_param(list_after);
    if (newest) path += "&sort=-created_at";
    if (!created_after.empty())
      path += "&created_after=" + httplib::detail::encode_query_param(created_after);
    if (!state.empty()) path += "&state=" + httplib::detail::encode_query_param(state);
    if (!order.tenant.empty())
      path += "&tenant=" + httplib::detail::encode_query_param(order.tenant);
    Answer a = client.call("GET", path);
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) {
      printDocument(flags, a.body);
      return;
    }
    std::vector<std::vector<std::string>> rows{kConnectionHeader};
    for (const auto& c : a.body["items"]) rows.push_back(connectionRow(c));
    printTable(rows);
    std::cout << fmt::format("{} of {} shown\n", a.body["items"].size(), a.body.value("total", 0));
    if (a.body.contains("next_cursor"))
      std::cout << fmt::format("next: --after {}\n", a.body.value("next_cursor", ""));
  });

  CLI::App* show = connections->add_subcommand("show", "one connection: path, price, history");
  addServerFlags(show, flags);
  show->add_option("id", id, "connection id")->required();
  show->callback([exit_code, resolve] {
    resolve();
    Client client(flags);
    Answer a = client.call("GET", "/v1/connections/" + httplib::detail::encode_query_param(id));
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) {
      printDocument(flags, a.body);
    } else {
      showConnection(a.body);
    }
  });

  CLI::App* modify =
      connections->add_subcommand("modify", "change bandwidth (make-before-break) or tags");
  addServerFlags(modify, flags);
  modify->add_option("id", id, "connection id")->required();
  modify->add_option("--mbps", order.mbps, "new bandwidth in Mb/s");
  modify->add_option("--tag", order.tags, "KEY=VALUE (repeatable; replaces the tags)");
  modify->add_flag("--wait", order.wait, "wait until the change is done (active again)");
  modify->callback([exit_code, resolve] {
    resolve();
    json body = json::object();
    if (order.mbps > 0) body["bandwidth_mbps"] = order.mbps;
    if (!order.tags.empty()) {
      auto parsed = orderBody(order);
      if (!parsed) {
        std::cerr << "lightpath: " << parsed.error().message() << "\n";
        *exit_code = kExitUsage;
        return;
      }
      body["tags"] = (*parsed)["tags"];
    }
    if (body.empty()) {
      std::cerr << "lightpath: give --mbps and/or --tag\n";
      *exit_code = kExitUsage;
      return;
    }
    Client client(flags);
    Answer a = client.call("PATCH", "/v1/connections/" + httplib::detail::encode_query_param(id),
                           body.dump());
    if ((*exit_code = a.exit) != kExitOk) return;
    if (order.wait && a.status == 202) {
      *exit_code = waitUntilSettled(client, flags, id, order.wait_seconds);
      return;
    }
    if (flags.json_output) {
      printDocument(flags, a.body);
    } else {
      printTable({kConnectionHeader, connectionRow(a.body)});
    }
  });

  CLI::App* remove = connections->add_subcommand("delete", "terminate a connection");
  addServerFlags(remove, flags);
  remove->add_option("id", id, "connection id")->required();
  remove->add_flag("--wait", order.wait, "wait until terminated");
  remove->callback([exit_code, resolve] {
    resolve();
    Client client(flags);
    Answer a = client.call("DELETE", "/v1/connections/" + httplib::detail::encode_query_param(id));
    if ((*exit_code = a.exit) != kExitOk) return;
    if (order.wait) {
      *exit_code = waitUntilSettled(client, flags, id, order.wait_seconds);
      return;
    }
    if (flags.json_output) {
      printDocument(flags, a.body);
    } else {
      std::cout << fmt::format("{} {}\n", id, a.body.value("state", ""));
    }
  });

  CLI::App* rotate = connections->add_subcommand(
      "rotate-key", "replace an encrypted connection's key now (make-before-break)");
  addServerFlags(rotate, flags);
  rotate->add_option("id", id, "connection id")->required();
  rotate->add_flag("--wait", order.wait, "wait until both ends use the new key");
  rotate->callback([exit_code, resolve] {
    resolve();
    Client client(flags);
    const std::string path =
        "/v1/connections/" + httplib::detail::encode_query_param(id) + "/rotate-key";
    Answer a = client.call("POST", path, "");
    if ((*exit_code = a.exit) != kExitOk) return;
    const std::string old_key = a.body["current"]["encryption"].value("key_id", "");
    for (int i = 0; order.wait && i < order.wait_seconds * 10; ++i) {
      a = client.call("GET", "/v1/connections/" + httplib::detail::encode_query_param(id));
      if ((*exit_code = a.exit) != kExitOk) return;
      if (!a.body["current"]["encryption"].value("rotating", true)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const json& e = a.body["current"]["encryption"];
    if (order.wait && e.value("key_id", "") == old_key) {
      std::cerr << "lightpath: " << id << " kept key " << old_key
                << " (see its events: connection.keyRotationFailed)\n";
      *exit_code = kExitRejected;
      return;
    }
    if (flags.json_output) {
      printDocument(flags, a.body);
    } else {
      std::cout << fmt::format("{} key {}{}\n", id, e.value("key_id", ""),
                               e.value("rotating", false) ? " (rotating)" : "");
    }
  });

  CLI::App* quote = app.add_subcommand(
      "quote", "price, path and latency of a would-be connection (nothing is held)");
  addServerFlags(quote, flags);
  addOrderFlags(quote, order);
  quote->callback([exit_code, resolve] {
    resolve();
    auto body = orderBody(order);
    if (!body) {
      std::cerr << "lightpath: " << body.error().message() << "\n";
      *exit_code = kExitUsage;
      return;
    }
    Client client(flags);
    Answer a = client.call("POST", "/v1/quotes", body->dump());
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) printDocument(flags, a.body);
    if (!a.body.value("feasible", false)) {
      if (!flags.json_output) std::cout << "not feasible: " << a.body.value("reason", "") << "\n";
      *exit_code = kExitRejected;
      return;
    }
    if (flags.json_output) return;
    std::cout << fmt::format(
        "feasible: {:.1f} km, {:.2f} ms over {} fibers{}\n", a.body.value("km", 0.0),
        a.body.value("latency_ms", 0.0), a.body.value("fibers", json::array()).size(),
        a.body.contains("protection_fibers")
            ? fmt::format("; protection {:.1f} km", a.body.value("protection_km", 0.0))
            : "");
    if (a.body.contains("transceiver")) {
      std::string regenerators;
      for (const auto& r : a.body.value("regenerators", json::array())) {
        regenerators += (regenerators.empty() ? "" : ", ") + r.get<std::string>();
      }
      std::cout << fmt::format("transceiver: {}{}\n", a.body.value("transceiver", ""),
                               regenerators.empty() ? "" : "; regenerators at " + regenerators);
    }
    const json legs = a.body.value("qot", json::array());
    for (std::size_t i = 0; i < legs.size(); ++i) {
      std::cout << fmt::format("{} light: GSNR {:.2f} dB (0.1 nm), {:.2f} dB margin\n",
                               i == 0 ? "working" : "protection", legs[i].value("gsnr_db", 0.0),
                               legs[i].value("margin_db", 0.0));
    }
    const json price = a.body.value("price", json());
    if (price.is_object()) {
      const bool hourly = price.value("term", "") == "hourly";
      std::cout << fmt::format(
          "price: {:.2f} {} {}, {:.2f} setup ({})\n",
          price.value(hourly ? "hourly" : "monthly", 0.0), price.value("currency", ""),
          hourly ? "an hour" : "a month", price.value("setup", 0.0),
          hourly ? "billed by the hour" : price.value("term", "") + " month term");
    }
  });

  CLI::App* locations =
      app.add_subcommand("locations", "sites: PoPs, data centers, cloud on-ramps");
  addServerFlags(locations, flags);
  locations->add_option("--kind", kind, "pop, datacenter, cloud_onramp or enterprise");
  locations->callback([exit_code, resolve] {
    resolve();
    Client client(flags);
    std::string path = "/v1/locations?limit=1000";
    if (!kind.empty()) path += "&kind=" + httplib::detail::encode_query_param(kind);
    Answer a = client.call("GET", path);
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) {
      printDocument(flags, a.body);
      return;
    }
    std::vector<std::vector<std::string>> rows{{"ID", "KIND", "NAME", "METRO", "PROVIDER"}};
    for (const auto& l : a.body["items"]) {
      rows.push_back({l.value("id", ""), l.value("kind", ""), l.value("name", ""),
                      l.value("metro", ""), l.value("provider", "")});
    }
    printTable(rows);
  });

  CLI::App* events =
      app.add_subcommand("events", "what happened, after a cursor; --follow to keep watching");
  addServerFlags(events, flags);
  static std::string events_after;
  events->add_option("--after", events_after, "the cursor to start after (default: the oldest)");
  events->add_flag("--follow", follow, "then keep watching, live (the event stream)");
  events->callback([exit_code, resolve] {
    resolve();
    Client client(flags);
    auto print = [](const json& e) {
      if (flags.json_output) {
        std::cout << e.dump() << "\n";
      } else {
        std::cout << fmt::format("{}  {:<32} {}  {}\n", e.value("at", ""), e.value("type", ""),
                                 e.value("subject", ""), e["data"].value("state", ""));
      }
      std::cout << std::flush;
    };
    // What happened so far, page by page.
    std::string cursor = events_after;
    for (;;) {
      std::string path = "/v1/events?limit=1000";
      if (!cursor.empty()) path += "&after=" + httplib::detail::encode_query_param(cursor);
      Answer a = client.call("GET", path);
      if ((*exit_code = a.exit) != kExitOk) return;
      for (const auto& e : a.body["items"]) print(e);
      const std::string next = a.body.value("next_cursor", cursor);
      const bool done = a.body["items"].empty() || next == cursor;
      cursor = next;
      if (done) break;
    }
    // Then live: Server-Sent Events from that cursor, resumed after a drop.
    while (follow) {
      std::string pending;
      *exit_code = client.stream(
          "/v1/events/stream", {{"Last-Event-ID", cursor}}, [&](std::string_view piece) {
            pending.append(piece);
            for (std::size_t end; (end = pending.find("\n\n")) != std::string::npos;) {
              const std::string frame = pending.substr(0, end);
              pending.erase(0, end + 2);
              const auto data = frame.find("data: ");
              if (data == std::string::npos) continue;  // a keep-alive
              const json e = json::parse(frame.substr(data + 6), nullptr, false);
              if (!e.is_object()) continue;
              print(e);
              cursor = e.value("cursor", cursor);
            }
            return true;
          });
      if (*exit_code != kExitOk) return;
      std::this_thread::sleep_for(std::chrono::seconds(1));  // dropped: resume where it was
    }
  });
}

}  // namespace lightpath::cli
