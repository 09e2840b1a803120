// How long loading a network takes: read (from memory) + parse + validate + index, for the
// largest shared files of each format and the built-in demo network. Compared with NetworkX
// by topology_load_peer.py (see docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <string>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/model/statistics.h"

namespace lightpath {
namespace {

const std::string kData = std::string(LIGHTPATH_SHARED_DATA) + "/topologies/";

void loadFile(benchmark::State& state, const std::string& relative) {
  auto text = readFileText(kData + relative);
  if (!text) {
    state.SkipWithError(text.error().message().c_str());
    return;
  }
  std::size_t fibers = 0;
  for (auto _ : state) {
    auto t = parseTopology(*text, relative);
    if (!t) {
      state.SkipWithError(t.error().message().c_str());
      return;
    }
    fibers = t->fibers().size();
    benchmark::DoNotOptimize(fibers);
  }
  state.counters["fibers"] = static_cast<double>(fibers);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
}

BENCHMARK_CAPTURE(loadFile, topohub_europe_gml, "topohub/europe.gml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(loadFile, topohub_north_america_gml, "topohub/north_america.gml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(loadFile, zoo_uscarrier_gml, "topologyzoo/UsCarrier.gml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(loadFile, coronet_gnpy_json, "coronet/CORONET_CONUS_Topology.json")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(loadFile, coronet_net2plan, "coronet/coronetUS_N75_E198.n2p")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(loadFile, germany50_sndlib_xml, "sndlib/germany50.xml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(loadFile, conus75_node_link_json, "topologybench/conus75_undirected.json")
    ->Unit(benchmark::kMillisecond);

void loadDemo(benchmark::State& state) {
  for (auto _ : state) {
    auto t = loadDemoNetwork();
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(loadDemo)->Unit(benchmark::kMillisecond);

// The europe network converted to native YAML and JSON: our own format at the largest scale.
void loadNativeEurope(benchmark::State& state, bool yaml) {
  auto t = readTopologyFile(kData + "topohub/europe.gml");
  if (!t) {
    state.SkipWithError(t.error().message().c_str());
    return;
  }
  std::string text = yaml ? writeNativeYaml(*t) : writeNativeJson(*t);
  for (auto _ : state) {
    auto again = parseTopology(text, yaml ? "europe.yaml" : "europe.json");
    benchmark::DoNotOptimize(again);
  }
}
BENCHMARK_CAPTURE(loadNativeEurope, yaml, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(loadNativeEurope, json, false)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lightpath

BENCHMARK_MAIN();
