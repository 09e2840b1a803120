// Connections in the store, with their holds and events.
#include "lightpath/orchestrator/connection_records.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "lightpath/orchestrator/transfers.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

using nlohmann::json;

Status ConnectionRecords::save(const Connection& c, std::optional<std::uint64_t> expected_version,
                               const std::string& event_type, const std::string& reason,
                               const std::vector<HoldRecord>& put_holds,
                               const std::vector<std::uint64_t>& delete_holds,
                               const AlsoInTransaction& also) const {
  const Change change{&c, expected_version, event_type, reason, put_holds, delete_holds};
  LP_RETURN_IF_ERROR(store_.transact([&](StoreTransaction& tx) -> Status {
    LP_RETURN_IF_ERROR(write(tx, change));
    return also ? also(tx, c) : Status::ok();
  }));
  if (written_) written_(c);
  return Status::ok();
}

Status ConnectionRecords::saveAll(const std::vector<Change>& changes,
                                  const std::function<Status(StoreTransaction&)>& also) const {
  LP_RETURN_IF_ERROR(store_.transact([&](StoreTransaction& tx) -> Status {
    for (const Change& change : changes) LP_RETURN_IF_ERROR(write(tx, change));
    return also ? also(tx) : Status::ok();
  }));
  if (written_) {
    for (const Change& change : changes) written_(*change.connection);
  }
  return Status::ok();
}

Status ConnectionRecords::write(StoreTransaction& tx, const Change& change) const {
  const Connection& c = *change.connection;
  const ConnectionRecord record{c.id(), c.tenant(), std::string(toString(c.state())), c.version(),
                                connectionToJson(c)};
  const EventRecord event{
      0,
      change.event_type,
      c.id(),
      c.tenant(),
      clock_.now().time_since_epoch().count(),
      json{{"id", c.id()}, {"state", toString(c.state())}, {"reason", change.reason}}.dump(
          -1, ' ', false, json::error_handler_t::replace)};
  // A transfer's leg: its transfer's state may move with it (transfers.h).
  std::optional<ConnectionState> before;
  if (c.requested().tags.contains("transfer")) {
    LP_ASSIGN_OR_RETURN(auto prior, tx.connection(c.id()));
    if (prior) before = parseConnectionState(prior->state).value_or(c.state());
  }
  LP_RETURN_IF_ERROR(tx.putConnection(record, change.expected_version));
  for (const HoldRecord& h : change.put_holds) LP_RETURN_IF_ERROR(tx.putHold(h));
  for (std::uint64_t h : change.delete_holds) {
    Status s = tx.deleteHold(h);
    if (!s.isOk() && s.code() != StatusCode::NotFound) return s;
  }
  LP_RETURN_IF_ERROR(tx.recordEvent(event));
  return before ? recordTransferLegChange(tx, c, *before, clock_.now()) : Status::ok();
}

Result<Connection> ConnectionRecords::get(const std::string& id) const {
  std::optional<ConnectionRecord> record;
  LP_RETURN_IF_ERROR(store_.read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(auto r, tx.connection(id));
    record = std::move(r);
    return Status::ok();
  }));
  if (!record) return fail(notFound(fmt::format("no connection {}", id)));
  return connectionFromJson(record->body);
}

Result<Connection> ConnectionRecords::getAt(const std::string& id,
                                            std::optional<std::uint64_t> expected_version) const {
  auto loaded = get(id);
  if (loaded && expected_version && loaded->version() != *expected_version) {
    return fail({StatusCode::Aborted, fmt::format("connection {} is at version {}, not {}", id,
                                                  loaded->version(), *expected_version)});
  }
  return loaded;
}

namespace {
constexpr std::size_t kScanPage = 1000;

Result<std::vector<ConnectionRecord>> scanPage(StoreTransaction& tx,
                                               const std::optional<std::string>& state,
                                               const std::optional<std::string>& after) {
  return tx.connections({.state = state, .after_id = after, .limit = kScanPage}, nullptr);
}
}  // namespace

Status ConnectionRecords::scan(StoreTransaction& tx, const std::optional<std::string>& state,
                               const std::function<Status(const ConnectionRecord&)>& visit) {
  std::optional<std::string> after;
  for (;;) {
    LP_ASSIGN_OR_RETURN(auto page, scanPage(tx, state, after));
    for (const ConnectionRecord& r : page) LP_RETURN_IF_ERROR(visit(r));
    if (page.size() < kScanPage) return Status::ok();
    after = page.back().id;
  }
}

Status ConnectionRecords::scanByPages(
    const std::optional<std::string>& state,
    const std::function<Status(const ConnectionRecord&)>& visit) const {
  std::optional<std::string> after;
  for (;;) {
    std::vector<ConnectionRecord> page;
    LP_RETURN_IF_ERROR(store_.read([&](StoreTransaction& tx) -> Status {
      LP_ASSIGN_OR_RETURN(page, scanPage(tx, state, after));
      return Status::ok();
    }));
    for (const ConnectionRecord& r : page) LP_RETURN_IF_ERROR(visit(r));
    if (page.size() < kScanPage) return Status::ok();
    after = page.back().id;
  }
}

}  // namespace lightpath
