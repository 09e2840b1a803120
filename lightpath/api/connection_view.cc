// A connection as the API shows it, apart from how the store keeps it: the ledger's hold ids
// and the sealed keys stay inside. Lists and reads are hot, so the stored document of an
// unencrypted connection is not parsed again: the one member to drop is cut out of its text.
#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

namespace {

// connectionToJson() writes `"holds":[1,2]` once, inside "current", with whole numbers only. The
// same bytes cannot stand inside a JSON string (a quote there is written \", and no other
// member is named "holds" with an array value, so the first match is that member.
void cutHolds(std::string& stored) {
  const std::string_view member = "\"holds\":[";
  const std::size_t at = stored.find(member);
  if (at == std::string::npos) return;
  const std::size_t close = stored.find(']', at + member.size());
  if (close == std::string::npos) return;
  std::size_t from = at, to = close + 1;
  if (to < stored.size() && stored[to] == ',') {
    ++to;  // "holds" and the comma after it
  } else if (from > 0 && stored[from - 1] == ',') {
    --from;  // the last member: the comma before it
  }
  stored.erase(from, to - from);
}

// An encrypted connection's sealed keys stay inside too: the API shows which key is in use and
// when it turns, as "encryption" (only these documents are parsed again).
void showKeysAsEncryption(std::string& stored) {
  if (stored.find("\"keys\":{") == std::string::npos) return;
  json doc = json::parse(stored, nullptr, false);
  if (doc.is_discarded() || !doc.contains("current") || !doc["current"].contains("keys")) return;
  json& current = doc["current"];
  const json keys = std::move(current["keys"]);
  current.erase("keys");
  current["encryption"] = {
      {"mode", doc["requested"].value("encryption", "none")},
      {"key_id", keys.value("active", "")},
      {"rotated_at", keys.value("rotated_at", "")},
      {"next_rotation", keys.value("next_rotation", "")},
      {"rotating", keys.contains("installed") && keys["installed"].size() > 1}};
  stored = dumpJson(doc);
}

}  // namespace

std::string storedConnectionView(std::string stored) {
  cutHolds(stored);
  showKeysAsEncryption(stored);
  return stored;
}

std::string connectionView(const Connection& c) {
  return storedConnectionView(connectionToJson(c));
}

}  // namespace lightpath
