// Survivability: the what-if analysis of every single failure, over a stopped service's data.
#include "analyze_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "exit_codes.h"
#include "lightpath/server/stack.h"

namespace lightpath::cli {
namespace {

struct AnalyzeFlags {
  std::string data = "lightpath-data", topology, by = "srlg";
  bool json = false;
};

struct Row {
  FailureTarget target;
  FailureEffect effect;
};

int runSurvivability(const AnalyzeFlags& flags) {
  if (flags.by != "srlg" && flags.by != "fiber") {
    fmt::print(stderr, "error: --by is srlg or fiber\n");
    return kExitUsage;
  }
  if (!std::filesystem::exists(std::filesystem::path(flags.data) / "lightpath.db")) {
    fmt::print(stderr, "error: {}: no Lightpath store here (lightpath.db)\n", flags.data);
    return kExitRejected;
  }
  auto stack = buildStack(
      {.data_dir = flags.data, .topology_file = flags.topology, .resume_workflows = false});
  if (!stack) {
    fmt::print(stderr, "error: {}\n", stack.error().message());
    return kExitRejected;
  }
  const Topology& t = *(*stack)->topology;
  std::vector<FailureTarget> targets;
  if (flags.by == "srlg") {
    for (const Srlg& s : t.srlgs()) targets.push_back({FailureTarget::Kind::Srlg, s.id});
  }
  if (targets.empty()) {  // asked for, or a network without shared-risk groups
    for (const Fiber& f : t.fibers()) targets.push_back({FailureTarget::Kind::Fiber, f.id});
  }
  std::vector<Row> rows;
  for (const FailureTarget& target : targets) {
    auto effect = (*stack)->provisioner->analyzeFailure(target);
    if (!effect) {
      // Down already (an unrepaired failure): nothing more to learn from failing it again.
      if (effect.error().code() == StatusCode::AlreadyExists) continue;
      fmt::print(stderr, "error: {} {}: {}\n", toString(target.kind), target.id,
                 effect.error().message());
      return kExitRejected;
    }
    rows.push_back({target, std::move(*effect)});
  }
  // Worst first: what cannot be carried, then what is hit at all.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.effect.unrestorable.size() != b.effect.unrestorable.size())
      return a.effect.unrestorable.size() > b.effect.unrestorable.size();
    return a.effect.hit.size() > b.effect.hit.size();
  });
  auto share = [](const FailureEffect& e) {
    return e.hit.empty() ? 1.0
                         : 1.0 - static_cast<double>(e.unrestorable.size()) /
                                     static_cast<double>(e.hit.size());
  };
  if (flags.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const Row& r : rows) {
      out.push_back({{std::string(toString(r.target.kind)), r.target.id},
                     {"hit", r.effect.hit.size()},
                     {"switched", r.effect.switched.size()},
                     {"restored", r.effect.restored.size()},
                     {"degraded", r.effect.degraded.size()},
                     {"unrestorable", r.effect.unrestorable.size()},
                     {"restorable_share", share(r.effect)}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  fmt::print("{:<34} {:>6} {:>9} {:>9} {:>9} {:>13} {:>11}\n", "FAILURE", "HIT", "SWITCHED",
             "RESTORED", "DEGRADED", "UNRESTORABLE", "RESTORABLE");
  for (const Row& r : rows) {
    fmt::print("{:<34} {:>6} {:>9} {:>9} {:>9} {:>13} {:>10.1f}%\n",
               fmt::format("{} {}", toString(r.target.kind), r.target.id), r.effect.hit.size(),
               r.effect.switched.size(), r.effect.restored.size(), r.effect.degraded.size(),
               r.effect.unrestorable.size(), 100.0 * share(r.effect));
  }
  return kExitOk;
}

}  // namespace

void addAnalyzeCommand(CLI::App& app, int* exit_code) {
  static AnalyzeFlags flags;
  CLI::App* analyze = app.add_subcommand("analyze", "what-if analyses of a network's services");
  analyze->require_subcommand(1);
  CLI::App* survivability = analyze->add_subcommand(
      "survivability",
      "every single shared-risk group (or fiber) failure against the services of a data "
      "directory (a stopped service's): services hit and restorable, worst first; nothing "
      "changes");
  survivability->add_option("--data", flags.data, "data directory")->capture_default_str();
  survivability->add_option("--topology", flags.topology,
                            "network file (default: the demo network)");
  survivability->add_option("--by", flags.by, "srlg or fiber")->capture_default_str();
  survivability->add_flag("--json", flags.json, "print one JSON array");
  survivability->callback([exit_code] { *exit_code = runSurvivability(flags); });
}

}  // namespace lightpath::cli
