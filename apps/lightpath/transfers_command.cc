// `lightpath transfers plan`: a workload of bulk transfers planned in order of arrival on an
// empty network, as the service would admit them (lightpath/transfer/workload.h).
#include "transfers_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "api_client.h"
#include "cli_config.h"
#include "exit_codes.h"
#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/service/connection_json.h"
#include "lightpath/transfer/workload.h"

namespace lightpath::cli {
namespace {

constexpr std::uintmax_t kMaxWorkloadBytes = 64 << 20;
// What serve offers per fiber for packet services (Provisioner's packet capacity per fiber).
constexpr double kDefaultLinkGbps = 1600;

struct PlanFlags {
  std::string topology;
  std::string workload;
  double link_gbps = kDefaultLinkGbps;
  int slot_minutes = 5;
  int routes = 4;
  std::string fill = "even";
  bool json = false;
};

Result<nlohmann::json> readWorkloadFile(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error)
    return fail(invalidArgument(fmt::format("{}: cannot read: {}", path, error.message())));
  if (size > kMaxWorkloadBytes)
    return fail(invalidArgument(fmt::format("{}: larger than 64 MiB", path)));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return fail(invalidArgument(fmt::format("{}: not valid JSON", path)));
  return json;
}

std::string humanBytes(double bytes) {
  if (bytes >= 1e15) return fmt::format("{:.2f} PB", bytes / 1e15);
  if (bytes >= 1e12) return fmt::format("{:.2f} TB", bytes / 1e12);
  return fmt::format("{:.2f} GB", bytes / 1e9);
}

int runPlan(const PlanFlags& flags) {
  if (!(flags.link_gbps > 0) || flags.link_gbps > 1e6) {
    fmt::print(stderr, "error: --link-gbps must be above 0 and at most 1000000, got {}\n",
               flags.link_gbps);
    return kExitUsage;
  }
  if (flags.slot_minutes < 1 || flags.slot_minutes > 1440) {
    fmt::print(stderr, "error: --slot-minutes must be 1 to 1440, got {}\n", flags.slot_minutes);
    return kExitUsage;
  }
  if (flags.fill != "even" && flags.fill != "earliest") {
    fmt::print(stderr, "error: --fill must be even or earliest, got {}\n", flags.fill);
    return kExitUsage;
  }
  auto topology = flags.topology.empty() ? loadDemoNetwork() : readTopologyFile(flags.topology);
  if (!topology) {
    fmt::print(stderr, "error: {}\n", topology.error().message());
    return kExitRejected;
  }
  auto json = readWorkloadFile(flags.workload);
  if (!json) {
    fmt::print(stderr, "error: {}\n", json.error().message());
    return kExitRejected;
  }
  auto orders = parseWorkload(*json, flags.workload);
  if (!orders) {
    fmt::print(stderr, "error: {}\n", orders.error().message());
    return kExitRejected;
  }
  const PathEngine engine(std::make_shared<const Topology>(std::move(*topology)));
  auto problem =
      buildWorkloadProblem(engine, std::move(*orders),
                           {.link_mbps = static_cast<std::uint64_t>(flags.link_gbps * 1000),
                            .slot = std::chrono::minutes(flags.slot_minutes),
                            .routes = flags.routes});
  if (!problem) {
    fmt::print(stderr, "error: {}: {}\n", flags.workload, problem.error().message());
    return kExitRejected;
  }
  const WorkloadOutcome outcome = planInArrivalOrder(
      *problem, flags.fill == "even" ? TransferFill::Even : TransferFill::Earliest);
  if (flags.json) {
    std::cout << workloadJson(*problem, outcome).dump(2) << "\n";
    return kExitOk;
  }
  fmt::print("{:<12} {:<22} {:<22} {:>10}  {}\n", "ID", "A", "Z", "BYTES", "OUTCOME");
  for (std::size_t i = 0; i < problem->orders.size(); ++i) {
    const TransferOrder& o = problem->orders[i];
    std::string outcome_text;
    if (const auto& plan = outcome.plans[i]) {
      std::set<int> routes;
      for (const TransferRate& r : plan->rates) routes.insert(r.route);
      outcome_text = fmt::format("admitted: {} route{}, done by {}", routes.size(),
                                 routes.size() == 1 ? "" : "s",
                                 formatTime(problem->grid.start(plan->finish_slot)));
    } else {
      outcome_text = "rejected: " + outcome.reasons[i];
    }
    fmt::print("{:<12} {:<22} {:<22} {:>10}  {}\n", o.id, o.a, o.z, humanBytes(o.bytes),
               outcome_text);
  }
  const double admitted = admittedBytes(*problem, outcome), offered = offeredBytes(*problem);
  fmt::print(
      "\nadmitted {} of {} ({:.1f}%) in {:.1f} ms; {:g} Gb/s per fiber direction, {}-minute "
      "slots\n",
      humanBytes(admitted), humanBytes(offered), offered > 0 ? 100 * admitted / offered : 0.0,
      outcome.elapsed_ms, flags.link_gbps, flags.slot_minutes);
  return kExitOk;
}

// Sizes as people write them: 1PB, 250TB, 40GB, or a number of bytes.
std::optional<double> parseBytes(const std::string& text) {
  static const std::vector<std::pair<std::string, double>> units = {
      {"PB", 1e15}, {"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"B", 1}};
  for (const auto& [unit, scale] : units) {
    if (text.size() > unit.size() && text.ends_with(unit)) {
      try {
        return std::stod(text.substr(0, text.size() - unit.size())) * scale;
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  try {
    std::size_t used = 0;
    const double bytes = std::stod(text, &used);
    return used == text.size() ? std::optional(bytes) : std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

const std::vector<std::string> kTransferHeader = {"ID",       "A",     "Z",    "BYTES",
                                                  "DEADLINE", "STATE", "DONE", "LEGS"};
std::vector<std::string> transferRow(const nlohmann::json& t) {
  return {t.value("id", ""),
          t.value("a_end", ""),
          t.value("z_end", ""),
          humanBytes(t.value("bytes", 0.0)),
          t.value("deadline", ""),
          t.value("state", ""),
          fmt::format("{:.0f}%", 100 * t["progress"].value("fraction", 0.0)),
          std::to_string(t["legs"].size())};
}

void showTransfer(const nlohmann::json& t) {
  printTable({kTransferHeader, transferRow(t)});
  std::cout << fmt::format("finishes {} (deadline {}); price {:.2f} {}\n", t.value("finish", ""),
                           t.value("deadline", ""), t["price"].value("total", 0.0),
                           t["price"].value("currency", ""));
  std::vector<std::vector<std::string>> legs{{"LEG", "STATE", "START", "END", "GBPS", "FIBERS"}};
  for (const auto& leg : t["legs"]) {
    std::string rates;
    for (const auto& step : leg["steps"])
      rates +=
          fmt::format("{}{:g}", rates.empty() ? "" : ",", step.value("bandwidth_mbps", 0.0) / 1000);
    legs.push_back({leg.value("connection", ""), leg.value("state", ""), leg.value("start", ""),
                    leg.value("end", ""), rates, std::to_string(leg["fibers"].size())});
  }
  printTable(legs);
}

// A transfer the server answered with, as JSON or for people; the command's exit code.
int printTransferAnswer(const ClientFlags& flags, const Answer& a) {
  if (a.exit != kExitOk) return a.exit;
  if (flags.json_output) {
    printDocument(flags, a.body);
  } else {
    showTransfer(a.body);
  }
  return kExitOk;
}

}  // namespace

void addTransfersCommand(CLI::App& app, int* exit_code) {
  static PlanFlags flags;
  static ClientFlags client_flags;
  static std::string a_end, z_end, size, deadline, earliest, idempotency_key, id, tenant;
  static double max_price = -1;
  auto resolve = [] { resolveServerFlags(client_flags); };
  CLI::App* transfers = app.add_subcommand(
      "transfers", "bulk transfers with a deadline: order, list, show, cancel, plan");
  transfers->require_subcommand(1);

  CLI::App* create = transfers->add_subcommand(
      "create",
      "order a transfer: admitted with a plan that meets the deadline, or refused with "
      "the earliest deadline that works");
  addServerFlags(create, client_flags);
  create->add_option("--a", a_end, "the port the bytes leave from")->required();
  create->add_option("--z", z_end, "the port they go to")->required();
  create->add_option("--bytes", size, "how much: 1PB, 250TB, 40GB or bytes")->required();
  create->add_option("--deadline", deadline, "UTC RFC 3339")->required();
  create->add_option("--earliest", earliest, "UTC RFC 3339 (default: now)");
  create->add_option("--max-price", max_price, "refuse a plan that costs more");
  create->add_option("--tenant", tenant, "operators: the tenant ordering");
  create->add_option("--idempotency-key", idempotency_key, "retry-safe key (default: a fresh one)");
  create->callback([exit_code, resolve] {
    resolve();
    const auto bytes = parseBytes(size);
    if (!bytes) {
      std::cerr << "lightpath: --bytes: a size like 1PB, 250TB or 40GB, got '" << size << "'\n";
      *exit_code = kExitUsage;
      return;
    }
    nlohmann::json body{
        {"a_end", a_end}, {"z_end", z_end}, {"bytes", *bytes}, {"deadline", deadline}};
    if (!earliest.empty()) body["earliest"] = earliest;
    if (max_price >= 0) body["max_price"] = max_price;
    if (!tenant.empty()) body["tenant"] = tenant;
    if (idempotency_key.empty()) idempotency_key = newIdempotencyKey();
    Client client(client_flags);
    Answer a =
        client.call("POST", "/v1/transfers", body.dump(), {{"Idempotency-Key", idempotency_key}});
    *exit_code = printTransferAnswer(client_flags, a);
  });

  CLI::App* list =
      transfers->add_subcommand("list", "the transfers this key may see, newest first");
  addServerFlags(list, client_flags);
  list->callback([exit_code, resolve] {
    resolve();
    Client client(client_flags);
    Answer a = client.call("GET", "/v1/transfers?limit=100");
    if ((*exit_code = a.exit) != kExitOk) return;
    if (client_flags.json_output) {
      printDocument(client_flags, a.body);
      return;
    }
    std::vector<std::vector<std::string>> rows{kTransferHeader};
    for (const auto& t : a.body["items"]) rows.push_back(transferRow(t));
    printTable(rows);
  });

  CLI::App* show = transfers->add_subcommand("show", "one transfer: its plan, legs and progress");
  addServerFlags(show, client_flags);
  show->add_option("id", id, "transfer id")->required();
  show->callback([exit_code, resolve] {
    resolve();
    Client client(client_flags);
    Answer a = client.call("GET", "/v1/transfers/" + httplib::detail::encode_query_param(id));
    *exit_code = printTransferAnswer(client_flags, a);
  });

  CLI::App* cancel = transfers->add_subcommand(
      "delete", "cancel a transfer: its legs end, their capacity is given back");
  addServerFlags(cancel, client_flags);
  cancel->add_option("id", id, "transfer id")->required();
  cancel->callback([exit_code, resolve] {
    resolve();
    Client client(client_flags);
    Answer a = client.call("DELETE", "/v1/transfers/" + httplib::detail::encode_query_param(id));
    *exit_code = printTransferAnswer(client_flags, a);
  });

  CLI::App* plan = transfers->add_subcommand(
      "plan",
      "plan a workload of transfers offline, in order of arrival, on an empty network: which are "
      "admitted and each one's bandwidth over time and routes");
  plan->add_option("--topology", flags.topology,
                   "network file (default: the built-in demo network)");
  plan->add_option("--workload", flags.workload,
                   "a JSON array of {\"id\", \"a\", \"z\", \"bytes\", \"earliest\", \"deadline\"} "
                   "(ends: node or site ids; times RFC 3339 UTC)")
      ->required();
  plan->add_option(
          "--link-gbps", flags.link_gbps,
          "what every fiber offers per direction (default: serve's packet capacity per fiber)")
      ->capture_default_str();
  plan->add_option("--slot-minutes", flags.slot_minutes, "plans run in whole slots of this length")
      ->capture_default_str();
  plan->add_option("--routes", flags.routes, "candidate routes per transfer")
      ->capture_default_str();
  plan->add_option(
          "--fill", flags.fill,
          "even: the least peak rate that meets the deadline; earliest: as soon as possible")
      ->capture_default_str();
  plan->add_flag("--json", flags.json, "print one JSON object");
  plan->callback([exit_code] { *exit_code = runPlan(flags); });
}

}  // namespace lightpath::cli
