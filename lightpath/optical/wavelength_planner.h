// One call for a wavelength order: a route (k shortest by latency, under the order's
// constraints), transceiver modes and regenerators that make the light readable, and a block
// of spectrum on every segment, free on each of its fibers.
//
//   FiberSpectrum spectrum(topology.fibers().size(), grid.slots());
//   WavelengthPlanner planner(engine, catalog, defaultEquipment());
//   Result<WavelengthPlan> plan = planner.plan({.from = a, .to = z, .line_rate = Gbps(400)},
//                                              spectrum, workspace);
//   if (plan) spectrum.occupyPlan(*plan);
//
// Pure; thread-compatible (one workspace per thread).
#pragma once

#include <vector>

#include "lightpath/optical/lightpath_plan.h"
#include "lightpath/optical/rsa.h"
#include "lightpath/pce/path_engine.h"

namespace lightpath {

// Spectrum in use on each fiber pair (a wavelength service takes the same slots both ways),
// seen by the path engine as a ResourceView: a fiber's free capacity is its largest free block.
class FiberSpectrum final : public ResourceView {
 public:
  FiberSpectrum(std::uint32_t fibers, std::uint32_t slots) : state_(fibers, slots) {}
  SpectrumState& state() { return state_; }
  const SpectrumState& state() const { return state_; }
  double freeCapacity(FiberIndex fiber) const override;

 private:
  SpectrumState state_;
};

struct WavelengthRequest {
  NodeIndex from = 0, to = 0;
  Gbps line_rate{400};
  bool encrypted = false;  // only modes that encrypt at layer 1
  int k = 5;
  PathConstraints constraints;
};

struct PlannedSegment {
  LightpathSegment lightpath;  // positions on the route and QoT
  std::uint32_t first_slot = 0;
  std::uint32_t slots = 0;
};

struct WavelengthPlan {
  Path route;
  const TransceiverSpec* transceiver = nullptr;
  std::vector<PlannedSegment> segments;  // one more than the regenerators
};

class WavelengthPlanner {
 public:
  WavelengthPlanner(const PathEngine& engine, std::vector<TransceiverSpec> catalog,
                    OpticalEquipment equipment, double slot_ghz = kSlotWidthGHz);

  const std::vector<TransceiverSpec>& catalog() const { return catalog_; }
  const OpticalEquipment& equipment() const { return equipment_; }

  // FailedPrecondition with the reason when no route has readable light and free spectrum.
  Result<WavelengthPlan> plan(const WavelengthRequest& request, const FiberSpectrum& spectrum,
                              PathWorkspace& ws) const;

  // Mode, regenerators and spectrum on one given route (a 1+1 leg, say). FailedPrecondition
  // with the reason when the light does not read or the spectrum is full.
  Result<WavelengthPlan> planOnRoute(const Path& route, Gbps line_rate,
                                     const FiberSpectrum& spectrum, bool encrypted = false) const;

  // Takes / gives back the plan's slots on every fiber of every segment.
  static void occupy(const WavelengthPlan& plan, FiberSpectrum& spectrum);
  static void release(const WavelengthPlan& plan, FiberSpectrum& spectrum);

 private:
  const PathEngine& engine_;
  std::vector<TransceiverSpec> catalog_;
  OpticalEquipment equipment_;
  FiberNoiseTable noise_;
  double slot_ghz_;
};

}  // namespace lightpath
