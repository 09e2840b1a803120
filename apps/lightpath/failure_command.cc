// Failures from the command line, over the API (operators' key).
#include "failure_command.h"

#include <fmt/format.h>

#include <iostream>

#include "api_client.h"
#include "cli_config.h"

namespace lightpath::cli {
namespace {

using nlohmann::json;

std::string joined(const json& ids) {
  std::string out;
  for (const json& id : ids) out += (out.empty() ? "" : ", ") + id.get<std::string>();
  return out.empty() ? "-" : out;
}

// What a failure did (or would do), for people.
void printEffect(const json& e) {
  std::cout << fmt::format("hit:          {}\n", e.value("hit", json::array()).size());
  for (const char* key : {"switched", "restored", "degraded", "reprotected"}) {
    const json ids = e.value(key, json::array());
    if (!ids.empty()) std::cout << fmt::format("{:<13} {}\n", std::string(key) + ":", joined(ids));
  }
  for (const json& u : e.value("unrestorable", json::array())) {
    std::cout << fmt::format("down:         {}: {}\n", u.value("id", ""), u.value("reason", ""));
  }
  for (const json& s : e.value("shortfall", json::array())) {
    std::cout << fmt::format("short:        {} lacks {} Mb/s\n", s.value("fiber", ""),
                             s.value("mbps", 0));
  }
}

}  // namespace

void addFailureCommands(CLI::App* admin, int* exit_code) {
  static ClientFlags flags;
  static std::string fiber, srlg, node, reason, id;
  static bool what_if = false;

  CLI::App* fail = admin->add_subcommand(
      "fail", "record a fiber, shared-risk group or node as down on a running server");
  addServerFlags(fail, flags);
  auto* f = fail->add_option("--fiber", fiber, "fiber id");
  auto* s = fail->add_option("--srlg", srlg, "shared-risk group id");
  auto* n = fail->add_option("--node", node, "node id");
  f->excludes(s)->excludes(n);
  s->excludes(n);
  fail->add_option("--reason", reason, "what happened (kept with the failure)");
  fail->add_flag("--what-if", what_if, "only say what it would do; nothing changes");
  fail->callback([exit_code] {
    resolveServerFlags(flags);
    json body = json::object();
    if (!fiber.empty()) body["fiber"] = fiber;
    if (!srlg.empty()) body["srlg"] = srlg;
    if (!node.empty()) body["node"] = node;
    if (body.empty()) {
      std::cerr << "lightpath: give --fiber, --srlg or --node\n";
      *exit_code = kExitUsage;
      return;
    }
    if (!reason.empty()) body["reason"] = reason;
    Client client(flags);
    Answer a = client.call("POST", what_if ? "/v1/analysis/failure" : "/v1/failures", body.dump());
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) {
      printDocument(flags, a.body);
      return;
    }
    if (!what_if) std::cout << fmt::format("failure {}\n", a.body.value("id", ""));
    printEffect(a.body);
  });

  CLI::App* repair = admin->add_subcommand("repair", "record the repair of a failure");
  addServerFlags(repair, flags);
  repair->add_option("id", id, "failure id")->required();
  repair->callback([exit_code] {
    resolveServerFlags(flags);
    Client client(flags);
    Answer a = client.call("DELETE", "/v1/failures/" + httplib::detail::encode_query_param(id));
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) {
      printDocument(flags, a.body);
      return;
    }
    std::cout << fmt::format("failure {} repaired\n", id);
    printEffect(a.body.value("repair_effect", json::object()));
  });

  CLI::App* list = admin->add_subcommand("failures", "failures recorded, newest first");
  addServerFlags(list, flags);
  list->callback([exit_code] {
    resolveServerFlags(flags);
    Client client(flags);
    Answer a = client.call("GET", "/v1/failures?limit=1000");
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) {
      printDocument(flags, a.body);
      return;
    }
    std::vector<std::vector<std::string>> rows{{"ID", "WHAT", "STATE", "AT", "HIT", "DOWN"}};
    for (const json& x : a.body["items"]) {
      std::string what;
      for (const char* k : {"fiber", "srlg", "node"})
        if (x.contains(k)) what = fmt::format("{} {}", k, x.value(k, ""));
      rows.push_back({x.value("id", ""), what, x.value("state", ""), x.value("at", ""),
                      std::to_string(x.value("hit", json::array()).size()),
                      std::to_string(x.value("unrestorable", json::array()).size())});
    }
    printTable(rows);
  });
}

}  // namespace lightpath::cli
