// `lightpath tenants|api-keys|oauth-clients|webhooks|ports|orders|audit`: the account's things,
// each listed, made and removed alike where the API allows it. A made secret is printed once, as
// the API shows it once. `ports assign` gives a port to a tenant (operators).
#include "account_command.h"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "api_client.h"
#include "cli_config.h"

namespace lightpath::cli {
namespace {

using nlohmann::json;

struct Resource {
  const char* command;                                       // "api-keys"
  const char* path;                                          // "/v1/api-keys"
  const char* description;                                   // of the command
  std::vector<std::pair<const char*, const char*>> columns;  // header, field
  std::vector<std::pair<const char*, const char*>> fields;   // flag, what (POST body strings)
  const char* secret_field;                                  // shown once on creation, or null
  bool creatable;
  bool deletable;
};

std::string cell(const json& item, const char* field) {
  if (!item.contains(field) || item.at(field).is_null()) return "";
  const json& v = item.at(field);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

void addResource(CLI::App& app, const Resource& r, ClientFlags& flags, int* exit_code) {
  CLI::App* command = app.add_subcommand(r.command, r.description);
  command->require_subcommand(1);

  CLI::App* list =
      command->add_subcommand("list", std::string("the ") + r.command + " this key may see");
  addServerFlags(list, flags);
  list->callback([&flags, r, exit_code] {
    resolveServerFlags(flags);
    Client client(flags);
    Answer a = client.call("GET", std::string(r.path) + "?limit=1000");
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) {
      printDocument(flags, a.body);
      return;
    }
    std::vector<std::vector<std::string>> rows(1);
    for (const auto& [header, field] : r.columns) rows[0].emplace_back(header);
    for (const json& item : a.body["items"]) {
      rows.emplace_back();
      for (const auto& [header, field] : r.columns) rows.back().push_back(cell(item, field));
    }
    printTable(rows);
  });

  if (!r.creatable) return;
  CLI::App* create = command->add_subcommand("create", std::string("make one of the ") + r.command);
  addServerFlags(create, flags);
  auto values = std::make_shared<std::map<std::string, std::string>>();
  for (const auto& [flag, what] : r.fields)
    create->add_option(std::string("--") + flag, (*values)[flag], what);
  create->callback([&flags, r, exit_code, values] {
    resolveServerFlags(flags);
    json body = json::object();
    for (const auto& [flag, value] : *values) {
      if (!value.empty()) body[flag] = value;
    }
    Client client(flags);
    Answer a = client.call("POST", r.path, body.dump(), {{"Idempotency-Key", newIdempotencyKey()}});
    if ((*exit_code = a.exit) != kExitOk) return;
    if (flags.json_output) {
      printDocument(flags, a.body);
      return;
    }
    std::cout << fmt::format("made {}\n", cell(a.body, "id"));
    if (r.secret_field && a.body.contains(r.secret_field)) {
      std::cout << fmt::format("{} (shown once: keep it now): {}\n", r.secret_field,
                               cell(a.body, r.secret_field));
    }
  });

  if (!r.deletable) return;
  auto id = std::make_shared<std::string>();
  CLI::App* remove = command->add_subcommand("delete", "remove (revoke) one by id");
  addServerFlags(remove, flags);
  remove->add_option("id", *id, "its id")->required();
  remove->callback([&flags, r, exit_code, id] {
    resolveServerFlags(flags);
    Client client(flags);
    Answer a =
        client.call("DELETE", std::string(r.path) + "/" + httplib::detail::encode_query_param(*id));
    if ((*exit_code = a.exit) != kExitOk) return;
    if (!flags.json_output) std::cout << fmt::format("deleted {}\n", *id);
  });
}

// API keys and OAuth clients are made and shown alike.
std::vector<std::pair<const char*, const char*>> credentialColumns(const char* id_header,
                                                                   const char* id_field) {
  return {{id_header, id_field},
          {"TENANT", "tenant"},
          {"ROLE", "role"},
          {"NAME", "name"},
          {"CREATED", "created_at"}};
}

}  // namespace

void addAccountCommands(CLI::App& app, int* exit_code) {
  static ClientFlags flags;
  const std::vector<std::pair<const char*, const char*>> credential_fields{
      {"tenant", "whose (operators: any; else your own)"},
      {"role", "operator, admin or viewer"},
      {"name", "what it is for"}};
  const std::vector<Resource> resources{
      {"tenants",
       "/v1/tenants",
       "the carrier's customers (operators make them)",
       {{"ID", "id"}, {"NAME", "name"}, {"CREATED", "created_at"}},
       {{"id", "1-40 of a-z, 0-9 and '-'"}, {"name", "what people call it"}},
       nullptr,
       true,
       false},
      {"api-keys", "/v1/api-keys", "keys for people and scripts: made, listed, revoked",
       credentialColumns("ID", "id"), credential_fields, "secret", true, true},
      {"oauth-clients", "/v1/oauth-clients",
       "OAuth2 clients: their secret buys access tokens at /oauth/token",
       credentialColumns("CLIENT ID", "client_id"), credential_fields, "client_secret", true, true},
      {"webhooks",
       "/v1/webhooks",
       "where your events are posted, signed",
       {{"ID", "id"},
        {"TENANT", "tenant"},
        {"URL", "url"},
        {"FAILURES", "failures"},
        {"LAST ERROR", "last_error"}},
       {{"url", "the receiver (https://...)"}, {"secret", "your own signing secret (optional)"}},
       "secret",
       true,
       true},
      {"ports",
       "/v1/ports",
       "customer ports and whose they are (operators assign them)",
       {{"ID", "id"},
        {"SITE", "site"},
        {"GBPS", "speed_gbps"},
        {"TENANT", "tenant"},
        {"USED MBPS", "used_mbps"}},
       {},
       nullptr,
       false,
       false},
      {"orders",
       "/v1/orders",
       "what was asked of the service, newest first",
       {{"ID", "id"},
        {"TYPE", "type"},
        {"CONNECTION", "connection"},
        {"TENANT", "tenant"},
        {"AT", "at"},
        {"STATUS", "status"}},
       {},
       nullptr,
       false,
       false},
      {"audit",
       "/v1/audit",
       "who changed what (operators)",
       {{"AT", "at"},
        {"ACTOR", "actor"},
        {"METHOD", "method"},
        {"PATH", "path"},
        {"STATUS", "status"}},
       {},
       nullptr,
       false,
       false},
  };
  for (const Resource& r : resources) addResource(app, r, flags, exit_code);

  // ports assign PORT --tenant T (or --release): the operator's PATCH of a port's tenant.
  static std::string port, tenant;
  static bool release = false;
  CLI::App* ports = app.get_subcommand("ports");
  CLI::App* assign = ports->add_subcommand("assign", "give a port to a tenant (operators)");
  addServerFlags(assign, flags);
  assign->add_option("port", port, "the port's id")->required();
  auto* to = assign->add_option("--tenant", tenant, "the tenant it goes to");
  assign->add_flag("--release", release, "take it back from its tenant")->excludes(to);
  assign->callback([exit_code] {
    resolveServerFlags(flags);
    if (tenant.empty() && !release) {
      std::cerr << "lightpath: ports assign: --tenant T or --release\n";
      *exit_code = kExitUsage;
      return;
    }
    Client client(flags);
    const json body{{"tenant", release ? json(nullptr) : json(tenant)}};
    Answer a =
        client.call("PATCH", "/v1/ports/" + httplib::detail::encode_query_param(port), body.dump());
    if ((*exit_code = a.exit) != kExitOk) return;
    if (!flags.json_output)
      std::cout << fmt::format("{} {}\n", port, release ? "released" : "assigned to " + tenant);
  });
}

}  // namespace lightpath::cli
