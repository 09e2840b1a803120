// The lifecycle jobs of a connection, each a move of its state machine with everything that goes
// with it: order (plan, reserve, persist), activate (devices all or nothing, retried when
// unavailable; failure gives everything back), bandwidth changes in two halves (hold first,
// devices after), the end of its window, tags, acceptance by a cloud provider, and termination
// in two halves (durable intent first, devices after).
//
// The Provisioner façade documents each call's contract; this unit holds their logic. Every
// move that touches one connection takes that connection's lock; orders take the order lock
// while they plan and reserve, so two never plan on the same free capacity.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "lightpath/cloud/provider.h"
#include "lightpath/ledger/ledger.h"
#include "lightpath/orchestrator/connection_records.h"
#include "lightpath/orchestrator/provisioner.h"
#include "lightpath/orchestrator/transfers.h"
#include "lightpath/pce/workspace.h"

namespace lightpath {

class OrchestratorContext;

class Lifecycle {
 public:
  explicit Lifecycle(OrchestratorContext& ctx);

  Result<Connection> order(const std::string& tenant, ConnectionSpec spec, const std::string& actor,
                           const AlsoInTransaction& also);
  // A bulk transfer (transfers.cc): planned on the calendar, its legs held and stored with the
  // transfer's document in one transaction; the legs start on the schedule.
  Result<TransferRecord> orderTransfer(const std::string& tenant, const TransferRequest& request,
                                       const std::string& actor, const AlsoWithTransfer& also);
  // When the transfer's legs will no longer carry every byte by its deadline (a leg down, or
  // back after an outage): the bytes short planned on new legs (event transfer.replanned; legs
  // down are ended), or, when the network cannot carry them, transfer.atRisk. What it did
  // (empty: nothing was short).
  Result<std::string> replanTransfer(const std::string& id, const std::string& actor);
  Status activate(const std::string& id);
  // Connections straight to active, as a batch (Provisioner::load).
  Result<LoadReport> load(const std::string& tenant, const std::vector<ConnectionSpec>& specs,
                          const std::string& actor);
  Result<Connection> beginModify(const std::string& id, std::uint64_t mbps,
                                 std::optional<std::uint64_t> expected_version,
                                 const std::string& actor, const AlsoInTransaction& also);
  Status finishModify(const std::string& id, std::uint64_t mbps);
  Status acceptCounterparty(const std::string& id);
  Result<Connection> beginTerminate(const std::string& id, const std::string& actor,
                                    const AlsoInTransaction& also);
  Status terminate(const std::string& id, const std::string& actor,
                   const std::string& reason = "terminate");
  Result<Connection> setEnd(const std::string& id, std::optional<TimePoint> end,
                            std::optional<std::uint64_t> expected_version, const std::string& actor,
                            const AlsoInTransaction& also);
  Result<Connection> setTags(const std::string& id, std::map<std::string, std::string> tags,
                             std::optional<std::uint64_t> expected_version,
                             const std::string& actor, const AlsoInTransaction& also);
  // A change cut short by a restart: the devices get the stored (old) configuration again and
  // the connection is active as it was.
  Status keepAsItWas(Connection c);
  // Key rotation in two halves (key_rotation.cc): the next key made and stored beside the one in
  // use (durable, so a restart finishes it), then on the devices make-before-break: installed at
  // both ends, used, the old one removed. A failure puts the old key back alone.
  Result<Connection> beginRotateKey(const std::string& id, const std::string& actor,
                                    const AlsoInTransaction& also);
  Status finishRotateKey(const std::string& id);
  // The cloud hand-shake (cloud_handshake.cc). What one read of the provider calls for: a moved
  // state (stored), or the connection's end with the reason (the caller terminates it).
  struct ProviderMove {
    bool moved = false;
    bool terminate = false;
    std::string reason, actor;
  };
  ProviderMove pollProvider(const std::string& id);

 private:
  // A transfer's legs planned and held (transfers.cc), not yet stored.
  struct PlacedLegs {
    std::vector<Connection> connections;
    std::vector<std::vector<HoldRecord>> holds;
  };
  // Plans `request` for `transfer` on what is free now and around what is down; holds the legs
  // and adds them to `transfer` (its legs, price and finish), or holds nothing.
  Result<PlacedLegs> placeTransferLegs(TransferRecord& transfer, const TransferRequest& request,
                                       const std::string& actor, TimePoint now);
  // The transfer's document, its new legs and `event` in one transaction; on failure the legs'
  // holds are given back. With `legs_before` (a re-plan): Aborted unless the stored transfer
  // still has that many legs and is not cancelled.
  Status storeTransfer(const TransferRecord& transfer, const PlacedLegs& placed,
                       const EventRecord& event, const AlsoWithTransfer& also,
                       std::optional<std::size_t> legs_before = std::nullopt);
  Result<Connection> beginTerminateLocked(const std::string& id, const std::string& actor,
                                          const AlsoInTransaction& also,
                                          const std::string& reason = "terminate");
  // The provider configured for a cloud connection (none: accepted by hand), the hand-shake its
  // order makes, asking for it (the connection's provider side set; an Unavailable provider is
  // asked again by the schedule) and removing it.
  CloudProvider* cloudProvider(const Connection& c) const;
  Result<CloudHandshake> handshakeOf(const Connection& c) const;
  Status askProvider(Connection& c);
  Status removeAtProvider(const Connection& c);
  // The one hold of a connection whose capacity does not step (Internal when the ledger and the
  // record disagree).
  Result<Hold> singleHold(const Connection& c) const;
  // Routes `spec` over `window` and holds its capacity for `id`, under the planning mutex, so
  // two orders never plan on the same free capacity; nothing is held on failure.
  struct Placed {
    Realization realization;
    std::vector<HoldRecord> holds;
  };
  Result<Placed> routeAndHold(const std::string& id, const ConnectionSpec& spec,
                              const Window& window, const Realization* diverse_from);
  // Gives every hold back and moves to `to` (failed, terminated), durably.
  Status releaseEverything(Connection& c, ConnectionState to, const std::string& actor,
                           const std::string& reason);

  OrchestratorContext& ctx_;
  PathWorkspace order_workspace_;  // under the context's planning mutex
};

}  // namespace lightpath
