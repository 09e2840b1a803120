// A connection as the API shows it, apart from how the store keeps it: the ledger's hold ids
// stay inside, and the first history entry (the order) has no "from".
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

json viewOf(json stored) {
  if (stored.contains("current")) stored["current"].erase("holds");
  if (auto it = stored.find("history"); it != stored.end() && it->is_array() && !it->empty()) {
    json& ordered = (*it)[0];
    if (ordered.value("from", "") == ordered.value("to", ""))
      ordered.erase("from");  // draft -> draft: the order
  }
  return stored;
}

}  // namespace

json connectionView(const Connection& c) { return viewOf(json::parse(connectionToJson(c))); }

Result<std::string> connectionViewOf(const std::string& stored_body) {
  json stored = json::parse(stored_body, nullptr, false);
  if (stored.is_discarded() || !stored.is_object()) {
    return fail(internalError("a stored connection is not readable"));
  }
  return dumpJson(viewOf(std::move(stored)));
}

}  // namespace lightpath
