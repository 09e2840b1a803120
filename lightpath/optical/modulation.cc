// Modulation tables and slot counts.
#include "lightpath/optical/modulation.h"

#include <cmath>

namespace lightpath {

std::vector<ModulationFormat> deepRmsaModulations() {
  return {{"BPSK", 1, Km(100000), Db(12.6)},
          {"QPSK", 2, Km(2500), Db(12.6)},
          {"8QAM", 3, Km(1250), Db(18.6)},
          {"16QAM", 4, Km(625), Db(22.4)}};
}

const ModulationFormat* densestReaching(const std::vector<ModulationFormat>& formats, Km length) {
  const ModulationFormat* best = nullptr;
  for (const ModulationFormat& f : formats) {
    if (f.max_reach >= length && (!best || f.bits_per_symbol > best->bits_per_symbol)) best = &f;
  }
  return best;
}

std::uint32_t slotsFor(double gbps, const ModulationFormat& format, double slot_ghz,
                       std::uint32_t guard) {
  return static_cast<std::uint32_t>(std::ceil(gbps / (format.bits_per_symbol * slot_ghz) - 1e-9)) +
         guard;
}

}  // namespace lightpath
