// Recovery at start: the ledger rebuilt from the holds the store keeps (under their stored ids,
// so connections and hold records stay as they are), then the work a previous process left
// unfinished: provisioning ones activated (unless scheduled to start later: the schedule starts
// them), a bandwidth change cut short put back as it was, deprovisioning ones terminated. One
// connection's trouble is logged and left for a retry; it must not keep the others, or the
// service, from starting.
//
// Instances sharing a store resume nothing at start: another live instance may be running that
// work. Each claims, every tick, the work of instances whose lease ran out, and resumes it
// (resumeWork), one connection at a time.
#pragma once

#include <chrono>

#include "lightpath/base/status.h"
#include "lightpath/store/store.h"

namespace lightpath {

class OrchestratorContext;
class Lifecycle;

// How much of the past the ledger keeps for quantities (Ledger::forgetBefore): at a start and
// at each schedule run it lets go of what came before now less this.
inline constexpr std::chrono::seconds kLedgerPastKept{1};

// An error only when the store cannot be read or a stored hold does not fit the ledger.
// With `resume_workflows` false (read-only checks), only the ledger is rebuilt.
Status recoverConnections(OrchestratorContext& ctx, Lifecycle& lifecycle, bool resume_workflows);

// Finishes or undoes the work one stored connection was left in (provisioning, modifying,
// deprovisioning); ok for a connection with none.
Status resumeWork(OrchestratorContext& ctx, Lifecycle& lifecycle, const ConnectionRecord& record);

}  // namespace lightpath
