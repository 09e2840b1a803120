// Bulk transfers as ordered: what was asked, and the legs (Ethernet circuits with bandwidth
// steps on pinned routes) ordered for it, kept as one document (kind "transfer") written in the
// same store transaction as the legs, so a transfer is held whole or not at all.
//
//   auto t = provisioner->orderTransfer("acme", request, "key:1");   // legs in provisioning
//   auto again = provisioner->transfer(t->id);
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/orchestrator/transfer_planner.h"
#include "lightpath/service/connection.h"
#include "lightpath/store/store.h"

namespace lightpath {

inline constexpr std::string_view kTransferKind = "transfer";

struct TransferLegRecord {
  std::string connection;  // the leg's connection id
  TransferLeg leg;
};

// What a leg has delivered by the devices' counters (transfer_counters.h): the bytes counted
// so far and the counter's value when last read (0 once its service is gone: a new one counts
// from zero).
struct LegCount {
  double bytes = 0;
  std::uint64_t last = 0;
};

struct TransferRecord {
  std::string id, tenant, actor;
  TransferRequest request;
  TimePoint created;
  TimePoint finish;  // when the plan delivers the last byte
  std::vector<TransferLegRecord> legs;
  double price = 0;      // the legs' prices over their hours, setup included
  std::string currency;  // the price book's
  std::optional<TimePoint> cancelled;
  std::map<std::string, LegCount> counted;  // by leg connection
  std::optional<TimePoint> counted_at;      // when the counters were last read
};

nlohmann::json transferToJson(const TransferRecord& transfer);
// A stored transfer; an error naming it when the document cannot be read.
Result<TransferRecord> transferFromJson(const nlohmann::json& json);

// More writes to commit with a transfer's order (the API's idempotency record and audit entry).
using AlsoWithTransfer = std::function<Status(StoreTransaction&, const TransferRecord&)>;

// What the legs carry over time (Mb): all of them between the legs' start and `until`.
double plannedMegabits(const TransferRecord& transfer, TimePoint until);

// A leg as it stands: its connection's state, outages and when it ended (went to be taken down).
struct LegStatus {
  ConnectionState state = ConnectionState::Provisioning;
  std::vector<Outage> outages;
  std::optional<TimePoint> ended;
};
LegStatus legStatusOf(const Connection& leg);
// Bytes: delivered by `now` (the legs' steps up to now, the cancellation or their end, less what
// they did not carry while down; a failed leg never came up and carried nothing), and expected at
// the plan's end if every leg not failed or ended runs as planned from now on.
struct TransferProgress {
  double delivered = 0, expected = 0;
  // By the devices' counters, as of their last reading (none: not read yet, or no device
  // counts).
  std::optional<double> counted;
};
TransferProgress progressOf(const TransferRecord& transfer, const std::vector<LegStatus>& legs,
                            TimePoint now);

// scheduled (no leg has run yet), running, completed, failed or cancelled, from the legs'
// states (in legs' order): failed when a leg failed or every leg ended before the plan's finish
// (one was ended early).
std::string transferState(const TransferRecord& transfer, const std::vector<ConnectionState>& legs,
                          TimePoint now);

// The event "transfer.created" or "transfer.stateChanged": data {id, state, reason}.
EventRecord transferEvent(const TransferRecord& transfer, std::string type, std::string_view state,
                          std::string_view reason, TimePoint at);

// With a leg of a transfer (tag "transfer") just written in `tx` after being in state `before`:
// records transfer.stateChanged when that moved the transfer's state (running, completed, failed).
Status recordTransferLegChange(StoreTransaction& tx, const Connection& leg, ConnectionState before,
                               TimePoint now);

}  // namespace lightpath
