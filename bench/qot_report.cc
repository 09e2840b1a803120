// Lightpath's GSNR next to GNPy's on CORONET CONUS, route by route, for docs/optical.md and for
// the test that holds them together (mean |delta| <= 0.3 dB, max <= 0.5 dB, Lightpath never more
// optimistic than GNPy by more than 0.5 dB).
//
//   qot_report [--gnpy DIR] [--check] [--markdown]
//
// DIR is a GNPy source tree runnable with its run.sh (default ../shared/peers/gnpy beside the
// repository, the CMake cache's LIGHTPATH_GNPY); without it only Lightpath's figures are printed
// (and --check skips, exit 77). Routes: the shortest by km between 23 city pairs, 24 km to 6,472
// km, and each is propagated by GNPy (bench/gnpy_qot.py) with its default equipment, auto-design
// and full 76-channel load.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/optical/qot.h"
#include "lightpath/pce/path_engine.h"

namespace {

using namespace lightpath;

constexpr std::pair<const char*, const char*> kPairs[] = {{"New_York", "Newark"},
                                                          {"San_Francisco", "Oakland"},
                                                          {"Los_Angeles", "San_Diego"},
                                                          {"Chicago", "Milwaukee"},
                                                          {"Boston", "Providence"},
                                                          {"Dallas", "Houston"},
                                                          {"Los_Angeles", "San_Francisco"},
                                                          {"Boston", "Washington_DC"},
                                                          {"Atlanta", "Charlotte"},
                                                          {"Denver", "Salt_Lake_City"},
                                                          {"Chicago", "Nashville"},
                                                          {"Seattle", "Portland"},
                                                          {"New_York", "Chicago"},
                                                          {"Phoenix", "Dallas"},
                                                          {"Denver", "Chicago"},
                                                          {"Atlanta", "Miami"},
                                                          {"Seattle", "Denver"},
                                                          {"Los_Angeles", "Dallas"},
                                                          {"Abilene", "Albany"},
                                                          {"New_York", "Los_Angeles"},
                                                          {"Boston", "San_Diego"},
                                                          {"Miami", "Seattle"},
                                                          {"Seattle", "Miami"}};

struct Row {
  std::string a, z;
  std::vector<std::string> nodes;
  double km = 0;
  QotEstimate lightpath;
  double gnpy = NAN, gnpy_signal = NAN, gnpy_osnr = NAN;
  int gnpy_spans = 0;
};

int run(const std::string& gnpy_dir, bool check, bool markdown) {
  const std::string file =
      std::string(LIGHTPATH_TEST_DATA) + "/topologies/coronet/CORONET_CONUS_Topology.json";
  auto loaded = readTopologyFile(file);
  if (!loaded) {
    std::cerr << loaded.error().message() << "\n";
    return 1;
  }
  auto topology = std::make_shared<const Topology>(std::move(*loaded));
  const PathEngine engine(topology);
  PathWorkspace ws;
  const OpticalEquipment& eq = defaultEquipment();
  std::vector<Row> rows;
  for (auto [a, z] : kPairs) {
    auto from = engine.resolveNode(a);
    auto to = engine.resolveNode(z);
    if (!from || !to) {
      std::cerr << "no node " << (from ? z : a) << "\n";
      return 1;
    }
    auto path = engine.shortestPath({.from = *from, .to = *to}, ws);
    if (!path) {
      std::cerr << path.error().message() << "\n";
      return 1;
    }
    Row row{a, z};
    for (NodeIndex n : path->nodes) {
      const Node& node = topology->node(n);
      row.nodes.push_back(node.source_id.empty() ? node.id : node.source_id);
    }
    row.km = path->length.value();
    row.lightpath = estimateGsnr(*topology, path->fibers, eq.load.baud_hz / 1e9, eq);
    rows.push_back(std::move(row));
  }

  const bool have_gnpy = !gnpy_dir.empty() && std::filesystem::exists(gnpy_dir + "/run.sh");
  if (have_gnpy) {
    const auto dir = std::filesystem::temp_directory_path() /
                     fmt::format("lightpath-qot-{}", static_cast<long>(::getpid()));
    std::filesystem::create_directories(dir);
    nlohmann::json routes = nlohmann::json::array();
    for (const Row& r : rows) routes.push_back({{"nodes", r.nodes}});
    std::ofstream(dir / "routes.json") << routes.dump();
    const std::string command =
        fmt::format("'{}/run.sh' python '{}' '{}' '{}' > '{}' 2> '{}'", gnpy_dir,
                    LIGHTPATH_BENCH_DIR "/gnpy_qot.py", file, (dir / "routes.json").string(),
                    (dir / "gnpy.json").string(), (dir / "gnpy.err").string());
    if (std::system(command.c_str()) != 0) {
      std::ifstream err(dir / "gnpy.err");
      std::cerr << "GNPy failed:\n" << err.rdbuf() << "\n";
      return 1;
    }
    std::ifstream in(dir / "gnpy.json");
    const auto answer = nlohmann::json::parse(in, nullptr, false);
    if (!answer.is_array() || answer.size() != rows.size()) {
      std::cerr << "GNPy's answer is not one result per route\n";
      return 1;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i].gnpy = answer[i].at("gsnr_db").get<double>();
      rows[i].gnpy_signal = answer[i].at("gsnr_signal_db").get<double>();
      rows[i].gnpy_osnr = answer[i].at("osnr_db").get<double>();
      rows[i].gnpy_spans = answer[i].at("spans").get<int>();
    }
    std::filesystem::remove_all(dir);
  }

  double sum = 0, worst = 0, most_optimistic = -1e9;
  if (markdown) {
    fmt::print(
        "| route | km | spans (LP / GNPy) | GSNR 0.1 nm: Lightpath | GNPy | delta | OSNR: "
        "Lightpath "
        "| GNPy |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
  }
  for (const Row& r : rows) {
    const double delta = r.lightpath.gsnr.value() - r.gnpy;
    if (have_gnpy) {
      sum += std::abs(delta);
      worst = std::max(worst, std::abs(delta));
      most_optimistic = std::max(most_optimistic, delta);
    }
    if (markdown) {
      fmt::print("| {} - {} | {:.0f} | {} / {} | {:.2f} | {:.2f} | {:+.2f} | {:.2f} | {:.2f} |\n",
                 r.a, r.z, r.km, r.lightpath.spans, r.gnpy_spans, r.lightpath.gsnr.value(), r.gnpy,
                 delta, r.lightpath.osnr_ase.value(), r.gnpy_osnr);
    } else {
      fmt::print("{:<32} {:>6.0f} km  lightpath {:6.2f} dB  gnpy {:6.2f} dB  delta {:+.2f}\n",
                 r.a + std::string(" - ") + r.z, r.km, r.lightpath.gsnr.value(), r.gnpy, delta);
    }
  }
  if (!have_gnpy) {
    fmt::print("GNPy not found ({}): Lightpath's figures only\n",
               gnpy_dir.empty() ? "no --gnpy" : gnpy_dir);
    return check ? 77 : 0;
  }
  const double mean = sum / static_cast<double>(rows.size());
  fmt::print(
      "{} routes: mean |delta| {:.3f} dB, max |delta| {:.3f} dB, most optimistic {:+.3f} dB\n",
      rows.size(), mean, worst, most_optimistic);
  if (check && (mean > 0.3 || worst > 0.5 || most_optimistic > 0.5)) {
    fmt::print(stderr, "FAIL: Lightpath and GNPy disagree beyond 0.3 dB mean / 0.5 dB max\n");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string gnpy = LIGHTPATH_GNPY;
  bool check = false, markdown = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--gnpy" && i + 1 < argc) {
      gnpy = argv[++i];
    } else if (arg == "--check") {
      check = true;
    } else if (arg == "--markdown") {
      markdown = true;
    } else {
      fmt::print(stderr, "usage: qot_report [--gnpy DIR] [--check] [--markdown]\n");
      return 2;
    }
  }
  return run(gnpy, check, markdown);
}
