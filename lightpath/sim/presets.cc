// The presets. DeepRMSA settings follow Doherty & Beghelli (JOCN 17(9), 2025) and their XLRON
// scripts: 100 slots of 12.5 GHz, 1 guard slot, k = 5 shortest routes by km (in that order:
// it reproduces their KSP-FF figure; XLRON's own default orders by spectrum needed, which
// blocks less, see docs/optical.md), integer bit rates 25-100 Gb/s, holding times truncated below
// twice the mean, the DeepRMSA modulation table, 3,000 warm-up requests, one spectrum per fiber
// direction.
#include "lightpath/sim/presets.h"

#include <fmt/format.h>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/sim/internal/benchmark_networks.h"

namespace lightpath {

std::vector<double> deepRmsaBitrates() {
  std::vector<double> rates;
  for (int b = 25; b <= 100; ++b) rates.push_back(b);
  return rates;
}

std::vector<Preset> simulationPresets() {
  return {
      {"deeprmsa-nsfnet", "DeepRMSA NSFNET: 14 nodes, 100 slots, k=5, 250 Erlang, holding 25", 250},
      {"deeprmsa-cost239", "DeepRMSA COST239: 11 nodes, 100 slots, k=5, 600 Erlang, holding 30",
       600},
      {"conus-c-band",
       "CONUS 75, C-band (384 slots), k=5, GSNR-checked modulation and regenerators, 150 Erlang",
       150},
  };
}

Result<std::pair<SimulationSetup, double>> presetSetup(std::string_view name) {
  SimulationSetup setup;
  setup.name = std::string(name);
  setup.route_order = RouteOrder::Length;
  std::string_view network;
  double load = 0;
  setup.traffic.bitrates_gbps = deepRmsaBitrates();
  if (name == "deeprmsa-nsfnet") {
    network = benchmarkNetwork("nsfnet_deeprmsa");
    setup.traffic.mean_holding = 25;
    setup.traffic.truncate_holding = true;
    load = 250;
  } else if (name == "deeprmsa-cost239") {
    network = benchmarkNetwork("cost239_deeprmsa");
    setup.traffic.mean_holding = 30;
    setup.traffic.truncate_holding = true;
    load = 600;
  } else if (name == "conus-c-band") {
    // Ours: a carrier-sized setting with the physics on. Modulations must clear both reach and
    // GSNR on the route; demands of 100-400 Gb/s.
    network = benchmarkNetwork("conus75");
    setup.slots = 384;
    setup.qot = defaultEquipment();
    setup.traffic.mean_holding = 25;
    setup.traffic.bitrates_gbps = {100, 200, 300, 400};
    load = 150;
  } else {
    std::string known;
    for (const Preset& p : simulationPresets())
      known += (known.empty() ? "" : ", ") + std::string(p.name);
    return fail(
        invalidArgument(fmt::format("unknown preset '{}': expected one of {}", name, known)));
  }
  auto topology =
      parseTopology(network, std::string(name) + ".yaml", {.format = TopologyFormat::NativeYaml});
  if (!topology) return fail(topology.error());
  setup.topology = std::make_shared<const Topology>(std::move(*topology));
  return std::make_pair(std::move(setup), load);
}

}  // namespace lightpath
