// The cloud hand-shake (Lifecycle's part of it): the provider asked for its side once the on-ramp
// is configured, then read on the schedule until the customer has done theirs (active), deleted
// it there (terminated here too) or let the time to accept pass (expired: removed at the provider
// and terminated). Every change of the provider's state is an event, so the customer sees what
// to do next.
#include <fmt/format.h>

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/lifecycle.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

// The provider's name as customers know it, for reasons and next steps.
std::string providerName(const std::string& provider) {
  return provider == "aws"      ? "AWS"
         : provider == "azure"  ? "Azure"
         : provider == "google" ? "Google Cloud"
                                : provider;
}

ProviderSide sideOf(const ProviderState& s, std::optional<TimePoint> expires) {
  return {s.id, s.state, s.phase == ProviderPhase::AwaitingCustomer ? s.next_step : "", expires};
}

}  // namespace

CloudProvider* Lifecycle::cloudProvider(const Connection& c) const {
  if (c.requested().kind != ConnectionKind::Cloud || !ctx_.deps.clouds) return nullptr;
  auto it = ctx_.deps.clouds->find(c.requested().cloud_provider);
  return it == ctx_.deps.clouds->end() ? nullptr : it->second.get();
}

Result<CloudHandshake> Lifecycle::handshakeOf(const Connection& c) const {
  const Topology& t = *ctx_.deps.topology;
  const ConnectionSpec& spec = c.requested();
  CloudHandshake h{.connection = c.id(),
                   .provider = spec.cloud_provider,
                   .customer_key = spec.cloud_key,
                   .interconnect = spec.z_end,
                   .location = {},
                   .region = {},
                   .vlan = c.current().vlan.value_or(0),
                   .mbps = spec.bandwidth_mbps};
  for (const Port& port : t.ports()) {
    if (port.id != spec.z_end) continue;
    h.zone = port.zone;
    if (const Site* site = t.findSite(port.site)) {
      h.location = site->metro;
      h.region = site->region;
    }
    return h;
  }
  return fail(internalError(fmt::format("connection {}: its on-ramp port {} is not in the topology",
                                        c.id(), spec.z_end)));
}

Status Lifecycle::askProvider(Connection& c) {
  CloudProvider* provider = cloudProvider(c);
  if (!provider) return Status::ok();  // no provider configured: accepted by hand
  LP_ASSIGN_OR_RETURN(CloudHandshake h, handshakeOf(c));
  const std::optional<TimePoint> expires = ctx_.now() + ctx_.deps.cloud_accept_within;
  Result<ProviderState> asked = provider->create(h);
  Realization r = c.current();
  if (asked) {
    r.provider = sideOf(*asked, expires);
  } else if (asked.error().code() == StatusCode::Unavailable) {
    // The provider is out of reach: the schedule asks again (create() finds what a lost answer
    // made).
    log().warn("connection {}: {}", c.id(), asked.error().message());
    r.provider = ProviderSide{"", "not yet asked", "", expires};
  } else {
    return asked.error();
  }
  c.setCurrent(std::move(r));
  return Status::ok();
}

Lifecycle::ProviderMove Lifecycle::pollProvider(const std::string& id) {
  auto guard = ctx_.locks.lock(id);
  auto got = ctx_.records.get(id);
  if (!got) return {};
  Connection& c = *got;
  CloudProvider* provider = cloudProvider(c);
  const bool awaiting = c.state() == ConnectionState::AwaitingCounterparty;
  if (!provider || !c.current().provider || (!awaiting && c.state() != ConnectionState::Active))
    return {};
  auto h = handshakeOf(c);
  if (!h) return {};
  const ProviderSide before = *c.current().provider;
  const std::string who = providerName(c.requested().cloud_provider);
  // The time to accept ran out; what it ends is the customer's part only: once accepted, the
  // provider bringing it up is not cut short.
  const bool expired = awaiting && before.expires && *before.expires <= ctx_.now();
  Result<ProviderState> now =
      before.id.empty() ? provider->create(*h) : provider->read(*h, before.id);
  if (!now) {
    if (now.error().code() == StatusCode::Unavailable) {
      log().warn("connection {}: {}", id, now.error().message());
      if (expired && before.id.empty()) {
        return {.terminate = true,
                .reason = fmt::format("the hand-shake expired: {} could not be reached by {}", who,
                                      formatTime(*before.expires)),
                .actor = "orchestrator"};
      }
      return {};
    }
    // Refused when asked again (a key the provider no longer knows): nothing to wait for.
    return {
        .terminate = true, .reason = now.error().message(), .actor = c.requested().cloud_provider};
  }
  if (now->phase == ProviderPhase::Gone) {
    return {.terminate = true,
            .reason = fmt::format("{} {} was deleted at {} ({})",
                                  awaiting ? "the hand-shake" : "the connection", now->id, who,
                                  now->state),
            .actor = c.requested().cloud_provider};
  }
  const ProviderSide side = sideOf(*now, before.expires);
  if (expired && now->phase == ProviderPhase::AwaitingCustomer) {
    if (Status removed = provider->remove(*h, now->id); !removed.isOk()) {
      log().warn("connection {}: removing the expired hand-shake: {}", id, removed.toString());
      return {};
    }
    return {.terminate = true,
            .reason = fmt::format("the hand-shake expired: not accepted at {} by {}", who,
                                  formatTime(*before.expires)),
            .actor = "orchestrator"};
  }
  const std::uint64_t version = c.version();
  Realization r = c.current();
  r.provider = side;
  c.setCurrent(std::move(r));
  if (awaiting && now->phase == ProviderPhase::Ready) {
    if (Status s = c.transition(ConnectionState::Active, ctx_.now(), c.requested().cloud_provider,
                                fmt::format("accepted at {}: {} is {}", who, now->id, now->state));
        !s.isOk())
      return {};
    c.setOperState(OperState::Up);
    if (Status s = ctx_.records.save(c, version, "connection.stateChanged", "accepted", {}, {});
        !s.isOk())
      log().warn("connection {}: {}", id, s.toString());
    return {.moved = true};
  }
  if (side == before) return {};
  const std::string reason = fmt::format("{} {} is {}", who, now->id, now->state);
  if (Status s = ctx_.records.save(c, version, "connection.providerStateChanged", reason, {}, {});
      !s.isOk())
    log().warn("connection {}: {}", id, s.toString());
  return {.moved = true};
}

Status Lifecycle::removeAtProvider(const Connection& c) {
  CloudProvider* provider = cloudProvider(c);
  if (!provider || !c.current().provider || c.current().provider->id.empty()) return Status::ok();
  LP_ASSIGN_OR_RETURN(CloudHandshake h, handshakeOf(c));
  return provider->remove(h, c.current().provider->id);
}

}  // namespace lightpath
