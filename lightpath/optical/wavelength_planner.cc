// Route, modulation, regeneration and spectrum for one wavelength order.
#include "lightpath/optical/wavelength_planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace lightpath {

double FiberSpectrum::freeCapacity(FiberIndex fiber) const {
  std::uint32_t largest = 0;
  forEachFreeRun(state_.freeMask(fiber), state_.slots(), [&](std::uint32_t, std::uint32_t length) {
    largest = std::max(largest, length);
    return true;
  });
  return largest;
}

WavelengthPlanner::WavelengthPlanner(const PathEngine& engine, std::vector<TransceiverSpec> catalog,
                                     OpticalEquipment equipment, double slot_ghz)
    : engine_(engine),
      catalog_(std::move(catalog)),
      equipment_(std::move(equipment)),
      noise_(engine.topology(), catalog_, equipment_),
      slot_ghz_(slot_ghz) {}

Result<WavelengthPlan> WavelengthPlanner::plan(const WavelengthRequest& request,
                                               const FiberSpectrum& spectrum,
                                               PathWorkspace& ws) const {
  // The narrowest mode at this rate bounds the spectrum every fiber of a route must offer: the
  // path engine skips fibers without it (spectrum continuity is checked per route below).
  std::uint32_t narrowest = 0;
  for (const TransceiverSpec& trx : catalog_) {
    if (trx.line_rate != request.line_rate) continue;
    if (request.encrypted && !trx.layer1_encryption) continue;
    const auto slots =
        static_cast<std::uint32_t>(std::ceil(trx.slot_width.value() / slot_ghz_ - 1e-9));
    if (narrowest == 0 || slots < narrowest) narrowest = slots;
  }
  if (narrowest == 0 && request.encrypted) {
    return fail(invalidArgument(
        fmt::format("encryption: no {:g} Gb/s transceiver in the catalog encrypts at layer 1",
                    request.line_rate.value())));
  }
  if (narrowest == 0) {
    return fail(invalidArgument(
        fmt::format("no transceiver in the catalog runs at {:g} Gb/s", request.line_rate.value())));
  }
  PathRequest path_request{.from = request.from,
                           .to = request.to,
                           .metric = Metric::Latency,
                           .constraints = request.constraints,
                           .resources = &spectrum};
  path_request.constraints.min_free = narrowest;
  const std::string what =
      fmt::format("no wavelength of {:g} Gb/s from '{}' to '{}'", request.line_rate.value(),
                  engine_.topology().node(request.from).id, engine_.topology().node(request.to).id);
  auto routes = engine_.kShortestPaths(path_request, request.k, ws);
  if (!routes) {
    if (routes.error().code() != StatusCode::FailedPrecondition) return fail(routes.error());
    return fail(failedPrecondition(what + ": " + routes.error().message()));
  }

  std::string first_reason;
  for (const Path& route : *routes) {
    auto plan = planOnRoute(route, request.line_rate, spectrum, request.encrypted);
    if (plan) return plan;
    if (first_reason.empty()) first_reason = plan.error().message();
  }
  return fail(failedPrecondition(
      fmt::format("{} on the {} shortest routes: {}", what, routes->size(), first_reason)));
}

Result<WavelengthPlan> WavelengthPlanner::planOnRoute(const Path& route, Gbps line_rate,
                                                      const FiberSpectrum& spectrum,
                                                      bool encrypted) const {
  LP_ASSIGN_OR_RETURN(
      auto light, planLightpath(engine_.topology(), route.nodes, route.fibers, line_rate, catalog_,
                                equipment_, &noise_, encrypted));
  const auto slots = static_cast<std::uint32_t>(
      std::ceil(light.transceiver->slot_width.value() / slot_ghz_ - 1e-9));
  WavelengthPlan plan{.route = route, .transceiver = light.transceiver};
  std::vector<std::uint64_t> mask(spectrum.state().words());
  for (const LightpathSegment& segment : light.segments) {
    std::span<const FiberIndex> fibers(route.fibers.data() + segment.from,
                                       segment.to - segment.from);
    spectrum.state().pathFree(fibers, mask.data());
    auto first = firstFit(mask.data(), spectrum.state().slots(), slots);
    if (!first) {
      return fail(
          failedPrecondition(fmt::format("no {} contiguous free slots from '{}' to '{}'", slots,
                                         engine_.topology().node(route.nodes[segment.from]).id,
                                         engine_.topology().node(route.nodes[segment.to]).id)));
    }
    plan.segments.push_back({segment, *first, slots});
  }
  return plan;
}

void WavelengthPlanner::occupy(const WavelengthPlan& plan, FiberSpectrum& spectrum) {
  for (const PlannedSegment& s : plan.segments) {
    std::span<const FiberIndex> fibers(plan.route.fibers.data() + s.lightpath.from,
                                       s.lightpath.to - s.lightpath.from);
    spectrum.state().occupy(fibers, s.first_slot, s.slots);
  }
}

void WavelengthPlanner::release(const WavelengthPlan& plan, FiberSpectrum& spectrum) {
  for (const PlannedSegment& s : plan.segments) {
    std::span<const FiberIndex> fibers(plan.route.fibers.data() + s.lightpath.from,
                                       s.lightpath.to - s.lightpath.from);
    spectrum.state().release(fibers, s.first_slot, s.slots);
  }
}

}  // namespace lightpath
