// GSNR of CORONET CONUS routes under GNPy's example equipment assumptions, for the side by side
// in docs/optical.md: the shortest route between a few city pairs, with GNPy's fixed 0 dBm per
// channel and with per-span optimum launch power, and which GNPy Voyager modes each would carry
// with GNPy's 2 dB system margin.
#include <fmt/format.h>

#include <iostream>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/optical/qot.h"
#include "lightpath/pce/path_engine.h"

int main() {
  using namespace lightpath;
  auto loaded = readTopologyFile(std::string(LIGHTPATH_TEST_DATA) +
                                 "/topologies/coronet/CORONET_CONUS_Topology.json");
  if (!loaded) {
    std::cerr << loaded.error().message() << "\n";
    return 1;
  }
  auto topology = std::make_shared<const Topology>(std::move(*loaded));
  const PathEngine engine(topology);
  PathWorkspace ws;
  auto catalog = loadTransceiverCatalog();
  LineSystem fixed;  // GNPy SI: 0 dBm per channel; GNPy splits spans at 150 km (Span max_length)
  fixed.optimal_launch = false;
  fixed.launch_dbm = 0;
  fixed.span_km = 150;
  LineSystem optimum = fixed;
  optimum.optimal_launch = true;
  fmt::print(
      "| route | km | spans | GSNR 0 dBm (dB) | GSNR optimum (dB) | Voyager modes with 2 dB margin "
      "(optimum) |\n");
  fmt::print("|---|---:|---:|---:|---:|---|\n");
  for (auto [a, z] : {std::pair{"Abilene", "Albany"},
                      {"New_York", "Chicago"},
                      {"Seattle", "Miami"},
                      {"Dallas", "Houston"},
                      {"Los_Angeles", "San_Francisco"},
                      {"Boston", "Washington_DC"}}) {
    auto path =
        engine.shortestPath({.from = *engine.resolveNode(a), .to = *engine.resolveNode(z)}, ws);
    if (!path) continue;
    const QotEstimate q0 = estimateGsnr(*topology, path->fibers, 32, fixed);
    const QotEstimate qo = estimateGsnr(*topology, path->fibers, 32, optimum);
    std::string modes;
    for (const TransceiverSpec& trx : *catalog) {
      if (trx.id.rfind("gnpy-", 0) != 0) continue;
      const QotEstimate q = estimateGsnr(*topology, path->fibers, trx.baud_gbd, optimum);
      if (q.gsnr.value() >= trx.min_gsnr.value() + optimum.margin_db) {
        modes += (modes.empty() ? "" : ", ") + fmt::format("{:g}G", trx.line_rate.value());
      }
    }
    fmt::print("| {} - {} | {:.0f} | {} | {:.1f} | {:.1f} | {} |\n", a, z, path->length.value(),
               q0.spans, q0.gsnr.value(), qo.gsnr.value(),
               modes.empty() ? "none (regenerate)" : modes);
  }
  return 0;
}
