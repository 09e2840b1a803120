// Orders, activation, termination and recovery of connections.
#include "lightpath/orchestrator/provisioner.h"

#include <functional>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lightpath/base/ids.h"
#include "lightpath/base/log.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

using nlohmann::json;

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

std::string holdJson(const Window& w, const std::vector<Claim>& claims) {
  json c = json::array();
  for (const Claim& claim : claims) {
    c.push_back({{"kind", toString(claim.resource.kind)}, {"index", claim.resource.index},
                 {"first", claim.first}, {"count", claim.count}});
  }
  return json{{"start_us", w.start.time_since_epoch().count()}, {"end_us", w.end.time_since_epoch().count()},
              {"claims", c}}
      .dump();
}

Result<std::pair<Window, std::vector<Claim>>> holdFromJson(const std::string& text) {
  try {
    const json j = json::parse(text);
    Window w{TimePoint(std::chrono::microseconds(j.at("start_us").get<std::int64_t>())),
             TimePoint(std::chrono::microseconds(j.at("end_us").get<std::int64_t>()))};
    std::vector<Claim> claims;
    for (const json& c : j.at("claims")) {
      const std::string kind = c.at("kind").get<std::string>();
      ResourceKind k = ResourceKind::SpectrumSlots;
      bool known = false;
      for (ResourceKind candidate : {ResourceKind::SpectrumSlots, ResourceKind::Vlans, ResourceKind::PortBandwidth,
                                     ResourceKind::LinkBandwidth, ResourceKind::OnrampCapacity}) {
        if (toString(candidate) == kind) k = candidate, known = true;
      }
      if (!known) return fail(invalidArgument(fmt::format("stored hold: unknown resource kind '{}'", kind)));
      claims.push_back({{k, c.at("index").get<std::uint32_t>()}, c.at("first").get<std::uint64_t>(),
                        c.at("count").get<std::uint64_t>()});
    }
    return std::make_pair(w, std::move(claims));
  } catch (const std::exception& e) {
    return fail(invalidArgument(fmt::format("stored hold is not valid: {}", e.what())));
  }
}

// Every stored connection (of one state, if given), a page at a time by key.
Status scanConnections(StoreTransaction& tx, std::optional<std::string> state,
                       const std::function<Status(const ConnectionRecord&)>& visit) {
  std::optional<std::string> after;
  for (;;) {
    auto page = tx.connections({.state = state, .after_id = after, .limit = 1000}, nullptr);
    if (!page) return page.error();
    for (const ConnectionRecord& r : *page) LP_RETURN_IF_ERROR(visit(r));
    if (page->size() < 1000) return Status::ok();
    after = page->back().id;
  }
}

}  // namespace

namespace {
std::uint64_t osSeed() {
  std::random_device device;
  return (std::uint64_t{device()} << 32) ^ device() ^
         static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}
}  // namespace

Provisioner::Provisioner(ProvisionerDeps deps)
    : deps_(std::move(deps)), calls_(std::make_unique<DeviceCallPool>(8)),
      random_(deps_.seed != 0 ? deps_.seed : osSeed()) {}

Result<std::unique_ptr<Provisioner>> Provisioner::create(ProvisionerDeps deps) {
  if (!deps.topology || !deps.engine || !deps.planner || !deps.ledger || !deps.store || !deps.fleet || !deps.clock) {
    return fail(invalidArgument("provisioner needs a topology, path engine, planner, ledger, store, fleet and clock"));
  }
  std::unique_ptr<Provisioner> p(new Provisioner(std::move(deps)));
  LP_RETURN_IF_ERROR(p->registerResources());
  LP_RETURN_IF_ERROR(p->recover());
  return p;
}

Status Provisioner::registerResources() {
  const Topology& t = *deps_.topology;
  for (FiberIndex f = 0; f < t.fibers().size(); ++f) {
    auto grid = SpectrumGrid::forBand(t.fiber(f).band);
    if (!grid) return grid.error().withContext(fmt::format("fiber '{}'", t.fiber(f).id));
    LP_RETURN_IF_ERROR(deps_.ledger->addResource({ResourceKind::SpectrumSlots, f}, grid->slots()));
    LP_RETURN_IF_ERROR(deps_.ledger->addResource({ResourceKind::LinkBandwidth, f}, deps_.packet_mbps_per_fiber));
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
      if (port.site == t.sites()[s].id) mbps += static_cast<std::uint64_t>(port.speed.value() * 1000.0);
    }
    LP_RETURN_IF_ERROR(deps_.ledger->addResource({ResourceKind::OnrampCapacity, s}, mbps));
  }
  return Status::ok();
}

Result<std::vector<Claim>> Provisioner::planEthernet(const ConnectionSpec& spec, const Window& window,
                                                     Realization& out, PathWorkspace& ws) const {
  const Topology& t = *deps_.topology;
  auto findPort = [&](const std::string& id, const char* field) -> Result<std::uint32_t> {
    for (std::uint32_t p = 0; p < t.ports().size(); ++p) {
      if (t.ports()[p].id == id) return p;
    }
    return fail(invalidArgument(fmt::format("{}: no port '{}'", field, id)));
  };
  auto a = findPort(spec.a_end, "a_end");
  if (!a) return fail(a.error());
  auto z = findPort(spec.z_end, "z_end");
  if (!z) return fail(z.error());
  const Port& pa = t.ports()[*a];
  const Port& pz = t.ports()[*z];
  for (const Port* port : {&pa, &pz}) {
    if (spec.bandwidth_mbps > port->speed.value() * 1000.0) {
      return fail(invalidArgument(fmt::format("bandwidth: {} Mb/s is more than port '{}' ({:g} Gb/s)",
                                              spec.bandwidth_mbps, port->id, port->speed.value())));
    }
  }
  std::optional<std::uint32_t> onramp;
  if (spec.kind == ConnectionKind::Cloud) {
    const Site* site = t.findSite(pz.site);
    if (!site || site->kind != SiteKind::CloudOnramp) {
      return fail(invalidArgument(fmt::format("z_end: port '{}' is not at a cloud on-ramp", pz.id)));
    }
    if (site->provider != spec.cloud_provider) {
      return fail(invalidArgument(fmt::format("cloud.provider: port '{}' is a {} on-ramp, not {}", pz.id,
                                              site->provider, spec.cloud_provider)));
    }
    onramp = static_cast<std::uint32_t>(site - t.sites().data());
  }
  auto nodeOf = [&](const Port& port) -> Result<NodeIndex> {
    if (!port.node.empty()) return deps_.engine->resolveNode(port.node);
    return deps_.engine->resolveNode(port.site);
  };
  auto na = nodeOf(pa);
  if (!na) return fail(na.error());
  auto nz = nodeOf(pz);
  if (!nz) return fail(nz.error());

  std::vector<Claim> claims{{{ResourceKind::PortBandwidth, *a}, 0, spec.bandwidth_mbps},
                            {{ResourceKind::PortBandwidth, *z}, 0, spec.bandwidth_mbps}};
  if (onramp) claims.push_back({{ResourceKind::OnrampCapacity, *onramp}, 0, spec.bandwidth_mbps});
  if (*na != *nz) {
    LinkCapacityView capacity(*deps_.ledger, window);
    PathRequest request{.from = *na, .to = *nz, .metric = Metric::Latency, .resources = &capacity};
    request.constraints.min_free = static_cast<double>(spec.bandwidth_mbps);
    request.constraints.max_latency = spec.max_latency;
    std::vector<Path> legs;
    if (spec.protection == Protection::OnePlusOne) {
      auto pair = deps_.engine->diversePair(request, Diversity::Srlg, ws);
      if (!pair) return fail(pair.error());
      legs = {pair->working, pair->protection};
    } else {
      auto path = deps_.engine->shortestPath(request, ws);
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
    out.nodes = {t.node(*na).id};
  }
  // The VLAN: the one asked for, or the lowest free on both ports over the whole window.
  const auto free_a = deps_.ledger->freeUnits({ResourceKind::Vlans, *a}, window);
  const auto free_z = deps_.ledger->freeUnits({ResourceKind::Vlans, *z}, window);
  auto freeOnBoth = [&](std::uint64_t v) { return ((free_a[v / 64] & free_z[v / 64]) >> (v % 64)) & 1; };
  std::optional<std::uint16_t> vlan = spec.vlan;
  if (vlan && !freeOnBoth(*vlan)) {
    return fail(Status(StatusCode::ResourceExhausted, fmt::format("vlan: {} is in use on port '{}' or '{}'", *vlan,
                                                                  pa.id, pz.id)));
  }
  for (std::uint64_t v = 2; !vlan && v < 4095; ++v) {
    if (freeOnBoth(v)) vlan = static_cast<std::uint16_t>(v);
  }
  if (!vlan) {
    return fail(Status(StatusCode::ResourceExhausted, fmt::format("no VLAN id free on both '{}' and '{}'", pa.id, pz.id)));
  }
  out.vlan = vlan;
  claims.push_back({{ResourceKind::Vlans, *a}, *vlan, 1});
  claims.push_back({{ResourceKind::Vlans, *z}, *vlan, 1});
  return claims;
}

Result<std::vector<Claim>> Provisioner::planWavelength(const ConnectionSpec& spec, const Window& window,
                                                       Realization& out, PathWorkspace& ws) const {
  const Topology& t = *deps_.topology;
  auto a = deps_.engine->resolveNode(spec.a_end);
  if (!a) return fail(a.error().withContext("a_end"));
  auto z = deps_.engine->resolveNode(spec.z_end);
  if (!z) return fail(z.error().withContext("z_end"));
  // The spectrum free over the whole window, as the planner sees it.
  const std::uint32_t slots = deps_.ledger->capacity({ResourceKind::SpectrumSlots, 0});
  FiberSpectrum spectrum(static_cast<std::uint32_t>(t.fibers().size()), slots);
  for (FiberIndex f = 0; f < t.fibers().size(); ++f) {
    spectrum.state().occupyAllBut(f, deps_.ledger->freeUnits({ResourceKind::SpectrumSlots, f}, window));
  }
  const Gbps rate(static_cast<double>(spec.bandwidth_mbps) / 1000.0);
  std::vector<WavelengthPlan> plans;
  if (spec.protection == Protection::OnePlusOne) {
    PathRequest request{.from = *a, .to = *z, .metric = Metric::Latency};
    request.constraints.max_latency = spec.max_latency;
    auto pair = deps_.engine->diversePair(request, Diversity::Srlg, ws);
    if (!pair) return fail(pair.error());
    for (const Path* leg : {&pair->working, &pair->protection}) {
      auto plan = deps_.planner->planOnRoute(*leg, rate, spectrum);
      if (!plan) return fail(plan.error());
      WavelengthPlanner::occupy(*plan, spectrum);
      plans.push_back(std::move(*plan));
    }
  } else {
    WavelengthRequest request{.from = *a, .to = *z, .line_rate = rate};
    request.constraints.max_latency = spec.max_latency;
    auto plan = deps_.planner->plan(request, spectrum, ws);
    if (!plan) return fail(plan.error());
    plans.push_back(std::move(*plan));
  }
  std::vector<Claim> claims;
  for (std::size_t leg = 0; leg < plans.size(); ++leg) {
    const WavelengthPlan& plan = plans[leg];
    auto& nodes = leg == 0 ? out.nodes : out.protection_nodes;
    auto& fibers = leg == 0 ? out.fibers : out.protection_fibers;
    for (NodeIndex n : plan.route.nodes) nodes.push_back(t.node(n).id);
    for (FiberIndex f : plan.route.fibers) fibers.push_back(t.fiber(f).id);
    for (std::size_t s = 0; s < plan.segments.size(); ++s) {
      const PlannedSegment& seg = plan.segments[s];
      if (s > 0) out.regenerators.push_back(t.node(plan.route.nodes[seg.lightpath.from]).id);
      for (std::size_t i = seg.lightpath.from; i < seg.lightpath.to; ++i) {
        const FiberIndex f = plan.route.fibers[i];
        claims.push_back({{ResourceKind::SpectrumSlots, f}, seg.first_slot, seg.slots});
        out.spectrum.push_back({t.fiber(f).id, seg.first_slot, seg.slots});
      }
    }
  }
  out.transceiver = plans[0].transceiver->id;
  out.km = plans[0].route.length.value();
  out.latency_ms = plans[0].route.latency.value() / 1000.0;
  if (plans.size() > 1) out.protection_km = plans[1].route.length.value();
  return claims;
}

Status Provisioner::persist(Connection& c, std::optional<std::uint64_t> expected_version, const std::string& event_type,
                            const std::string& reason, const std::vector<HoldRecord>& put_holds,
                            const std::vector<std::uint64_t>& delete_holds, const AlsoInTransaction& also) {
  const ConnectionRecord record{c.id(), c.tenant(), std::string(toString(c.state())), c.version(), connectionToJson(c)};
  const EventRecord event{0, event_type, c.id(), c.tenant(), deps_.clock->now().time_since_epoch().count(),
                          json{{"id", c.id()}, {"state", toString(c.state())}, {"reason", reason}}.dump(
                              -1, ' ', false, json::error_handler_t::replace)};
  return deps_.store->transact([&](StoreTransaction& tx) -> Status {
    LP_RETURN_IF_ERROR(tx.putConnection(record, expected_version));
    for (const HoldRecord& h : put_holds) LP_RETURN_IF_ERROR(tx.putHold(h));
    for (std::uint64_t h : delete_holds) {
      Status s = tx.deleteHold(h);
      if (!s.isOk() && s.code() != StatusCode::NotFound) return s;
    }
    LP_RETURN_IF_ERROR(statusOf(tx.appendEvent(event)));
    return also ? also(tx, c) : Status::ok();
  });
}

Result<std::vector<Claim>> Provisioner::plan(const ConnectionSpec& spec, const ConnectionSpec& peak,
                                             const Window& window, Realization& out, PathWorkspace& ws) const {
  auto planned = spec.kind == ConnectionKind::Wavelength ? planWavelength(peak, window, out, ws)
                                                         : planEthernet(peak, window, out, ws);
  if (!planned) return planned;
  auto price = priceOf(spec, out);
  if (!price) return fail(price.error());
  out.price = *price;
  return planned;
}

Result<Realization> Provisioner::quote(const ConnectionSpec& spec) const {
  LP_RETURN_IF_ERROR(validateSpec(spec));
  const TimePoint now = deps_.clock->now();
  if (spec.end && *spec.end <= now) return fail(invalidArgument("end: already in the past"));
  ConnectionSpec peak = spec;
  peak.bandwidth_mbps = peakBandwidth(spec);
  Realization realization;
  // Nothing is held, so quotes need not wait for each other or for orders: a workspace per
  // thread, and the ledger's own (shared) lock for reading free capacity.
  thread_local PathWorkspace ws;
  auto planned = plan(spec, peak, {spec.start.value_or(now), spec.end.value_or(TimePoint::max())}, realization, ws);
  if (!planned) return fail(planned.error());
  return realization;
}

Result<Connection> Provisioner::order(const std::string& tenant, ConnectionSpec spec, const std::string& actor,
                                     const AlsoInTransaction& also) {
  LP_RETURN_IF_ERROR(validateSpec(spec));
  const TimePoint now = deps_.clock->now();
  const Window window{spec.start.value_or(now), spec.end.value_or(TimePoint::max())};
  if (spec.end && *spec.end <= now) return fail(invalidArgument("end: already in the past"));
  // Bandwidth that steps over time: the route must carry the peak; capacity is held step by
  // step (one hold per step's window), the VLAN over the whole window.
  ConnectionSpec peak = spec;
  peak.bandwidth_mbps = peakBandwidth(spec);
  std::string id;
  Realization realization;
  std::vector<HoldRecord> holds;
  {
    std::lock_guard lock(mutex_);  // the workspace and the id generator
    id = newId("conn", random_);
    auto planned = plan(spec, peak, window, realization, ws_);
    if (!planned) return fail(planned.error());
    std::vector<std::pair<Window, std::vector<Claim>>> parts;
    if (spec.steps.empty()) {
      parts.emplace_back(window, std::move(*planned));
    } else {
      std::vector<Claim> whole;
      std::vector<Claim> amounts;
      for (Claim& claim : *planned) (isDiscrete(claim.resource.kind) ? whole : amounts).push_back(std::move(claim));
      parts.emplace_back(window, std::move(whole));
      TimePoint from = window.start;
      for (std::size_t i = 0; i <= spec.steps.size(); ++i) {
        const TimePoint to = std::max(window.start, i < spec.steps.size() ? spec.steps[i].at : window.end);
        if (from < to) {
          std::vector<Claim> part = amounts;
          for (Claim& claim : part) claim.count = bandwidthAt(spec, from);
          parts.emplace_back(Window{from, to}, std::move(part));
        }
        from = to;
      }
    }
    // Reserve before letting the next order plan, so two orders never plan on the same free
    // capacity; all parts or none.
    for (auto& [part_window, claims] : parts) {
      if (claims.empty()) continue;
      auto hold = deps_.ledger->reserve(id, claims, part_window);
      if (!hold) {
        for (const HoldRecord& h : holds) (void)deps_.ledger->release(h.id);
        return fail(hold.error());
      }
      holds.push_back({*hold, id, holdJson(part_window, claims)});
    }
  }
  for (const HoldRecord& h : holds) realization.holds.push_back(h.id);
  Connection c = Connection::draft(id, tenant, std::move(spec), now, actor);
  c.setCurrent(std::move(realization));
  LP_RETURN_IF_ERROR(c.transition(ConnectionState::Provisioning, now, actor, "route and capacity reserved"));
  Status saved = persist(c, 0, "connection.created", "ordered", holds, {}, also);
  if (!saved.isOk()) {
    for (const HoldRecord& h : holds) (void)deps_.ledger->release(h.id);  // not durable: hold nothing
    return fail(saved);
  }
  return c;
}

Result<std::vector<NodeChange>> Provisioner::deviceChanges(const Connection& c, bool remove) const {
  // Intent per node, turned into entries by the node's driver through the behaviour of its
  // role: cross-connects for a wavelength, client services for Ethernet and cloud hops, and the
  // cloud attachment at the on-ramp.
  std::vector<NodeChange> changes;
  const Realization& r = c.current();
  const ConnectionSpec& spec = c.requested();
  const bool wavelength = spec.kind == ConnectionKind::Wavelength;
  auto deviceOf = [&](const std::string& node) -> Result<std::shared_ptr<Device>> {
    auto device = deps_.fleet->device(node);
    if (!device) return fail(notFound(fmt::format("no device for node '{}'", node)));
    return device;
  };
  auto cannot = [&](const std::string& node, const char* what) {
    return failedPrecondition(fmt::format("node '{}' ({}) cannot {}", node, c.id(), what));
  };
  auto leg = [&](const std::vector<std::string>& nodes, const std::vector<std::string>& fibers,
                 const char* name) -> Status {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      auto device = deviceOf(nodes[i]);
      if (!device) return device.error();
      const std::string in = i > 0 ? fibers[i - 1] : "";
      const std::string out = i < fibers.size() ? fibers[i] : "";
      DeviceChange change{fmt::format("{}/v{}/{}/{}", c.id(), c.version(), name, i), {}, {}};
      if (wavelength) {
        const CrossConnect* xc = (*device)->crossConnect();
        if (!xc) return cannot(nodes[i], "cross-connect spectrum");
        CrossConnectIntent intent{c.id(), name, in, out, {}, {}};
        for (const SpectrumBlock& b : r.spectrum) {
          if (b.fiber == in || b.fiber == out) intent.slots[b.fiber] = fmt::format("{}+{}", b.first_slot, b.slots);
        }
        const bool ends = i == 0 || i + 1 == nodes.size();
        if (ends || std::find(r.regenerators.begin(), r.regenerators.end(), nodes[i]) != r.regenerators.end()) {
          intent.transceiver = r.transceiver;
        }
        change.set.push_back(xc->crossConnect(intent));
      } else {
        const ClientPort* port = (*device)->clientPort();
        if (!port) return cannot(nodes[i], "carry an Ethernet service");
        change.set.push_back(port->clientService(
            {c.id(), name, in, out, r.vlan, bandwidthAt(spec, deps_.clock->now())}));
        if (spec.kind == ConnectionKind::Cloud && std::string_view(name) == "working" && i + 1 == nodes.size()) {
          const CloudOnRamp* onramp = (*device)->cloudOnRamp();
          if (!onramp) return cannot(nodes[i], "attach a cloud connection");
          change.set.push_back(onramp->cloudAttachment(
              {c.id(), spec.cloud_provider, spec.cloud_key, r.vlan, bandwidthAt(spec, deps_.clock->now())}));
        }
      }
      if (remove) {
        for (ConfigEntry& e : change.set) change.remove.push_back(std::move(e.key));
        change.set.clear();
      }
      changes.push_back({nodes[i], std::move(change)});
    }
    return Status::ok();
  };
  LP_RETURN_IF_ERROR(leg(r.nodes, r.fibers, "working"));
  if (!r.protection_nodes.empty()) LP_RETURN_IF_ERROR(leg(r.protection_nodes, r.protection_fibers, "protection"));
  return changes;
}

Result<std::optional<Realization::Price>> Provisioner::priceOf(const ConnectionSpec& spec,
                                                               const Realization& r) const {
  if (!deps_.price_book) return std::optional<Realization::Price>{};
  // The price book's function, as a quote uses it; a stepped connection at its peak (its route
  // is kept for the peak).
  auto quote = priceConnection(*deps_.price_book, {.kind = spec.kind, .bandwidth_mbps = peakBandwidth(spec),
                                                   .route_km = r.km, .protection_km = r.protection_km,
                                                   .term = spec.term});
  if (!quote) return fail(quote.error().withContext("price"));
  return std::optional<Realization::Price>(
      Realization::Price{quote->currency, quote->term, quote->monthly, quote->hourly, quote->setup});
}

Status Provisioner::configure(const Connection& c, bool remove, const std::string& tag) {
  auto changes = deviceChanges(c, remove);
  if (!changes) return changes.error();
  for (NodeChange& change : *changes) change.change.transaction += tag;
  return applyAcrossDevices(*deps_.fleet, *changes, {calls_.get(), deps_.device_timeout});
}

Status Provisioner::releaseEverything(Connection& c, ConnectionState to, const std::string& actor,
                                      const std::string& reason) {
  for (std::uint64_t h : c.current().holds) (void)deps_.ledger->release(h);
  const std::vector<std::uint64_t> holds = c.current().holds;
  Realization r = c.current();
  r.holds.clear();
  const std::uint64_t before = c.version();
  c.setCurrent(std::move(r));
  LP_RETURN_IF_ERROR(c.transition(to, deps_.clock->now(), actor, reason));
  return persist(c, before, "connection.stateChanged", reason, {}, holds);
}

Status Provisioner::activate(const std::string& id) {
  std::lock_guard guard(lockFor(id));
  auto loaded = get(id);
  if (!loaded) return loaded.error();
  Connection c = std::move(*loaded);
  if (c.state() != ConnectionState::Provisioning) {
    return failedPrecondition(fmt::format("connection {} is {}, not provisioning", id, toString(c.state())));
  }
  if (c.requested().start && *c.requested().start > deps_.clock->now()) {
    return failedPrecondition(fmt::format("connection {} is scheduled to start at {}", id,
                                          formatTime(*c.requested().start)));
  }
  Status devices = configure(c, false);
  for (std::size_t attempt = 0; !devices.isOk() && devices.code() == StatusCode::Unavailable &&
                                attempt < deps_.retry_delays.size(); ++attempt) {
    std::this_thread::sleep_for(deps_.retry_delays[attempt]);
    devices = configure(c, false);
  }
  if (devices.code() == StatusCode::Internal) {
    // Compensation itself failed: some device may still hold part of it. Keep the capacity and
    // leave the connection provisioning, so a restart or a reconcile finishes it either way.
    return devices;
  }
  if (!devices.isOk()) {
    // applyAcrossDevices left no configuration behind; give the capacity back too.
    LP_RETURN_IF_ERROR(releaseEverything(c, ConnectionState::Failed, "orchestrator", "devices: " + devices.message()));
    return devices;
  }
  const std::uint64_t before = c.version();
  const bool cloud = c.requested().kind == ConnectionKind::Cloud;
  LP_RETURN_IF_ERROR(c.transition(cloud ? ConnectionState::AwaitingCounterparty : ConnectionState::Active,
                                  deps_.clock->now(), "orchestrator",
                                  cloud ? "configured; waiting for the provider to accept" : "devices configured"));
  c.setOperState(cloud ? OperState::Down : OperState::Up);
  return persist(c, before, "connection.stateChanged", "activated", {}, {});
}

Status Provisioner::modifyBandwidth(const std::string& id, std::uint64_t mbps, const std::string& actor) {
  auto begun = beginModify(id, mbps, std::nullopt, actor);
  if (!begun) return begun.error();
  return finishModify(id, mbps);
}

namespace {

// The claims of a connection's single hold with its quantities set to `mbps` (the same route,
// ports and VLAN: only the amounts change).
std::vector<Claim> withAmount(std::vector<Claim> claims, std::uint64_t mbps) {
  for (Claim& claim : claims) {
    if (!isDiscrete(claim.resource.kind)) claim.count = mbps;
  }
  return claims;
}

}  // namespace

Result<Connection> Provisioner::beginModify(const std::string& id, std::uint64_t mbps,
                                            std::optional<std::uint64_t> expected_version, const std::string& actor,
                                            const AlsoInTransaction& also) {
  std::lock_guard guard(lockFor(id));
  auto loaded = getAt(id, expected_version);
  if (!loaded) return loaded;
  Connection c = std::move(*loaded);
  if (c.requested().kind == ConnectionKind::Wavelength) {
    return fail(invalidArgument("bandwidth_mbps: a wavelength's rate is its transceiver's: order a new wavelength instead"));
  }
  ConnectionSpec wanted = c.requested();
  wanted.bandwidth_mbps = mbps;
  LP_RETURN_IF_ERROR(validateSpec(wanted));
  if (c.state() != ConnectionState::Active) {
    return fail(failedPrecondition(fmt::format("connection {} is {}; only an active one can change", id, toString(c.state()))));
  }
  if (!c.requested().steps.empty()) {
    return fail(failedPrecondition(fmt::format("connection {} steps its bandwidth on a schedule: change the schedule instead", id)));
  }
  if (c.current().holds.size() != 1) return fail(internalError(fmt::format("connection {} has no single hold", id)));
  auto price = priceOf(wanted, c.current());  // refuse what cannot be priced before holding anything
  if (!price) return fail(price.error());
  const HoldId hold_id = c.current().holds.front();
  auto old_hold = deps_.ledger->hold(hold_id);
  if (!old_hold) return fail(internalError(fmt::format("connection {}: hold {} is not in the ledger", id, hold_id)));
  // Make: hold the new amounts, checked against everyone else; the old ones go in the same step.
  LP_RETURN_IF_ERROR(deps_.ledger->modify(hold_id, withAmount(old_hold->claims, mbps), old_hold->window));
  // Stored as modifying with the old spec and hold: a crash now recovers to the connection as it
  // was (recover() puts the devices back), never to half a change.
  const std::uint64_t before = c.version();
  Status saved = c.transition(ConnectionState::Modifying, deps_.clock->now(), actor,
                              fmt::format("bandwidth {} -> {} Mb/s", c.requested().bandwidth_mbps, mbps));
  if (saved.isOk()) saved = persist(c, before, "connection.stateChanged", "modifying", {}, {}, also);
  if (!saved.isOk()) {
    (void)deps_.ledger->modify(hold_id, old_hold->claims, old_hold->window);
    return fail(saved);
  }
  return c;
}

Status Provisioner::finishModify(const std::string& id, std::uint64_t mbps) {
  std::lock_guard guard(lockFor(id));
  auto loaded = get(id);
  if (!loaded) return loaded.error();
  Connection c = std::move(*loaded);
  if (c.state() != ConnectionState::Modifying) {
    return failedPrecondition(fmt::format("connection {} is {}, not modifying", id, toString(c.state())));
  }
  const HoldId hold_id = c.current().holds.front();
  auto hold = deps_.ledger->hold(hold_id);
  if (!hold) return internalError(fmt::format("connection {}: hold {} is not in the ledger", id, hold_id));
  const std::vector<Claim> claims = withAmount(hold->claims, mbps);
  const std::vector<Claim> old_claims = withAmount(hold->claims, c.requested().bandwidth_mbps);
  auto back = [&](const std::string& why) {
    (void)deps_.ledger->modify(hold_id, old_claims, hold->window);  // break nothing
    const std::uint64_t v = c.version();
    (void)c.transition(ConnectionState::Active, deps_.clock->now(), "orchestrator", why);
    return persist(c, v, "connection.stateChanged", why, {}, {});
  };
  ConnectionSpec wanted = c.requested();
  wanted.bandwidth_mbps = mbps;
  Realization repriced = c.current();
  auto price = priceOf(wanted, repriced);
  if (!price) {
    LP_RETURN_IF_ERROR(back("kept as it was: " + price.error().message()));
    return price.error();
  }
  repriced.price = *price;
  Connection updated = Connection::restore(c.id(), c.tenant(), wanted, c.state(), c.adminState(), c.operState(),
                                           c.history(), std::move(repriced), c.version());
  Status devices = configure(updated, false);
  if (!devices.isOk()) {
    LP_RETURN_IF_ERROR(back("kept as it was: devices: " + devices.message()));
    return devices;
  }
  const std::uint64_t v = updated.version();
  LP_RETURN_IF_ERROR(updated.transition(ConnectionState::Active, deps_.clock->now(), "orchestrator",
                                        fmt::format("bandwidth now {} Mb/s", mbps)));
  return persist(updated, v, "connection.stateChanged", "modified", {{hold_id, id, holdJson(hold->window, claims)}}, {});
}

Status Provisioner::acceptCounterparty(const std::string& id) {
  std::lock_guard guard(lockFor(id));
  auto loaded = get(id);
  if (!loaded) return loaded.error();
  Connection c = std::move(*loaded);
  const std::uint64_t before = c.version();
  LP_RETURN_IF_ERROR(c.transition(ConnectionState::Active, deps_.clock->now(), c.requested().cloud_provider,
                                  "accepted by the provider"));
  c.setOperState(OperState::Up);
  return persist(c, before, "connection.stateChanged", "accepted", {}, {});
}

Status Provisioner::terminate(const std::string& id, const std::string& actor) {
  std::lock_guard guard(lockFor(id));
  auto loaded = get(id);
  if (!loaded) return loaded.error();
  Connection c = std::move(*loaded);
  if (c.state() != ConnectionState::Deprovisioning) {
    auto begun = beginTerminate(id, actor);
    if (!begun) return begun.error();
    c = std::move(*begun);
  }
  Status devices = configure(c, true);
  if (!devices.isOk()) return devices;  // stays deprovisioning; recovery or a retry finishes it
  return releaseEverything(c, ConnectionState::Terminated, "orchestrator", "configuration removed, capacity released");
}

Result<Connection> Provisioner::beginTerminate(const std::string& id, const std::string& actor,
                                               const AlsoInTransaction& also) {
  std::lock_guard guard(lockFor(id));
  auto loaded = get(id);
  if (!loaded) return loaded;
  Connection c = std::move(*loaded);
  if (c.state() == ConnectionState::Deprovisioning) return c;
  const std::uint64_t before = c.version();
  LP_RETURN_IF_ERROR(c.transition(ConnectionState::Deprovisioning, deps_.clock->now(), actor, "terminate"));
  LP_RETURN_IF_ERROR(persist(c, before, "connection.stateChanged", "terminating", {}, {}, also));
  return c;
}

Result<Connection> Provisioner::getAt(const std::string& id, std::optional<std::uint64_t> expected_version) const {
  auto loaded = get(id);
  if (loaded && expected_version && loaded->version() != *expected_version) {
    return fail({StatusCode::Aborted, fmt::format("connection {} is at version {}, not {}", id, loaded->version(),
                                                  *expected_version)});
  }
  return loaded;
}

Result<Connection> Provisioner::setEnd(const std::string& id, std::optional<TimePoint> end,
                                       std::optional<std::uint64_t> expected_version, const std::string& actor,
                                       const AlsoInTransaction& also) {
  std::lock_guard guard(lockFor(id));
  auto loaded = getAt(id, expected_version);
  if (!loaded) return loaded;
  const ConnectionState state = loaded->state();
  if (stateInfo(state).terminal || state == ConnectionState::Deprovisioning || state == ConnectionState::Modifying) {
    return fail(failedPrecondition(fmt::format("connection {} is {}; its end cannot move now", id, toString(state))));
  }
  if (!loaded->requested().steps.empty()) {
    return fail(failedPrecondition(fmt::format("connection {} steps its bandwidth on a schedule: its end stays", id)));
  }
  if (end && *end <= deps_.clock->now()) return fail(invalidArgument("end: already in the past"));
  ConnectionSpec spec = loaded->requested();
  spec.end = end;
  LP_RETURN_IF_ERROR(validateSpec(spec));
  if (loaded->current().holds.size() != 1) return fail(internalError(fmt::format("connection {} has no single hold", id)));
  const HoldId hold_id = loaded->current().holds.front();
  auto old_hold = deps_.ledger->hold(hold_id);
  if (!old_hold) return fail(internalError(fmt::format("connection {}: hold {} is not in the ledger", id, hold_id)));
  const Window window{old_hold->window.start, end.value_or(TimePoint::max())};
  LP_RETURN_IF_ERROR(deps_.ledger->modify(hold_id, old_hold->claims, window));
  const std::uint64_t before = loaded->version();
  Connection c = Connection::restore(id, loaded->tenant(), std::move(spec), state, loaded->adminState(),
                                     loaded->operState(), loaded->history(), loaded->current(), before + 1);
  Status saved = persist(c, before, "connection.scheduleChanged",
                         end ? "ends " + formatTime(*end) + " (" + actor + ")" : "runs until terminated (" + actor + ")",
                         {{hold_id, id, holdJson(window, old_hold->claims)}}, {}, also);
  if (!saved.isOk()) {
    (void)deps_.ledger->modify(hold_id, old_hold->claims, old_hold->window);  // not durable: as it was
    return fail(saved);
  }
  return c;
}

Result<Connection> Provisioner::setTags(const std::string& id, std::map<std::string, std::string> tags,
                                        std::optional<std::uint64_t> expected_version, const std::string& actor,
                                        const AlsoInTransaction& also) {
  std::lock_guard guard(lockFor(id));
  auto loaded = getAt(id, expected_version);
  if (!loaded) return loaded;
  if (stateInfo(loaded->state()).terminal || loaded->state() == ConnectionState::Modifying) {
    return fail(failedPrecondition(fmt::format("connection {} is {}", id, toString(loaded->state()))));
  }
  ConnectionSpec spec = loaded->requested();
  spec.tags = std::move(tags);
  LP_RETURN_IF_ERROR(validateSpec(spec));
  const std::uint64_t before = loaded->version();
  Connection c = Connection::restore(id, loaded->tenant(), std::move(spec), loaded->state(), loaded->adminState(),
                                     loaded->operState(), loaded->history(), loaded->current(), before + 1);
  LP_RETURN_IF_ERROR(persist(c, before, "connection.tagsChanged", "tags changed by " + actor, {}, {}, also));
  return c;
}

Result<std::size_t> Provisioner::runSchedule(TimePoint now) {
  std::vector<ConnectionRecord> candidates;
  LP_RETURN_IF_ERROR(deps_.store->read([&](StoreTransaction& tx) -> Status {
    for (const char* state : {"provisioning", "active", "awaiting_counterparty"}) {
      LP_RETURN_IF_ERROR(scanConnections(tx, state, [&](const ConnectionRecord& r) {
        candidates.push_back(r);
        return Status::ok();
      }));
    }
    return Status::ok();
  }));
  std::optional<TimePoint> since;  // steps after this were not yet told to the devices
  {
    std::lock_guard lock(mutex_);
    since = std::exchange(last_schedule_, now);
  }
  std::size_t moved = 0;
  for (const ConnectionRecord& record : candidates) {
    // One connection's trouble is logged and left to the next tick; the others still move.
    auto c = connectionFromJson(record.body);
    if (!c) {
      log().error("schedule: connection {}: {}", record.id, c.error().toString());
      continue;
    }
    const ConnectionSpec& spec = c->requested();
    if (spec.end && *spec.end <= now) {
      if (Status s = terminate(c->id(), "schedule"); !s.isOk()) {
        log().warn("schedule: terminating {}: {}", c->id(), s.toString());
        continue;
      }
      ++moved;
    } else if (c->state() == ConnectionState::Provisioning && spec.start && *spec.start <= now) {
      // Only scheduled starts: whoever ordered an unscheduled one activates it (and recover()
      // after a restart), so two workflows never race on one connection.
      if (Status s = activate(c->id()); !s.isOk()) {
        log().warn("schedule: activating {}: {}", c->id(), s.toString());
        continue;
      }
      ++moved;
    } else if (c->state() == ConnectionState::Active &&
               std::any_of(spec.steps.begin(), spec.steps.end(),
                           [&](const BandwidthStep& step) { return (!since || *since < step.at) && step.at <= now; })) {
      // A bandwidth step came (or may have, before a restart): the devices get the new rate.
      // The capacity is already held step by step. A failure is left to the next tick.
      std::lock_guard guard(lockFor(c->id()));
      if (configure(*c, false, fmt::format("/step{}", bandwidthAt(spec, now))).isOk()) {
        const std::uint64_t version = c->version();
        if (Status s = persist(*c, version, "connection.bandwidthChanged",
                               fmt::format("bandwidth {} Mb/s on schedule", bandwidthAt(spec, now)), {}, {});
            !s.isOk()) {
          log().warn("schedule: bandwidth step of {}: {}", c->id(), s.toString());
          continue;
        }
        ++moved;
      } else {
        std::lock_guard lock(mutex_);
        last_schedule_ = since;  // try again next tick
      }
    }
  }
  return moved;
}

Result<Connection> Provisioner::get(const std::string& id) const {
  std::optional<ConnectionRecord> record;
  LP_RETURN_IF_ERROR(deps_.store->read([&](StoreTransaction& tx) -> Status {
    auto r = tx.connection(id);
    if (!r) return r.error();
    record = std::move(*r);
    return Status::ok();
  }));
  if (!record) return fail(notFound(fmt::format("no connection {}", id)));
  return connectionFromJson(record->body);
}

Status Provisioner::recover() {
  // 1. The ledger again, from the holds the store keeps.
  std::vector<HoldRecord> stored;
  std::vector<ConnectionRecord> unfinished;
  LP_RETURN_IF_ERROR(deps_.store->read([&](StoreTransaction& tx) -> Status {
    auto holds = tx.holds();
    if (!holds) return holds.error();
    stored = std::move(*holds);
    for (const char* state : {"provisioning", "modifying", "deprovisioning"}) {  // the states with work left
      LP_RETURN_IF_ERROR(scanConnections(tx, state, [&](const ConnectionRecord& r) {
        unfinished.push_back(r);
        return Status::ok();
      }));
    }
    return Status::ok();
  }));
  // Holds keep their stored ids, so connections and hold records stay as they are.
  for (const HoldRecord& h : stored) {
    auto parsed = holdFromJson(h.body);
    if (!parsed) return parsed.error();
    auto id = deps_.ledger->restore(h.id, h.owner, parsed->second, parsed->first);
    if (!id) return id.error().withContext(fmt::format("recovering the hold of {}", h.owner));
  }
  // 3. Finish what was under way.
  if (!deps_.resume_workflows) return Status::ok();
  // One connection's trouble is logged and left as it is (a retry, the schedule or an operator
  // finishes it): it must not keep the others, or the service, from starting.
  const TimePoint now = deps_.clock->now();
  for (const ConnectionRecord& record : unfinished) {
    Status s;
    if (record.state == "provisioning") {
      auto c = connectionFromJson(record.body);
      if (c && c->requested().start && *c->requested().start > now) continue;  // the schedule starts it
      s = c ? activate(record.id) : c.error();
    } else if (record.state == "modifying") {
      // A change cut short: the store still holds the connection, its hold and its price as they
      // were before it (they are written when the change completes), so the devices are put back
      // to that and the connection is active as it was.
      auto c = connectionFromJson(record.body);
      s = c ? configure(*c, false, "/kept") : c.error();
      if (s.isOk()) {
        const std::uint64_t before = c->version();
        s = c->transition(ConnectionState::Active, now, "orchestrator", "restarted during a change: kept as it was");
        if (s.isOk()) s = persist(*c, before, "connection.stateChanged", "kept as it was", {}, {});
      }
    } else if (record.state == "deprovisioning") {
      s = terminate(record.id, "orchestrator");
    }
    if (!s.isOk()) log().warn("recovery: {} ({}): {}", record.id, record.state, s.toString());
  }
  return Status::ok();
}

Result<std::map<std::string, Connection>> Provisioner::liveConnections() const {
  std::map<std::string, Connection> live;
  LP_RETURN_IF_ERROR(deps_.store->read([&](StoreTransaction& tx) -> Status {
    return scanConnections(tx, std::nullopt, [&](const ConnectionRecord& r) -> Status {
      auto c = connectionFromJson(r.body);
      if (!c) return c.error();
      if (!stateInfo(c->state()).terminal) live.emplace(c->id(), std::move(*c));
      return Status::ok();
    });
  }));
  return live;
}

std::vector<std::string> Provisioner::check() const {
  std::vector<std::string> violations = deps_.ledger->checkInvariants();
  auto live = liveConnections();
  if (!live) return {live.error().message()};
  // Capacity: every live connection's holds are in the ledger, and no hold without one.
  std::size_t live_holds = 0;
  for (const auto& [id, c] : *live) {
    for (std::uint64_t h : c.current().holds) {
      ++live_holds;
      auto hold = deps_.ledger->hold(h);
      if (!hold || hold->owner != id) violations.push_back(fmt::format("{}: hold {} missing from the ledger", id, h));
    }
  }
  if (deps_.ledger->holdCount() != live_holds) {
    violations.push_back(fmt::format("the ledger has {} holds, live connections {}", deps_.ledger->holdCount(), live_holds));
  }
  std::map<std::string, DeviceChange> unused;
  ReconcileReport devices = deviceDrift(*live, unused);
  for (std::string& line : devices.drift) violations.push_back(std::move(line));
  for (std::string& line : devices.failed) violations.push_back(std::move(line));
  return violations;
}

Provisioner::ReconcileReport Provisioner::reconcile(bool repair) {
  auto live = liveConnections();
  if (!live) return {.failed = {live.error().message()}};
  std::map<std::string, DeviceChange> fixes;
  ReconcileReport report = deviceDrift(*live, fixes);
  if (!repair) return report;
  for (auto& [node, fix] : fixes) {
    {
      std::lock_guard lock(mutex_);
      fix.transaction = newId("reconcile", random_);
    }
    Status s = applyAcrossDevices(*deps_.fleet, {{node, std::move(fix)}}, {calls_.get(), deps_.device_timeout});
    if (s.isOk()) report.repaired.push_back(node);
    else report.failed.push_back(fmt::format("{}: repair failed: {}", node, s.message()));
  }
  return report;
}

Provisioner::ReconcileReport Provisioner::deviceDrift(const std::map<std::string, Connection>& live,
                                                     std::map<std::string, DeviceChange>& fixes) const {
  ReconcileReport report;
  // What each device should hold: the entries of every configured connection.
  std::map<std::string, std::map<std::string, ConfigEntry>> intended;
  for (const auto& [id, c] : live) {
    if (c.state() != ConnectionState::Active && c.state() != ConnectionState::AwaitingCounterparty) continue;
    auto changes = deviceChanges(c, false);
    if (!changes) {
      report.failed.push_back(fmt::format("{}: {}", id, changes.error().message()));
      continue;
    }
    for (NodeChange& nc : *changes) {
      for (ConfigEntry& e : nc.change.set) intended[nc.node][e.key] = std::move(e);
    }
  }
  for (const auto& [node, device] : deps_.fleet->all()) {
    auto running = device->running();
    if (!running) {
      report.failed.push_back(fmt::format("{}: cannot read the running configuration: {}", node, running.error().message()));
      continue;
    }
    std::map<std::string, ConfigEntry> wanted = intended[node];
    DeviceChange fix;
    for (ConfigEntry& e : *running) {
      auto it = wanted.find(e.key);
      if (it != wanted.end()) {
        if (it->second != e) {
          report.drift.push_back(fmt::format("{}: entry '{}' of {} differs from what the service needs", node, e.key, e.owner));
          fix.set.push_back(it->second);
        }
        wanted.erase(it);
      } else if (!live.contains(e.owner)) {
        report.drift.push_back(fmt::format("{}: entry '{}' for {}, which is not a live connection", node, e.key, e.owner));
        fix.remove.push_back(e.key);
      } else if (const ConnectionState state = live.at(e.owner).state();
                 state == ConnectionState::Active || state == ConnectionState::AwaitingCounterparty) {
        report.drift.push_back(fmt::format("{}: entry '{}' is not part of {}", node, e.key, e.owner));
        fix.remove.push_back(e.key);
      }
    }
    for (auto& [key, e] : wanted) {
      report.drift.push_back(fmt::format("{}: {} is {}, but the node has no entry '{}' for it", e.owner, node,
                                   toString(live.at(e.owner).state()), key));
      fix.set.push_back(std::move(e));
    }
    if (!fix.set.empty() || !fix.remove.empty()) fixes[node] = std::move(fix);
  }
  for (const auto& [node, entries] : intended) {
    if (!deps_.fleet->device(node) && !entries.empty()) {
      report.failed.push_back(fmt::format("{}: needed by {}, but there is no device for it", node, entries.begin()->second.owner));
    }
  }
  return report;
}

}  // namespace lightpath
