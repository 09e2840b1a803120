// The built-in demo network: CORONET CONUS (75 cities, 99 fiber routes with real km) plus
// AI data-center campuses and cloud on-ramps at their real metros, SRLGs and client ports.
// Compiled into the binary from data/demo/demo-network.yaml, so `lightpath` needs no file.
#pragma once

#include <string_view>

#include "lightpath/model/topology.h"

namespace lightpath {

inline constexpr std::string_view kDemoNetworkName = "demo-network.yaml";

std::string_view demoNetworkYaml();
Result<Topology> loadDemoNetwork();

}  // namespace lightpath
