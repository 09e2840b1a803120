// Route planning for orders and quotes: a connection's route, resources and price, planned on
// the capacity the ledger has free over the connection's window. Ethernet and cloud connections
// go over the path engine (fibers with room for the bandwidth, a VLAN free on both ports);
// wavelengths over the wavelength planner (route, mode, regenerators, spectrum). Nothing is held:
// the caller reserves the claims (orders) or shows the plan (quotes).
//
//   RoutePlanner planner({.topology = t, .engine = &engine, .planner = &wp, .ledger = &ledger});
//   (void)planner.registerResources();                  // every fiber, port and on-ramp, once
//   PathWorkspace ws;
//   auto plan = planner.plan(spec, {now, TimePoint::max()}, ws);
//   ledger.reserve("conn_1", plan->claims, window);     // what the plan needs
//
// Errors: InvalidArgument for an order that names no such port or node (the field named),
// FailedPrecondition / ResourceExhausted with the binding constraint when the network cannot
// carry it. Thread-safety: const calls run concurrently, each with its own workspace; the
// ledger's lock guards what they read.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "lightpath/ledger/ledger.h"
#include "lightpath/optical/wavelength_planner.h"
#include "lightpath/orchestrator/failures.h"
#include "lightpath/service/connection.h"
#include "lightpath/service/pricing.h"

namespace lightpath {

struct RoutePlannerDeps {
  std::shared_ptr<const Topology> topology;
  const PathEngine* engine = nullptr;
  const WavelengthPlanner* planner = nullptr;
  Ledger* ledger = nullptr;
  const PriceBook* price_book = nullptr;            // none: plans carry no price
  std::uint64_t packet_mbps_per_fiber = 1'600'000;  // packet capacity each fiber carries
  const NetworkHealth* health = nullptr;  // what is down; routes avoid it (none: nothing is)
};

class RoutePlanner {
 public:
  explicit RoutePlanner(RoutePlannerDeps deps) : deps_(std::move(deps)) {}

  // The same planner over another ledger and health (what-if analyses plan on copies).
  RoutePlanner over(Ledger* ledger, const NetworkHealth* health) const {
    RoutePlannerDeps deps = deps_;
    deps.ledger = ledger;
    deps.health = health;
    return RoutePlanner(std::move(deps));
  }

  // Registers every resource of the topology in the ledger: spectrum and packet capacity per
  // fiber, bandwidth and VLANs per port, each cloud on-ramp's interconnect.
  Status registerResources() const;

  struct Plan {
    Realization realization;    // route, VLAN or spectrum, price; no holds yet
    std::vector<Claim> claims;  // what it needs, at the peak bandwidth
  };
  // Plans `spec` (a stepped one for its peak) over `window`; with `diverse_from` (the route of
  // the connection spec.diverse_from names), on no fiber or shared-risk group of it.
  Result<Plan> plan(const ConnectionSpec& spec, const Window& window, PathWorkspace& ws,
                    const Realization* diverse_from = nullptr) const;

  // What an order of `spec` would be given now, held nowhere; checks the spec first.
  Result<Realization> quote(const ConnectionSpec& spec, TimePoint now) const;

  // The price book's price for `spec` on route `r` (a stepped connection at its peak); none
  // without a price book.
  Result<std::optional<Realization::Price>> priceOf(const ConnectionSpec& spec,
                                                    const Realization& r) const;

 private:
  Result<std::vector<Claim>> planEthernet(const ConnectionSpec& spec, const Window& window,
                                          Realization& out, PathWorkspace& ws,
                                          const Realization* diverse_from) const;
  Result<std::vector<Claim>> planWavelength(const ConnectionSpec& spec, const Window& window,
                                            Realization& out, PathWorkspace& ws) const;

  RoutePlannerDeps deps_;
};

}  // namespace lightpath
