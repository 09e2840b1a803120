// Planning: routes, resources and prices over the ledger's free capacity.
#include "lightpath/orchestrator/route_planner.h"

#include <fmt/format.h>

#include <cmath>

namespace lightpath {
namespace {

constexpr std::uint64_t kVlanUnits = 4096;

// Free packet capacity of each fiber over a window, for the path engine.
class LinkCapacityView final : public ResourceView {
 public:
  LinkCapacityView(const Ledger& ledger, Window window) : ledger_(ledger), window_(window) {}
  double freeCapacity(FiberIndex f) const override {
    return static_cast<double>(ledger_.freeQuantity({ResourceKind::LinkBandwidth, f}, window_));
  }

 private:
  const Ledger& ledger_;
  Window window_;
};

// Keeps a request off what is down; FailedPrecondition when an end itself is down.
Status avoidDown(const NetworkHealth* health, const Topology& t, NodeIndex a, NodeIndex z,
                 PathConstraints& constraints) {
  if (!health) return Status::ok();
  const auto down = health->down();
  for (NodeIndex end : {a, z}) {
    if (down->nodeDown(end))
      return failedPrecondition(fmt::format("node '{}' is down", t.node(end).id));
  }
  constraints.exclude_fibers.insert(constraints.exclude_fibers.end(), down->fibers().begin(),
                                    down->fibers().end());
  constraints.exclude_nodes.insert(constraints.exclude_nodes.end(), down->nodes().begin(),
                                   down->nodes().end());
  return Status::ok();
}

// The path a pinned route names: fiber ids walked from `a`, ending at `z`.
Result<Path> pinnedPath(const Topology& t, const std::vector<std::string>& route, NodeIndex a,
                        NodeIndex z) {
  Path path;
  path.nodes.push_back(a);
  for (std::size_t i = 0; i < route.size(); ++i) {
    const auto f = t.findFiber(route[i]);
    if (!f)
      return fail(
          invalidArgument(fmt::format("route[{}]: no fiber '{}'", i, route[i].substr(0, 60))));
    const NodeIndex at = path.nodes.back();
    if (t.fiberA(*f) != at && t.fiberB(*f) != at) {
      return fail(invalidArgument(
          fmt::format("route[{}]: fiber '{}' does not leave '{}'", i, route[i], t.node(at).id)));
    }
    path.fibers.push_back(*f);
    path.nodes.push_back(t.otherEnd(*f, at));
    path.length = path.length + t.fiber(*f).length;
  }
  if (path.nodes.back() != z) {
    return fail(invalidArgument(fmt::format("route: ends at '{}', not at z_end's node '{}'",
                                            t.node(path.nodes.back()).id, t.node(z).id)));
  }
  path.latency = fiberLatency(path.length);
  return path;
}

// Every fiber of `route` (both legs) and every shared-risk group of those fibers, excluded.
void avoidRoute(const Topology& t, const Realization& route, PathConstraints& constraints) {
  for (const auto* fibers : {&route.fibers, &route.protection_fibers}) {
    for (const std::string& id : *fibers) {
      const auto f = t.findFiber(id);
      if (!f) continue;
      constraints.exclude_fibers.push_back(*f);
      for (const std::string& srlg : t.fiber(*f).srlgs) {
        for (std::uint32_t i = 0; i < t.srlgs().size(); ++i) {
          if (t.srlgs()[i].id == srlg) constraints.exclude_srlgs.push_back(i);
        }
      }
    }
  }
}

}  // namespace

Status RoutePlanner::registerResources() const {
  const Topology& t = *deps_.topology;
  for (FiberIndex f = 0; f < t.fibers().size(); ++f) {
    auto grid = SpectrumGrid::forBand(t.fiber(f).band);
    if (!grid) return grid.error().withContext(fmt::format("fiber '{}'", t.fiber(f).id));
    LP_RETURN_IF_ERROR(deps_.ledger->addResource({ResourceKind::SpectrumSlots, f}, grid->slots()));
    LP_RETURN_IF_ERROR(
        deps_.ledger->addResource({ResourceKind::LinkBandwidth, f}, deps_.packet_mbps_per_fiber));
  }
  for (std::uint32_t p = 0; p < t.ports().size(); ++p) {
    const auto mbps = static_cast<std::uint64_t>(t.ports()[p].speed.value() * 1000.0);
    LP_RETURN_IF_ERROR(deps_.ledger->addResource({ResourceKind::PortBandwidth, p}, mbps));
    LP_RETURN_IF_ERROR(deps_.ledger->addResource({ResourceKind::Vlans, p}, kVlanUnits));
  }
  // A cloud on-ramp's interconnect: the sum of its ports, so operators see each on-ramp's use.
  for (std::uint32_t s = 0; s < t.sites().size(); ++s) {
    if (t.sites()[s].kind != SiteKind::CloudOnramp) continue;
    std::uint64_t mbps = 0;
    for (const Port& port : t.ports()) {
      if (port.site == t.sites()[s].id)
        mbps += static_cast<std::uint64_t>(port.speed.value() * 1000.0);
    }
    LP_RETURN_IF_ERROR(deps_.ledger->addResource({ResourceKind::OnrampCapacity, s}, mbps));
  }
  return Status::ok();
}

Result<RoutePlanner::Plan> RoutePlanner::plan(const ConnectionSpec& spec, const Window& window,
                                              PathWorkspace& ws,
                                              const Realization* diverse_from) const {
  ConnectionSpec peak = spec;
  peak.bandwidth_mbps = peakBandwidth(spec);
  Plan out;
  LP_ASSIGN_OR_RETURN(auto claims,
                      spec.kind == ConnectionKind::Wavelength
                          ? planWavelength(peak, window, out.realization, ws)
                          : planEthernet(peak, window, out.realization, ws, diverse_from));
  out.claims = std::move(claims);
  LP_ASSIGN_OR_RETURN(auto price, priceOf(spec, out.realization));
  out.realization.price = price;
  return out;
}

Result<Realization> RoutePlanner::quote(const ConnectionSpec& spec, TimePoint now) const {
  LP_RETURN_IF_ERROR(validateSpec(spec));
  LP_RETURN_IF_ERROR(checkWindowAt(spec, now));
  // Nothing is held, so quotes need not wait for each other or for orders: a workspace per
  // thread, and the ledger's own (shared) lock for reading free capacity.
  thread_local PathWorkspace ws;
  LP_ASSIGN_OR_RETURN(
      auto planned,
      plan(spec, {spec.start.value_or(now), spec.end.value_or(TimePoint::max())}, ws));
  return std::move(planned.realization);
}

Result<std::vector<Claim>> RoutePlanner::planEthernet(const ConnectionSpec& spec,
                                                      const Window& window, Realization& out,
                                                      PathWorkspace& ws,
                                                      const Realization* diverse_from) const {
  const Topology& t = *deps_.topology;
  auto findPort = [&](const std::string& id, const char* field) -> Result<std::uint32_t> {
    if (auto p = t.findPort(id)) return *p;
    return fail(invalidArgument(fmt::format("{}: no port '{}'", field, id)));
  };
  auto a = findPort(spec.a_end, "a_end");
  if (!a) return fail(a.error());
  LP_ASSIGN_OR_RETURN(auto z, findPort(spec.z_end, "z_end"));
  const Port& pa = t.ports()[*a];
  const Port& pz = t.ports()[z];
  for (const Port* port : {&pa, &pz}) {
    if (spec.bandwidth_mbps > port->speed.value() * 1000.0) {
      return fail(
          invalidArgument(fmt::format("bandwidth_mbps: {} Mb/s is more than port '{}' ({:g} Gb/s)",
                                      spec.bandwidth_mbps, port->id, port->speed.value())));
    }
    if (spec.encryption == Encryption::Macsec && !port->macsec) {
      return fail(invalidArgument(fmt::format(
          "encryption: port '{}' cannot encrypt with MACsec (its equipment lacks it)", port->id)));
    }
  }
  std::optional<std::uint32_t> onramp;
  if (spec.kind == ConnectionKind::Cloud) {
    const Site* site = t.findSite(pz.site);
    if (!site || site->kind != SiteKind::CloudOnramp) {
      return fail(
          invalidArgument(fmt::format("z_end: port '{}' is not at a cloud on-ramp", pz.id)));
    }
    if (site->provider != spec.cloud_provider) {
      return fail(invalidArgument(fmt::format("cloud.provider: port '{}' is a {} on-ramp, not {}",
                                              pz.id, site->provider, spec.cloud_provider)));
    }
    if (spec.cloud_provider == "google") {
      // A pairing key is made in one region (validateSpec checked its form); the attachment
      // lands only on that region's on-ramps, on a port of its edge availability domain.
      const PairingKey key = parsePairingKey(spec.cloud_key).value_or(PairingKey{});
      if (key.region != site->region) {
        return fail(invalidArgument(
            fmt::format("cloud.pairing_key: made for region {}, but port '{}' is at the {} on-ramp",
                        key.region, pz.id, site->region)));
      }
      const int domain = key.domain;
      if (pz.zone != 0 && pz.zone != domain) {
        return fail(invalidArgument(fmt::format(
            "cloud.pairing_key: made for edge availability domain {}, but port '{}' is in {}",
            domain, pz.id, pz.zone)));
      }
    }
    onramp = static_cast<std::uint32_t>(site - t.sites().data());
  }
  auto nodeOf = [&](const Port& port) -> Result<NodeIndex> {
    if (!port.node.empty()) return deps_.engine->resolveNode(port.node);
    return deps_.engine->resolveNode(port.site);
  };
  LP_ASSIGN_OR_RETURN(auto na, nodeOf(pa));
  LP_ASSIGN_OR_RETURN(auto nz, nodeOf(pz));

  std::vector<Claim> claims{{{ResourceKind::PortBandwidth, *a}, 0, spec.bandwidth_mbps},
                            {{ResourceKind::PortBandwidth, z}, 0, spec.bandwidth_mbps}};
  if (onramp) claims.push_back({{ResourceKind::OnrampCapacity, *onramp}, 0, spec.bandwidth_mbps});
  if (na != nz) {
    LinkCapacityView capacity(*deps_.ledger, window);
    PathRequest request{.from = na, .to = nz, .metric = Metric::Latency, .resources = &capacity};
    request.constraints.min_free = static_cast<double>(spec.bandwidth_mbps);
    request.constraints.max_latency = spec.max_latency;
    LP_RETURN_IF_ERROR(avoidDown(deps_.health, t, na, nz, request.constraints));
    if (diverse_from) avoidRoute(t, *diverse_from, request.constraints);
    std::vector<Path> legs;
    if (!spec.route.empty()) {
      LP_ASSIGN_OR_RETURN(Path pinned, pinnedPath(t, spec.route, na, nz));
      const auto down = deps_.health ? deps_.health->down() : std::make_shared<const DownSet>();
      for (FiberIndex f : pinned.fibers) {
        if (down->fiberDown(f))
          return fail(failedPrecondition(fmt::format("route: fiber '{}' is down", t.fiber(f).id)));
      }
      legs = {pinned};
    } else if (spec.protection == Protection::OnePlusOne) {
      LP_ASSIGN_OR_RETURN(auto pair, deps_.engine->diversePair(request, Diversity::Srlg, ws));
      legs = {pair.working, pair.protection};
    } else {
      auto path = deps_.engine->shortestPath(request, ws);
      if (!path && diverse_from) {
        return fail(Status(path.error().code(),
                           fmt::format("diverse_from: no route shares no fiber or shared-risk "
                                       "group with {}: {}",
                                       spec.diverse_from, path.error().message())));
      }
      if (!path) return fail(path.error());
      legs = {*path};
    }
    for (std::size_t leg = 0; leg < legs.size(); ++leg) {
      auto& nodes = leg == 0 ? out.nodes : out.protection_nodes;
      auto& fibers = leg == 0 ? out.fibers : out.protection_fibers;
      for (NodeIndex n : legs[leg].nodes) nodes.push_back(t.node(n).id);
      for (FiberIndex f : legs[leg].fibers) {
        fibers.push_back(t.fiber(f).id);
        claims.push_back({{ResourceKind::LinkBandwidth, f}, 0, spec.bandwidth_mbps});
      }
    }
    out.km = legs[0].length.value();
    out.latency_ms = legs[0].latency.value() / 1000.0;
    if (legs.size() > 1) out.protection_km = legs[1].length.value();
  } else {
    out.nodes = {t.node(na).id};
  }
  // The VLAN: the one asked for, or the lowest free on both ports over the whole window.
  const auto free_a = deps_.ledger->freeUnits({ResourceKind::Vlans, *a}, window);
  const auto free_z = deps_.ledger->freeUnits({ResourceKind::Vlans, z}, window);
  auto freeOnBoth = [&](std::uint64_t v) {
    return ((free_a[v / 64] & free_z[v / 64]) >> (v % 64)) & 1;
  };
  std::optional<std::uint16_t> vlan = spec.vlan;
  if (vlan && !freeOnBoth(*vlan)) {
    return fail(
        Status(StatusCode::ResourceExhausted,
               fmt::format("vlan: {} is in use on port '{}' or '{}'", *vlan, pa.id, pz.id)));
  }
  for (std::uint64_t v = 2; !vlan && v < 4095; ++v) {
    if (freeOnBoth(v)) vlan = static_cast<std::uint16_t>(v);
  }
  if (!vlan) {
    return fail(Status(StatusCode::ResourceExhausted,
                       fmt::format("no VLAN id free on both '{}' and '{}'", pa.id, pz.id)));
  }
  out.vlan = vlan;
  claims.push_back({{ResourceKind::Vlans, *a}, *vlan, 1});
  claims.push_back({{ResourceKind::Vlans, z}, *vlan, 1});
  return claims;
}

Result<std::vector<Claim>> RoutePlanner::planWavelength(const ConnectionSpec& spec,
                                                        const Window& window, Realization& out,
                                                        PathWorkspace& ws) const {
  const Topology& t = *deps_.topology;
  auto a = deps_.engine->resolveNode(spec.a_end);
  if (!a) return fail(a.error().withContext("a_end"));
  auto z = deps_.engine->resolveNode(spec.z_end);
  if (!z) return fail(z.error().withContext("z_end"));
  // The spectrum free over the whole window, as the planner sees it.
  const std::uint32_t slots = deps_.ledger->capacity({ResourceKind::SpectrumSlots, 0});
  FiberSpectrum spectrum(static_cast<std::uint32_t>(t.fibers().size()), slots);
  for (FiberIndex f = 0; f < t.fibers().size(); ++f) {
    spectrum.state().occupyAllBut(
        f, deps_.ledger->freeUnits({ResourceKind::SpectrumSlots, f}, window));
  }
  const Gbps rate(static_cast<double>(spec.bandwidth_mbps) / 1000.0);
  std::vector<WavelengthPlan> plans;
  if (spec.protection == Protection::OnePlusOne) {
    PathRequest request{.from = *a, .to = *z, .metric = Metric::Latency};
    request.constraints.max_latency = spec.max_latency;
    LP_RETURN_IF_ERROR(avoidDown(deps_.health, t, *a, *z, request.constraints));
    LP_ASSIGN_OR_RETURN(auto pair, deps_.engine->diversePair(request, Diversity::Srlg, ws));
    for (const Path* leg : {&pair.working, &pair.protection}) {
      LP_ASSIGN_OR_RETURN(
          auto plan,
          deps_.planner->planOnRoute(*leg, rate, spectrum, spec.encryption != Encryption::None));
      WavelengthPlanner::occupy(plan, spectrum);
      plans.push_back(std::move(plan));
    }
  } else {
    WavelengthRequest request{
        .from = *a, .to = *z, .line_rate = rate, .encrypted = spec.encryption != Encryption::None};
    request.constraints.max_latency = spec.max_latency;
    LP_RETURN_IF_ERROR(avoidDown(deps_.health, t, *a, *z, request.constraints));
    LP_ASSIGN_OR_RETURN(auto plan, deps_.planner->plan(request, spectrum, ws));
    plans.push_back(std::move(plan));
  }
  std::vector<Claim> claims;
  for (std::size_t leg = 0; leg < plans.size(); ++leg) {
    const WavelengthPlan& plan = plans[leg];
    auto& nodes = leg == 0 ? out.nodes : out.protection_nodes;
    auto& fibers = leg == 0 ? out.fibers : out.protection_fibers;
    for (NodeIndex n : plan.route.nodes) nodes.push_back(t.node(n).id);
    for (FiberIndex f : plan.route.fibers) fibers.push_back(t.fiber(f).id);
    Realization::LegQot quality{1e9, 1e9};
    for (std::size_t s = 0; s < plan.segments.size(); ++s) {
      const PlannedSegment& seg = plan.segments[s];
      const double gsnr = seg.lightpath.qot.gsnr.value();
      if (gsnr < quality.gsnr_db) {
        quality = {gsnr, gsnr - plan.transceiver->min_gsnr.value()};
      }
      if (s > 0) out.regenerators.push_back(t.node(plan.route.nodes[seg.lightpath.from]).id);
      for (std::size_t i = seg.lightpath.from; i < seg.lightpath.to; ++i) {
        const FiberIndex f = plan.route.fibers[i];
        claims.push_back({{ResourceKind::SpectrumSlots, f}, seg.first_slot, seg.slots});
        out.spectrum.push_back({t.fiber(f).id, seg.first_slot, seg.slots});
      }
    }
    // Rounded as shown: stored documents and quotes compare equal after a round trip.
    quality.gsnr_db = std::round(quality.gsnr_db * 100) / 100;
    quality.margin_db = std::round(quality.margin_db * 100) / 100;
    out.qot.push_back(quality);
  }
  out.transceiver = plans[0].transceiver->id;
  out.km = plans[0].route.length.value();
  out.latency_ms = plans[0].route.latency.value() / 1000.0;
  if (plans.size() > 1) out.protection_km = plans[1].route.length.value();
  return claims;
}

Result<std::optional<Realization::Price>> RoutePlanner::priceOf(const ConnectionSpec& spec,
                                                                const Realization& r) const {
  if (!deps_.price_book) return std::optional<Realization::Price>{};
  if (!deps_.price_book->slaClass(spec.sla)) {
    std::string classes;
    for (const SlaClass& c : deps_.price_book->sla_classes)
      classes += (classes.empty() ? "" : ", ") + c.name;
    return fail(invalidArgument(
        fmt::format("sla: '{}' is not a service level of the price book ({})", spec.sla, classes)));
  }
  // The price book's function, as a quote uses it; a stepped connection at its peak (its route
  // is kept for the peak).
  auto quote = priceConnection(*deps_.price_book, {.kind = spec.kind,
                                                   .bandwidth_mbps = peakBandwidth(spec),
                                                   .route_km = r.km,
                                                   .protection_km = r.protection_km,
                                                   .term = spec.term,
                                                   .encryption = spec.encryption});
  if (!quote) return fail(quote.error().withContext("price"));
  return std::optional<Realization::Price>(Realization::Price{
      quote->currency, quote->term, quote->monthly, quote->hourly, quote->setup});
}

}  // namespace lightpath
