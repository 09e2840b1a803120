// Modulation formats for distance-adaptive spectrum assignment: each one carries so many bits
// per symbol and reaches so far; a demand takes the densest format that reaches, and as many
// 12.5 GHz slots as its bit rate needs at that density, plus a guard band.
#pragma once

#include <string>
#include <vector>

#include "lightpath/base/units.h"

namespace lightpath {

struct ModulationFormat {
  std::string name;
  double bits_per_symbol = 0;  // spectral efficiency per polarisation-multiplexed symbol slot
  Km max_reach{0};
  Db min_gsnr{0};  // required GSNR (0.1 nm reference)
};

// The table the DeepRMSA benchmarks use (Chen et al., JLT 2019; as distributed with XLRON in
// modulations_deeprmsa.csv): BPSK 100,000 km, QPSK 2,500 km, 8QAM 1,250 km, 16QAM 625 km.
std::vector<ModulationFormat> deepRmsaModulations();

// The densest format whose reach covers `length` (formats in any order); none if none does.
const ModulationFormat* densestReaching(const std::vector<ModulationFormat>& formats, Km length);

// Slots for `gbps` at `format`: ceil(gbps / (bits_per_symbol x slot_ghz)) + guard.
std::uint32_t slotsFor(double gbps, const ModulationFormat& format, double slot_ghz,
                       std::uint32_t guard);

}  // namespace lightpath
