// A connection as the API shows it, apart from how the store keeps it: the ledger's hold ids
// stay inside. Lists and reads are hot, so the stored document is not parsed again: the one
// member to drop is cut out of its text.
#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

// connectionToJson() writes `"holds":[1,2]` once, inside "current", with whole numbers only. The
// same bytes cannot stand inside a JSON string (a quote there is written \"), and no other
// member is named "holds" with an array value, so the first match is that member.
std::string withoutLedgerInternals(std::string stored) {
  const std::string_view member = "\"holds\":[";
  const std::size_t at = stored.find(member);
  if (at == std::string::npos) return stored;
  const std::size_t close = stored.find(']', at + member.size());
  if (close == std::string::npos) return stored;
  std::size_t from = at, to = close + 1;
  if (to < stored.size() && stored[to] == ',') {
    ++to;  // "holds" and the comma after it
  } else if (from > 0 && stored[from - 1] == ',') {
    --from;  // the last member: the comma before it
  }
  stored.erase(from, to - from);
  return stored;
}

std::string connectionView(const Connection& c) {
  return withoutLedgerInternals(connectionToJson(c));
}

}  // namespace lightpath
