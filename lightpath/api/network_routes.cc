// The network: locations, ports (and their assignment to tenants), the topology and a fiber's
// spectrum. Everyone sees the network; only operators see how full it is.
#include <fmt/format.h>

#include <cmath>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

json siteJson(const Site& s) {
  json j{{"id", s.id}, {"name", s.name}, {"kind", toString(s.kind)}, {"metro", s.metro}};
  if (s.location) {
    j["lat"] = s.location->lat;
    j["lon"] = s.location->lon;
  }
  if (!s.provider.empty()) j["provider"] = s.provider;
  if (!s.region.empty()) j["region"] = s.region;
  return j;
}

}  // namespace

Result<HttpResponse> Api::Impl::listLocations(Context& ctx) {
  LP_ASSIGN_OR_RETURN(auto page, paging(ctx.request));
  std::optional<SiteKind> kind;
  if (auto it = ctx.request.query.find("kind"); it != ctx.request.query.end()) {
    auto k = parseSiteKind(it->second);
    if (!k) return fail(invalidArgument("kind: pop, datacenter, cloud_onramp or enterprise"));
    kind = *k;
  }
  std::vector<std::string> items;
  std::size_t total = 0;
  for (const Site& s : deps.topology->sites()) {
    if (kind && s.kind != *kind) continue;
    if (total >= page.first && items.size() < page.second) items.push_back(dumpJson(siteJson(s)));
    ++total;
  }
  return jsonReply(200, pageJson(items, total, page.first, page.second));
}

Result<HttpResponse> Api::Impl::getLocation(Context& ctx) {
  const Site* site = deps.topology->findSite(ctx.params[0]);
  if (!site) return fail(notFound(fmt::format("no location '{}'", ctx.params[0].substr(0, 80))));
  json j = siteJson(*site);
  json ports = json::array();
  for (const Port& p : deps.topology->ports()) {
    if (p.site != site->id) continue;
    const auto owner = portOwner(p.id);
    if (ctx.isOperator() || site->kind == SiteKind::CloudOnramp ||
        (owner && *owner == ctx.who.tenant)) {
      ports.push_back(p.id);
    }
  }
  j["ports"] = ports;
  return jsonReply(200, j);
}

Result<HttpResponse> Api::Impl::listPorts(Context& ctx) {
  LP_ASSIGN_OR_RETURN(auto page, paging(ctx.request));
  const TimePoint now = deps.clock->now();
  std::vector<std::string> items;
  std::size_t total = 0;
  const auto ports = deps.topology->ports();
  for (std::uint32_t i = 0; i < ports.size(); ++i) {
    const Port& p = ports[i];
    const Site* site = deps.topology->findSite(p.site);
    const bool onramp = site && site->kind == SiteKind::CloudOnramp;
    const auto owner = portOwner(p.id);
    const bool mine = owner && *owner == ctx.who.tenant;
    if (!ctx.isOperator() && !mine && !onramp) continue;
    if (total >= page.first && items.size() < page.second) {
      json j{{"id", p.id},
             {"name", p.name},
             {"site", p.site},
             {"node", p.node},
             {"speed_gbps", p.speed.value()},
             {"macsec", p.macsec}};
      if (onramp) {
        j["cloud_provider"] = site->provider;
        j["cloud_region"] = site->region;
        if (p.zone != 0) j["zone"] = p.zone;
      }
      if (ctx.isOperator() || mine) {
        j["tenant"] = owner ? json(*owner) : json(nullptr);
        j["used_mbps"] = static_cast<std::uint64_t>(
            std::llround(deps.ledger->utilization({ResourceKind::PortBandwidth, i}, now) *
                         p.speed.value() * 1000.0));
      }
      items.push_back(dumpJson(j));
    }
    ++total;
  }
  return jsonReply(200, pageJson(items, total, page.first, page.second));
}

Result<HttpResponse> Api::Impl::patchPort(Context& ctx) {
  const std::string& id = ctx.params[0];
  if (!ports_by_id.contains(id))
    return fail(notFound(fmt::format("no port '{}'", id.substr(0, 80))));
  ctx.subject = id;
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  LP_RETURN_IF_ERROR(onlyFields(body, {"tenant"}));
  if (!body.contains("tenant"))
    return fail(invalidArgument("tenant: required (a tenant id, or null to release)"));
  const json& t = body.at("tenant");
  if (!t.is_null() && !t.is_string()) return fail(invalidArgument("tenant: a tenant id or null"));
  const std::string tenant = t.is_null() ? "" : t.get<std::string>();
  if (!tenant.empty()) {
    LP_ASSIGN_OR_RETURN(auto known, readDocument(*deps.store, "tenant", tenant));
    if (!known)
      return fail(invalidArgument(fmt::format("tenant: no tenant '{}'", tenant.substr(0, 40))));
  }
  ctx.owner = tenant;
  const json doc{
      {"port", id}, {"tenant", t}, {"at", formatTime(deps.clock->now())}, {"by", ctx.who.key_id}};
  HttpResponse reply = jsonReply(200, json{{"id", id}, {"tenant", t}});
  LP_RETURN_IF_ERROR(commit(ctx, reply, [&](StoreTransaction& tx) {
    return tx.putDocument({"port_assignment", id, tenant, dumpJson(doc)});
  }));
  std::unique_lock lock(ports_mutex);
  port_owner[id] = tenant;
  return reply;
}

// Everyone sees the network (the map); only operators see how full each fiber is.
Result<HttpResponse> Api::Impl::getTopology(Context& ctx) {
  const Topology& t = *deps.topology;
  const TimePoint now = deps.clock->now();
  json sites = json::array();
  for (const Site& s : t.sites()) sites.push_back(siteJson(s));
  json nodes = json::array();
  for (const Node& n : t.nodes()) {
    nodes.push_back({{"id", n.id}, {"name", n.name}, {"site", n.site}, {"kind", toString(n.kind)}});
  }
  json fibers = json::array();
  const auto down = deps.provisioner->down();  // cut fibers: everyone's map shows them
  for (std::uint32_t f = 0; f < t.fibers().size(); ++f) {
    const Fiber& fiber = t.fiber(f);
    json j{{"id", fiber.id},
           {"a", fiber.a},
           {"b", fiber.b},
           {"km", fiber.length.value()},
           {"latency_ms", fiberLatency(fiber.length).value() / 1000.0},
           {"srlgs", fiber.srlgs}};
    if (down->fiberDown(f)) j["down"] = true;
    if (ctx.isOperator()) {
      j["spectrum_utilization"] = deps.ledger->utilization({ResourceKind::SpectrumSlots, f}, now);
      j["packet_utilization"] = deps.ledger->utilization({ResourceKind::LinkBandwidth, f}, now);
    }
    fibers.push_back(std::move(j));
  }
  return jsonReply(
      200, json{{"name", t.name()}, {"sites", sites}, {"nodes", nodes}, {"fibers", fibers}});
}

// The slots of one fiber and who holds them now: operators see every connection and tenant,
// a tenant sees its own and only "in use" for the rest.
Result<HttpResponse> Api::Impl::getFiberSpectrum(Context& ctx) {
  const Topology& t = *deps.topology;
  const auto fiber = t.findFiber(ctx.params[0]);
  if (!fiber) return fail(notFound(fmt::format("no fiber '{}'", ctx.params[0].substr(0, 80))));
  const ResourceId resource{ResourceKind::SpectrumSlots, static_cast<std::uint32_t>(*fiber)};
  const auto uses = deps.ledger->usesAt(resource, deps.clock->now());
  std::map<std::string, std::string> tenant_of;
  LP_RETURN_IF_ERROR(deps.store->read([&](StoreTransaction& tx) -> Status {
    for (const Ledger::Use& u : uses) {
      if (tenant_of.contains(u.owner)) continue;
      LP_ASSIGN_OR_RETURN(auto c, tx.connection(u.owner));
      tenant_of[u.owner] = c ? c->tenant : "";
    }
    return Status::ok();
  }));
  // A tenant sees its own blocks and how full the fiber is, never where others' light sits:
  // other tenants' blocks, fiber by fiber, would spell out their routes, ends and rates.
  json blocks = json::array();
  std::uint64_t used = 0;
  for (const Ledger::Use& u : uses) {
    used += u.count;
    const std::string& tenant = tenant_of[u.owner];
    if (!ctx.who.sees(tenant)) continue;
    json b{{"first_slot", u.first}, {"slots", u.count}, {"connection", u.owner}};
    if (ctx.isOperator()) b["tenant"] = tenant;
    blocks.push_back(std::move(b));
  }
  const Fiber& f = t.fiber(*fiber);
  const auto capacity = deps.ledger->capacity(resource);
  return jsonReply(
      200, json{{"fiber", f.id},
                {"slots", capacity},
                {"used_slots", used},
                {"utilization",
                 capacity > 0 ? static_cast<double>(used) / static_cast<double>(capacity) : 0.0},
                {"start_thz", f.band.start_thz},
                {"end_thz", f.band.end_thz},
                {"blocks", std::move(blocks)}});
}

}  // namespace lightpath
