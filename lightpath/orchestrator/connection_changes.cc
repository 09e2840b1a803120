// Changes to a live connection: bandwidth (make-before-break, in two halves), the end of its
// window, its tags.
#include <fmt/format.h>

#include "lightpath/orchestrator/hold_records.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/lifecycle.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

Result<Connection> Lifecycle::beginModify(const std::string& id, std::uint64_t mbps,
                                          std::optional<std::uint64_t> expected_version,
                                          const std::string& actor, const AlsoInTransaction& also) {
  auto guard = ctx_.locks.lock(id);
  LP_ASSIGN_OR_RETURN(Connection c, ctx_.records.getAt(id, expected_version));
  if (c.requested().kind == ConnectionKind::Wavelength) {
    return fail(
        invalidArgument("bandwidth_mbps: a wavelength's rate is its transceiver's: order a new "
                        "wavelength instead"));
  }
  if (c.current().provider) {
    // The provider sold the hosted connection at its bandwidth; it cannot be changed there.
    return fail(invalidArgument(
        "bandwidth_mbps: a hosted cloud connection's bandwidth is fixed at the provider: order "
        "a new one instead"));
  }
  ConnectionSpec wanted = c.requested();
  wanted.bandwidth_mbps = mbps;
  LP_RETURN_IF_ERROR(validateSpec(wanted));
  if (c.state() != ConnectionState::Active) {
    return fail(failedPrecondition(fmt::format("connection {} is {}; only an active one can change",
                                               id, toString(c.state()))));
  }
  if (!c.requested().steps.empty()) {
    return fail(failedPrecondition(fmt::format(
        "connection {} steps its bandwidth on a schedule: change the schedule instead", id)));
  }
  if (c.current().keys && c.current().keys->rotating()) {
    return fail(failedPrecondition(fmt::format(
        "connection {} is changing its key: change the bandwidth once it is done", id)));
  }
  // Refuse what cannot be priced before holding anything.
  LP_RETURN_IF_ERROR(statusOf(ctx_.planner.priceOf(wanted, c.current())));
  LP_ASSIGN_OR_RETURN(const Hold old_hold, singleHold(c));
  const HoldId hold_id = old_hold.id;
  // Make: hold the new amounts, checked against everyone else; the old ones go in the same step.
  LP_RETURN_IF_ERROR(
      ctx_.deps.ledger->modify(hold_id, withAmount(old_hold.claims, mbps), old_hold.window));
  // Stored as modifying with the old spec and hold: a crash now recovers to the connection as it
  // was (recover() puts the devices back), never to half a change.
  const std::uint64_t before = c.version();
  Status saved =
      c.transition(ConnectionState::Modifying, ctx_.now(), actor,
                   fmt::format("bandwidth {} -> {} Mb/s", c.requested().bandwidth_mbps, mbps));
  if (saved.isOk())
    saved = ctx_.records.save(c, before, "connection.stateChanged", "modifying", {}, {}, also);
  if (!saved.isOk()) {
    (void)ctx_.deps.ledger->modify(hold_id, old_hold.claims, old_hold.window);
    return fail(saved);
  }
  return c;
}

Status Lifecycle::finishModify(const std::string& id, std::uint64_t mbps) {
  auto guard = ctx_.locks.lock(id);
  LP_ASSIGN_OR_RETURN(Connection c, ctx_.records.get(id));
  if (c.state() != ConnectionState::Modifying) {
    return failedPrecondition(
        fmt::format("connection {} is {}, not modifying", id, toString(c.state())));
  }
  LP_ASSIGN_OR_RETURN(const Hold hold, singleHold(c));
  const HoldId hold_id = hold.id;
  const std::vector<Claim> claims = withAmount(hold.claims, mbps);
  const std::vector<Claim> old_claims = withAmount(hold.claims, c.requested().bandwidth_mbps);
  auto back = [&](const std::string& why) {
    (void)ctx_.deps.ledger->modify(hold_id, old_claims, hold.window);  // break nothing
    const std::uint64_t v = c.version();
    (void)c.transition(ConnectionState::Active, ctx_.now(), "orchestrator", why);
    return ctx_.records.save(c, v, "connection.stateChanged", why, {}, {});
  };
  ConnectionSpec wanted = c.requested();
  wanted.bandwidth_mbps = mbps;
  Realization repriced = c.current();
  auto price = ctx_.planner.priceOf(wanted, repriced);
  if (!price) {
    LP_RETURN_IF_ERROR(back("kept as it was: " + price.error().message()));
    return price.error();
  }
  repriced.price = *price;
  Connection updated =
      Connection::restore(c.id(), c.tenant(), wanted, c.state(), c.adminState(), c.operState(),
                          c.history(), std::move(repriced), c.version());
  Status devices = ctx_.configure(updated, IntentAction::Apply);
  if (!devices.isOk()) {
    LP_RETURN_IF_ERROR(back("kept as it was: devices: " + devices.message()));
    return devices;
  }
  const std::uint64_t v = updated.version();
  LP_RETURN_IF_ERROR(updated.transition(ConnectionState::Active, ctx_.now(), "orchestrator",
                                        fmt::format("bandwidth now {} Mb/s", mbps)));
  return ctx_.records.save(updated, v, "connection.stateChanged", "modified",
                           {{hold_id, id, encodeHold(hold.window, claims)}}, {});
}

Result<Connection> Lifecycle::setEnd(const std::string& id, std::optional<TimePoint> end,
                                     std::optional<std::uint64_t> expected_version,
                                     const std::string& actor, const AlsoInTransaction& also) {
  auto guard = ctx_.locks.lock(id);
  auto loaded = ctx_.records.getAt(id, expected_version);
  if (!loaded) return loaded;
  const ConnectionState state = loaded->state();
  if (stateInfo(state).terminal || state == ConnectionState::Deprovisioning ||
      state == ConnectionState::Modifying) {
    return fail(failedPrecondition(
        fmt::format("connection {} is {}; its end cannot move now", id, toString(state))));
  }
  if (!loaded->requested().steps.empty()) {
    return fail(failedPrecondition(
        fmt::format("connection {} steps its bandwidth on a schedule: its end stays", id)));
  }
  if (end && *end <= ctx_.now()) return fail(invalidArgument("end: already in the past"));
  ConnectionSpec spec = loaded->requested();
  spec.end = end;
  LP_RETURN_IF_ERROR(validateSpec(spec));
  LP_ASSIGN_OR_RETURN(const Hold old_hold, singleHold(*loaded));
  const HoldId hold_id = old_hold.id;
  const Window window{old_hold.window.start, end.value_or(TimePoint::max())};
  LP_RETURN_IF_ERROR(ctx_.deps.ledger->modify(hold_id, old_hold.claims, window));
  const std::uint64_t before = loaded->version();
  Connection c =
      Connection::restore(id, loaded->tenant(), std::move(spec), state, loaded->adminState(),
                          loaded->operState(), loaded->history(), loaded->current(), before + 1);
  Status saved = ctx_.records.save(c, before, "connection.scheduleChanged",
                                   end ? "ends " + formatTime(*end) + " (" + actor + ")"
                                       : "runs until terminated (" + actor + ")",
                                   {{hold_id, id, encodeHold(window, old_hold.claims)}}, {}, also);
  if (!saved.isOk()) {
    (void)ctx_.deps.ledger->modify(hold_id, old_hold.claims,
                                   old_hold.window);  // not durable: as it was
    return fail(saved);
  }
  return c;
}

Result<Connection> Lifecycle::setTags(const std::string& id,
                                      std::map<std::string, std::string> tags,
                                      std::optional<std::uint64_t> expected_version,
                                      const std::string& actor, const AlsoInTransaction& also) {
  auto guard = ctx_.locks.lock(id);
  auto loaded = ctx_.records.getAt(id, expected_version);
  if (!loaded) return loaded;
  if (stateInfo(loaded->state()).terminal || loaded->state() == ConnectionState::Modifying) {
    return fail(
        failedPrecondition(fmt::format("connection {} is {}", id, toString(loaded->state()))));
  }
  ConnectionSpec spec = loaded->requested();
  spec.tags = std::move(tags);
  LP_RETURN_IF_ERROR(validateSpec(spec));
  const std::uint64_t before = loaded->version();
  Connection c = Connection::restore(id, loaded->tenant(), std::move(spec), loaded->state(),
                                     loaded->adminState(), loaded->operState(), loaded->history(),
                                     loaded->current(), before + 1);
  LP_RETURN_IF_ERROR(ctx_.records.save(c, before, "connection.tagsChanged",
                                       "tags changed by " + actor, {}, {}, also));
  return c;
}

}  // namespace lightpath
