// Planning one lightpath on a route: which transceiver mode (the densest that reaches, for
// distance-adaptive modulation), and where regenerators go when no mode reaches end to end
// (fewest regenerators, only at nodes that allow them; each segment then gets its own
// spectrum).
#pragma once

#include <span>
#include <vector>

#include "lightpath/optical/qot.h"

namespace lightpath {

struct LightpathSegment {
  std::size_t from = 0, to = 0;  // node positions on the route: fibers [from, to)
  QotEstimate qot;
};

struct LightpathPlan {
  const TransceiverSpec* transceiver = nullptr;
  std::vector<LightpathSegment> segments;  // one more than the regenerators
  std::size_t regenerators() const { return segments.empty() ? 0 : segments.size() - 1; }
};

// Per-fiber noise for every mode of a catalog, computed once per topology so that planning
// does no transcendental maths per decision. Immutable after construction.
class FiberNoiseTable {
 public:
  FiberNoiseTable(const Topology& topology, std::span<const TransceiverSpec> catalog,
                  const OpticalEquipment& equipment);
  // Noise of `fiber` for the catalog's mode number `mode`.
  const FiberNoise& get(std::size_t mode, FiberIndex fiber) const {
    return noise_[mode * fibers_ + fiber];
  }

 private:
  std::size_t fibers_;
  std::vector<FiberNoise> noise_;
};

// `nodes` and `fibers` describe the route (nodes.size() == fibers.size() + 1). Tries every
// mode of `line_rate` in the catalog; a mode reads a segment when its GSNR is at least the
// mode's threshold plus the system margin (the equipment's sys_margins). Picks the fewest
// regenerators, then the narrowest slot width. FailedPrecondition, with the reason (which
// constraint fails and by how much), when no mode works even with regenerators. With `table`
// (built for this catalog), fiber noise comes from it. With `encrypted`, only modes whose
// transponders encrypt (layer1_encryption) are tried.
Result<LightpathPlan> planLightpath(const Topology& topology, std::span<const NodeIndex> nodes,
                                    std::span<const FiberIndex> fibers, Gbps line_rate,
                                    std::span<const TransceiverSpec> catalog,
                                    const OpticalEquipment& equipment,
                                    const FiberNoiseTable* table = nullptr, bool encrypted = false);

}  // namespace lightpath
