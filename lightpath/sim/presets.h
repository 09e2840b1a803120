// Named simulation settings that fix every parameter of a published benchmark, so results can
// be put next to the literature's. Explicit flags override them.
#pragma once

#include <string_view>
#include <vector>

#include "lightpath/sim/simulator.h"

namespace lightpath {

struct Preset {
  std::string_view name;
  std::string_view description;
  double load;  // Erlang
};

std::vector<Preset> simulationPresets();

// The full setup of a preset (network compiled in), and its load.
Result<std::pair<SimulationSetup, double>> presetSetup(std::string_view name);

// The DeepRMSA demand mix: integer bit rates 25..100 Gb/s, uniform.
std::vector<double> deepRmsaBitrates();

}  // namespace lightpath
