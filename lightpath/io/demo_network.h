// The built-in demo network: CORONET CONUS (75 cities, 99 fiber routes with real km) plus
// AI data-center campuses and cloud on-ramps at their real metros, SRLGs and client ports.
// Compiled into the binary from data/demo/demo-network.yaml, so `lightpath` needs no file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lightpath/model/optical_equipment.h"
#include "lightpath/model/topology.h"

namespace lightpath {

inline constexpr std::string_view kDemoNetworkName = "demo-network.yaml";

std::string_view demoNetworkYaml();
Result<Topology> loadDemoNetwork();

// The default transceiver catalog (data/optical/transceivers.yaml, sources in docs/optical.md),
// also compiled in; a catalog file is a native topology document with only `transceivers`.
std::string_view defaultTransceiverCatalogYaml();
Result<std::vector<TransceiverSpec>> loadTransceiverCatalog(const std::string& path = {});

// The default optical equipment library (data/optical/equipment.json, GNPy's format), compiled
// in. loadEquipment reads the GNPy equipment file at `path`, or this one when `path` is empty.
std::string_view defaultEquipmentJson();
Result<OpticalEquipment> loadEquipment(const std::string& path = {});
const OpticalEquipment& defaultEquipment();

}  // namespace lightpath
