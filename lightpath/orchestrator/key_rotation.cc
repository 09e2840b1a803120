// Key rotation of encrypted connections, make-before-break across both ends.
#include <fmt/format.h>

#include <algorithm>

#include "lightpath/orchestrator/encryption_keys.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/lifecycle.h"

namespace lightpath {
namespace {

// The connection with its keys as a stage of a rotation has them on the devices.
Connection withKeys(const Connection& c, std::vector<EncryptionKey> installed, std::string active) {
  Realization r = c.current();
  r.keys->installed = std::move(installed);
  r.keys->active = std::move(active);
  return Connection::restore(c.id(), c.tenant(), c.requested(), c.state(), c.adminState(),
                             c.operState(), c.history(), std::move(r), c.version(), c.outages());
}

}  // namespace

Result<Connection> Lifecycle::beginRotateKey(const std::string& id, const std::string& actor,
                                             const AlsoInTransaction& also) {
  auto guard = ctx_.locks.lock(id);
  LP_ASSIGN_OR_RETURN(Connection c, ctx_.records.get(id));
  if (!c.current().keys) {
    return fail(failedPrecondition(fmt::format("connection {} is not encrypted", id)));
  }
  if (c.state() != ConnectionState::Active) {
    return fail(failedPrecondition(fmt::format(
        "connection {} is {}; keys are rotated on an active connection", id, toString(c.state()))));
  }
  if (c.current().keys->rotating()) return c;  // under way already
  if (!ctx_.deps.sealer)
    return fail(failedPrecondition("encryption: no master key to seal connection keys with"));
  Realization r = c.current();
  const std::string old_id = r.keys->active;
  r.keys->installed.push_back(makeEncryptionKey(*ctx_.deps.sealer, id, ctx_.now()));
  const std::string next_id = r.keys->installed.back().id;
  const std::uint64_t before = c.version();
  c.setCurrent(std::move(r));
  LP_RETURN_IF_ERROR(ctx_.records.save(c, before, "connection.keyRotationStarted",
                                       fmt::format("key {} to {} ({})", old_id, next_id, actor), {},
                                       {}, also));
  return c;
}

Status Lifecycle::finishRotateKey(const std::string& id) {
  auto guard = ctx_.locks.lock(id);
  LP_ASSIGN_OR_RETURN(Connection c, ctx_.records.get(id));
  if (!c.current().keys || !c.current().keys->rotating() || stateInfo(c.state()).terminal)
    return Status::ok();  // nothing left to do
  const EncryptionKeys& keys = *c.current().keys;
  const auto old_key = std::find_if(keys.installed.begin(), keys.installed.end(),
                                    [&](const EncryptionKey& k) { return k.id == keys.active; });
  const auto next_key = std::find_if(keys.installed.begin(), keys.installed.end(),
                                     [&](const EncryptionKey& k) { return k.id != keys.active; });
  if (old_key == keys.installed.end() || next_key == keys.installed.end()) {
    return internalError(fmt::format("connection {}: its keys are not a rotation", id));
  }
  // Copies: the connection's keys change below.
  EncryptionKey old = *old_key;
  EncryptionKey next = *next_key;
  const Connection as_was = withKeys(c, {old}, old.id);
  Status devices = Status::ok();
  if (c.state() == ConnectionState::Active) {
    // Both ends take the next key beside the one in use, then use it, then drop the old one;
    // each step on both ends or neither, so the ends never disagree on the key in use.
    devices = ctx_.configure(withKeys(c, {old, next}, old.id), IntentAction::Apply,
                             "/key-add-" + next.id);
    if (devices.isOk()) {
      devices = ctx_.configure(withKeys(c, {old, next}, next.id), IntentAction::Apply,
                               "/key-use-" + next.id);
    }
    if (devices.isOk()) {
      devices =
          ctx_.configure(withKeys(c, {next}, next.id), IntentAction::Apply, "/key-drop-" + old.id);
    }
    if (!devices.isOk()) {
      // The old key alone again, on the devices and in the store; the schedule tries later.
      (void)ctx_.configure(as_was, IntentAction::Apply, "/key-back-" + next.id);
    }
  }
  const std::uint64_t before = c.version();
  Realization r = c.current();
  const TimePoint now = ctx_.now();
  if (devices.isOk() && c.state() == ConnectionState::Active) {
    r.keys = EncryptionKeys{.installed = {next},
                            .active = next.id,
                            .rotated_at = now,
                            .next_rotation = now + ctx_.deps.key_rotation};
  } else {
    // Tried again in an hour (or at the next rotation, if sooner), not at every tick.
    r.keys->installed = {old};
    r.keys->next_rotation =
        now + std::min<std::chrono::seconds>(ctx_.deps.key_rotation, std::chrono::hours(1));
  }
  const bool rotated = r.keys->active == next.id;
  c.setCurrent(std::move(r));
  LP_RETURN_IF_ERROR(ctx_.records.save(
      c, before, rotated ? "connection.keyRotated" : "connection.keyRotationFailed",
      rotated ? fmt::format("key {} in use at both ends; {} removed", next.id, old.id)
              : fmt::format("key {} kept: {}", old.id,
                            devices.isOk() ? std::string("the connection is not active")
                                           : "devices: " + devices.message()),
      {}, {}));
  return devices;
}

}  // namespace lightpath
