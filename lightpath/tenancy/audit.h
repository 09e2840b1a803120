// The audit log and the orders: every change made through the API leaves an audit entry (who,
// what, when, from where, with what result), and a change of a connection also an order (what
// a tenant sees of the audit log). Both are documents written in the change's own transaction.
//
//   tx.putDocument(auditDocument("aud_1", {.actor = who.key_id, ...}));
#pragma once

#include <string>
#include <string_view>

#include "lightpath/base/clock.h"
#include "lightpath/store/store.h"
#include "lightpath/tenancy/roles.h"

namespace lightpath {

struct AuditFacts {
  Principal who;
  std::string method, path, remote, request_id;
  int status = 0;
  std::string subject;  // what the change touched ("conn_...", a tenant, a key)
  TimePoint at;
};

// Kind "audit", under `id` ("aud_..."), belonging to the caller's tenant.
DocumentRecord auditDocument(const std::string& id, const AuditFacts& facts);
// Kind "order" ("ord_" + the audit id's suffix) for a `type` ("create", "modify", "terminate")
// of connection `facts.subject`, belonging to `tenant` (the connection's).
DocumentRecord orderDocument(const std::string& audit_id, const AuditFacts& facts,
                             std::string_view type, const std::string& tenant);

}  // namespace lightpath
