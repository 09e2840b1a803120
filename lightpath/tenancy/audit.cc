// Audit entries and orders as documents.
#include "lightpath/tenancy/audit.h"

#include <nlohmann/json.hpp>

#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

DocumentRecord auditDocument(const std::string& id, const AuditFacts& f) {
  const json body{{"id", id},
                  {"at", formatTime(f.at)},
                  {"actor", f.who.key_id},
                  {"role", f.who.key_id == "unauthenticated" ? "none" : toString(f.who.role)},
                  {"tenant", f.who.tenant},
                  {"method", f.method},
                  {"path", f.path},
                  {"status", f.status},
                  {"subject", f.subject},
                  {"remote", f.remote},
                  {"request_id", f.request_id}};
  return {"audit", id, f.who.tenant, dump(body)};
}

DocumentRecord orderDocument(const std::string& audit_id, const AuditFacts& f,
                             std::string_view type, const std::string& tenant) {
  const std::string id = "ord_" + audit_id.substr(audit_id.find('_') + 1);
  const json body{{"id", id},
                  {"at", formatTime(f.at)},
                  {"actor", f.who.key_id},
                  {"tenant", f.who.tenant},
                  {"method", f.method},
                  {"path", f.path},
                  {"status", f.status},
                  {"subject", f.subject},
                  {"request_id", f.request_id},
                  {"type", type},
                  {"connection", f.subject}};
  return {"order", id, tenant, dump(body)};
}

}  // namespace lightpath
