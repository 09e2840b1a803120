// Recovery: the ledger from the store, then unfinished workflows.
#include "lightpath/orchestrator/recovery.h"

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/hold_records.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/lifecycle.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

Status recoverConnections(OrchestratorContext& ctx, Lifecycle& lifecycle, bool resume_workflows) {
  std::vector<Hold> stored;
  std::vector<ConnectionRecord> unfinished;
  std::uint64_t hold_cursor = 0;
  LP_RETURN_IF_ERROR(ctx.records.store().read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(stored, readHolds(tx));
    LP_ASSIGN_OR_RETURN(hold_cursor, tx.holdCursor());
    for (const char* state :
         {"provisioning", "modifying", "deprovisioning"}) {  // the states with work left
      LP_RETURN_IF_ERROR(ConnectionRecords::scan(tx, state, [&](const ConnectionRecord& r) {
        unfinished.push_back(r);
        return Status::ok();
      }));
    }
    return Status::ok();
  }));
  // The past is not rebuilt: each hold's start would keep a step of its own in every quantity
  // it uses (half a kilobyte a connection). A second's margin: a clock stepped back a little.
  ctx.deps.ledger->forgetBefore(ctx.now() - kLedgerPastKept);
  LP_RETURN_IF_ERROR(
      ctx.deps.ledger->restoreAll(std::move(stored)).withContext("recovering the ledger"));
  // Instances sharing the store: from here on, what the others hold reaches this ledger before
  // each write of ours.
  Ledger* ledger = ctx.deps.ledger;
  ctx.records.store().followHolds(
      hold_cursor, {.apply =
                        [ledger](const std::vector<HoldChange>& changes) {
                          return applyHoldChanges(*ledger, changes);
                        },
                    .blocks =
                        [ledger](const HoldRecord& hold, const std::vector<HoldChange>& pending) {
                          return sharesCapacity(*ledger, hold, pending);
                        }});
  if (!resume_workflows || ctx.records.store().instance() > 0) return Status::ok();
  for (const ConnectionRecord& record : unfinished) {
    Status s = resumeWork(ctx, lifecycle, record);
    if (!s.isOk()) log().warn("recovery: {} ({}): {}", record.id, record.state, s.toString());
  }
  return Status::ok();
}

Status resumeWork(OrchestratorContext& ctx, Lifecycle& lifecycle, const ConnectionRecord& record) {
  if (record.state == "provisioning") {
    auto c = connectionFromJson(record.body);
    if (!c) return c.error();
    if (c->requested().start && *c->requested().start > ctx.now())
      return Status::ok();  // the schedule starts it
    return lifecycle.activate(record.id);
  }
  if (record.state == "modifying") {
    auto c = connectionFromJson(record.body);
    return c ? lifecycle.keepAsItWas(std::move(*c)) : c.error();
  }
  if (record.state == "deprovisioning") return lifecycle.terminate(record.id, "orchestrator");
  return Status::ok();
}

}  // namespace lightpath
