// Recovery at start: the ledger rebuilt from the holds the store keeps (under their stored ids,
// so connections and hold records stay as they are), then the work a previous process left
// unfinished: provisioning ones activated (unless scheduled to start later: the schedule starts
// them), a bandwidth change cut short put back as it was, deprovisioning ones terminated. One
// connection's trouble is logged and left for a retry; it must not keep the others, or the
// service, from starting.
#pragma once

#include "lightpath/base/status.h"

namespace lightpath {

class OrchestratorContext;
class Lifecycle;

// An error only when the store cannot be read or a stored hold does not fit the ledger.
// With `resume_workflows` false (read-only checks), only the ledger is rebuilt.
Status recoverConnections(OrchestratorContext& ctx, Lifecycle& lifecycle, bool resume_workflows);

}  // namespace lightpath
