// `lightpath topology inspect|convert`.
#include "topology_command.h"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "exit_codes.h"
#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/model/statistics.h"

namespace lightpath::cli {
namespace {

struct ImportFlags {
  std::string format;
  double route_factor = ImportOptions{}.route_factor;
  std::string coordinates = "auto";
};

void addImportFlags(CLI::App* command, ImportFlags& flags) {
  command->add_option("--format", flags.format,
                      "input format: native-yaml, native-json, gml, sndlib, sndlib-xml, "
                      "node-link, gnpy, net2plan, edge-list (default: detected)");
  command
      ->add_option("--route-factor", flags.route_factor,
                   "fiber km per great-circle km, for formats without lengths")
      ->capture_default_str();
  command
      ->add_option("--coordinates", flags.coordinates,
                   "SNDlib coordinates: auto, decimal, degrees-minutes, planar")
      ->capture_default_str();
}

// Loads FILE, or the built-in demo network when FILE is empty.
Result<Topology> load(const std::string& file, const ImportFlags& flags) {
  ImportOptions options;
  options.route_factor = flags.route_factor;
  if (!flags.format.empty()) {
    LP_ASSIGN_OR_RETURN(auto format, parseTopologyFormat(flags.format));
    options.format = format;
  }
  if (flags.coordinates == "decimal")
    options.coordinates = CoordinateConvention::Decimal;
  else if (flags.coordinates == "degrees-minutes")
    options.coordinates = CoordinateConvention::DegreesMinutes;
  else if (flags.coordinates == "planar")
    options.coordinates = CoordinateConvention::Planar;
  else if (flags.coordinates != "auto") {
    return fail(invalidArgument("--coordinates must be auto, decimal, degrees-minutes or planar"));
  }
  if (file.empty()) return loadDemoNetwork();
  return readTopologyFile(file, options);
}

double toMs(Km km) { return fiberLatency(km).value() / 1000.0; }

nlohmann::ordered_json statisticsJson(const Topology& t, const TopologyStatistics& s) {
  nlohmann::ordered_json sites_by_kind = nlohmann::ordered_json::object();
  for (auto [kind, count] : s.sites_by_kind) sites_by_kind[std::string(toString(kind))] = count;
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  for (const Finding& f : t.findings()) {
    warnings.push_back({{"code", f.code}, {"message", f.message}});
  }
  return {{"name", t.name()},
          {"provenance", t.provenance()},
          {"sites", s.sites},
          {"sites_by_kind", sites_by_kind},
          {"nodes", s.nodes},
          {"fibers", s.fibers},
          {"srlgs", s.srlgs},
          {"ports", s.ports},
          {"transceivers", s.transceivers},
          {"total_km", s.total_length.value()},
          {"longest_fiber", s.longest_fiber},
          {"longest_fiber_km", s.longest_fiber_length.value()},
          {"estimated_lengths", s.estimated_lengths},
          {"components", s.components},
          {"degree", {{"min", s.min_degree}, {"mean", s.mean_degree}, {"max", s.max_degree}}},
          {"diameter_km", s.diameter.value()},
          {"diameter_ms", toMs(s.diameter)},
          {"diameter_between", {s.diameter_from, s.diameter_to}},
          {"warnings", warnings}};
}

void printStatistics(const Topology& t, const TopologyStatistics& s) {
  std::string kinds;
  for (auto [kind, count] : s.sites_by_kind) {
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, toString(kind));
  }
  fmt::print("network      {}\n", t.name());
  if (!t.provenance().empty()) fmt::print("source       {}\n", t.provenance());
  fmt::print("sites        {} ({})\n", s.sites, kinds);
  fmt::print("nodes        {}\n", s.nodes);
  fmt::print("fibers       {}   total {:.1f} km, longest {:.1f} km ({})\n", s.fibers,
             s.total_length.value(), s.longest_fiber_length.value(), s.longest_fiber);
  if (s.estimated_lengths > 0) {
    fmt::print("             {} of {} lengths estimated from coordinates or assumed\n",
               s.estimated_lengths, s.fibers);
  }
  fmt::print("srlgs        {}\n", s.srlgs);
  fmt::print("ports        {}\n", s.ports);
  if (s.transceivers > 0) fmt::print("transceivers {}\n", s.transceivers);
  fmt::print("components   {}\n", s.components);
  fmt::print("degree       min {}, mean {:.2f}, max {}\n", s.min_degree, s.mean_degree,
             s.max_degree);
  fmt::print("diameter     {:.1f} km, {:.2f} ms one-way ({} to {})\n", s.diameter.value(),
             toMs(s.diameter), s.diameter_from, s.diameter_to);
  if (t.findings().empty()) {
    fmt::print("findings     none\n");
  } else {
    // Show a few of each kind; --json lists them all.
    constexpr std::size_t kShownPerCode = 5;
    fmt::print("findings     {}\n", t.findings().size());
    std::map<std::string, std::size_t> per_code;
    for (const Finding& f : t.findings()) {
      if (++per_code[f.code] <= kShownPerCode) fmt::print("  {}\n", toString(f));
    }
    for (const auto& [code, count] : per_code) {
      if (count > kShownPerCode) {
        fmt::print("  ... and {} more [{}] (all with --json)\n", count - kShownPerCode, code);
      }
    }
  }
}

}  // namespace

void addTopologyCommands(CLI::App& app, int* exit_code) {
  CLI::App* topology = app.add_subcommand("topology", "inspect and convert network files");
  topology->require_subcommand(1);

  // Flag storage lives as long as the App: CLI11 callbacks run during parse.
  static ImportFlags inspect_flags, convert_flags;
  static std::string inspect_file, convert_in, convert_out;
  static bool as_json = false;

  CLI::App* inspect = topology->add_subcommand(
      "inspect", "counts, lengths, degrees, diameter and validation findings of a network");
  inspect->add_option("file", inspect_file, "network file (default: the built-in demo network)");
  inspect->add_flag("--json", as_json, "print one JSON object");
  addImportFlags(inspect, inspect_flags);
  inspect->callback([exit_code] {
    auto t = load(inspect_file, inspect_flags);
    if (!t) {
      fmt::print(stderr, "error: {}\n", t.error().message());
      *exit_code = kExitRejected;
      return;
    }
    TopologyStatistics s = computeStatistics(*t);
    if (as_json) {
      std::cout << statisticsJson(*t, s).dump(2) << "\n";
    } else {
      printStatistics(*t, s);
    }
    *exit_code = kExitOk;
  });

  CLI::App* convert =
      topology->add_subcommand("convert",
                               "convert a network file; output format from OUT's extension "
                               "(.yaml, .json, .geojson)");
  convert->add_option("in", convert_in, "input network file")->required();
  convert->add_option("out", convert_out, "output file")->required();
  addImportFlags(convert, convert_flags);
  convert->callback([exit_code] {
    auto t = load(convert_in, convert_flags);
    if (!t) {
      fmt::print(stderr, "error: {}\n", t.error().message());
      *exit_code = kExitRejected;
      return;
    }
    if (Status s = writeTopologyFile(*t, convert_out); !s.isOk()) {
      fmt::print(stderr, "error: {}\n", s.message());
      *exit_code = kExitRejected;
      return;
    }
    fmt::print(stderr, "wrote {}: {} nodes, {} fibers\n", convert_out, t->nodes().size(),
               t->fibers().size());
    *exit_code = kExitOk;
  });
}

}  // namespace lightpath::cli
