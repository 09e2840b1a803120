// Bulk transfers as ordered (see transfers.h): the stored document and the order of the legs.
#include "lightpath/orchestrator/transfers.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/connection_records.h"
#include "lightpath/orchestrator/hold_records.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/lifecycle.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

using json = nlohmann::json;

json transferToJson(const TransferRecord& t) {
  json legs = json::array();
  for (const TransferLegRecord& l : t.legs) {
    legs.push_back({{"connection", l.connection},
                    {"nodes", l.leg.nodes},
                    {"fibers", l.leg.fibers},
                    {"start", formatTime(l.leg.start)},
                    {"end", formatTime(l.leg.end)},
                    {"steps", stepsToJson(l.leg.steps)}});
  }
  json j{{"id", t.id},
         {"tenant", t.tenant},
         {"actor", t.actor},
         {"a_end", t.request.a_end},
         {"z_end", t.request.z_end},
         {"bytes", t.request.bytes},
         {"deadline", formatTime(t.request.deadline)},
         {"created", formatTime(t.created)},
         {"finish", formatTime(t.finish)},
         {"price", t.price},
         {"currency", t.currency},
         {"legs", std::move(legs)}};
  if (t.request.earliest) j["earliest"] = formatTime(*t.request.earliest);
  if (t.cancelled) j["cancelled"] = formatTime(*t.cancelled);
  if (t.counted_at) {
    j["counted_at"] = formatTime(*t.counted_at);
    json counted = json::object();
    for (const auto& [leg, c] : t.counted) counted[leg] = {{"bytes", c.bytes}, {"last", c.last}};
    j["counted"] = std::move(counted);
  }
  return j;
}

Result<TransferRecord> transferFromJson(const json& j) {
  auto readTime = [](const json& v) -> TimePoint {
    auto t = parseTime(v.get<std::string>());
    if (!t) throw std::invalid_argument(t.error().message());
    return *t;
  };
  TransferRecord t;
  try {
    t.id = j.at("id").get<std::string>();
    t.tenant = j.at("tenant").get<std::string>();
    t.actor = j.value("actor", "");
    t.request.a_end = j.at("a_end").get<std::string>();
    t.request.z_end = j.at("z_end").get<std::string>();
    t.request.bytes = j.at("bytes").get<double>();
    t.request.deadline = readTime(j.at("deadline"));
    if (j.contains("earliest")) t.request.earliest = readTime(j.at("earliest"));
    t.created = readTime(j.at("created"));
    t.finish = readTime(j.at("finish"));
    t.price = j.value("price", 0.0);
    t.currency = j.value("currency", "");
    if (j.contains("cancelled")) t.cancelled = readTime(j.at("cancelled"));
    if (j.contains("counted_at")) t.counted_at = readTime(j.at("counted_at"));
    const json counted = j.value("counted", json::object());  // kept: items() refers to it
    for (const auto& [leg, c] : counted.items())
      t.counted[leg] = {c.at("bytes").get<double>(), c.at("last").get<std::uint64_t>()};
    for (const json& l : j.at("legs")) {
      TransferLegRecord leg;
      leg.connection = l.at("connection").get<std::string>();
      leg.leg.nodes = l.at("nodes").get<std::vector<std::string>>();
      leg.leg.fibers = l.at("fibers").get<std::vector<std::string>>();
      leg.leg.start = readTime(l.at("start"));
      leg.leg.end = readTime(l.at("end"));
      for (const json& s : l.at("steps"))
        leg.leg.steps.push_back(
            {readTime(s.at("at")), s.at("bandwidth_mbps").get<std::uint64_t>()});
      t.legs.push_back(std::move(leg));
    }
  } catch (const std::exception& e) {
    const bool named = j.is_object() && j.contains("id") && j["id"].is_string();
    return fail(internalError(fmt::format("stored transfer {} cannot be read: {}",
                                          named ? j["id"].get<std::string>() : "?", e.what())));
  }
  return t;
}

namespace {

// What a leg's steps carry between `from` and `to` (Mb).
double megabitsBetween(const TransferLeg& leg, TimePoint from, TimePoint to) {
  double megabits = 0;
  for (std::size_t i = 0; i < leg.steps.size(); ++i) {
    const TimePoint a = std::max(from, leg.steps[i].at);
    const TimePoint b = std::min(to, i + 1 < leg.steps.size() ? leg.steps[i + 1].at : leg.end);
    if (b > a) {
      megabits +=
          static_cast<double>(leg.steps[i].mbps) * std::chrono::duration<double>(b - a).count();
    }
  }
  return megabits;
}

}  // namespace

double plannedMegabits(const TransferRecord& transfer, TimePoint until) {
  double megabits = 0;
  for (const TransferLegRecord& l : transfer.legs)
    megabits += megabitsBetween(l.leg, TimePoint::min(), until);
  return megabits;
}

LegStatus legStatusOf(const Connection& leg) {
  LegStatus status{leg.state(), leg.outages(), std::nullopt};
  for (const StateChange& change : leg.history()) {
    if (change.to == ConnectionState::Deprovisioning || stateInfo(change.to).terminal) {
      status.ended = change.at;
      break;
    }
  }
  return status;
}

TransferProgress progressOf(const TransferRecord& transfer, const std::vector<LegStatus>& legs,
                            TimePoint now) {
  const TimePoint until = std::min(now, transfer.cancelled.value_or(now));
  double delivered = 0, ahead = 0;  // Mb
  for (std::size_t i = 0; i < transfer.legs.size() && i < legs.size(); ++i) {
    if (legs[i].state == ConnectionState::Failed) continue;  // never came up
    const TransferLeg& leg = transfer.legs[i].leg;
    const TimePoint carried_until = std::min(until, legs[i].ended.value_or(until));
    delivered += megabitsBetween(leg, TimePoint::min(), carried_until);
    for (const Outage& o : legs[i].outages) {
      delivered -=
          megabitsBetween(leg, o.start, std::min(carried_until, o.end.value_or(carried_until)));
    }
    if (!transfer.cancelled && !legs[i].ended)
      ahead += megabitsBetween(leg, until, TimePoint::max());
  }
  delivered = std::max(0.0, delivered) * 1e6 / 8;
  TransferProgress progress{std::min(transfer.request.bytes, delivered),
                            delivered + ahead * 1e6 / 8, std::nullopt};
  if (transfer.counted_at && !transfer.counted.empty()) {
    double counted = 0;
    for (const auto& [leg, c] : transfer.counted) counted += c.bytes;
    progress.counted = counted;
  }
  return progress;
}

std::string transferState(const TransferRecord& t, const std::vector<ConnectionState>& legs,
                          TimePoint now) {
  if (t.cancelled) return "cancelled";
  bool started = false, all_ended = true;
  for (std::size_t i = 0; i < legs.size(); ++i) {
    if (legs[i] == ConnectionState::Failed) return "failed";
    // A leg waits for its start in provisioning. Once one has run, the transfer runs (between
    // two legs too); one ended before its start never ran.
    started |= legs[i] != ConnectionState::Provisioning && legs[i] != ConnectionState::Draft &&
               i < t.legs.size() && now >= t.legs[i].leg.start;
    all_ended &= stateInfo(legs[i]).terminal;
  }
  if (all_ended) return now >= t.finish ? "completed" : "failed";
  return started ? "running" : "scheduled";
}

EventRecord transferEvent(const TransferRecord& t, std::string type, std::string_view state,
                          std::string_view reason, TimePoint at) {
  return {0,
          std::move(type),
          t.id,
          t.tenant,
          at.time_since_epoch().count(),
          json{{"id", t.id}, {"state", state}, {"reason", reason}}.dump(
              -1, ' ', false, json::error_handler_t::replace)};
}

Status recordTransferLegChange(StoreTransaction& tx, const Connection& leg, ConnectionState before,
                               TimePoint now) {
  const auto tag = leg.requested().tags.find("transfer");
  if (tag == leg.requested().tags.end() || before == leg.state()) return Status::ok();
  LP_ASSIGN_OR_RETURN(auto doc, tx.document(std::string(kTransferKind), tag->second));
  if (!doc) return Status::ok();  // being ordered: the order records transfer.created
  LP_ASSIGN_OR_RETURN(TransferRecord t, transferFromJson(json::parse(doc->body, nullptr, false)));
  std::vector<ConnectionState> was, is;
  for (const TransferLegRecord& l : t.legs) {
    ConnectionState s = ConnectionState::Failed;  // a leg gone from the store
    if (l.connection == leg.id()) {
      was.push_back(before);
      is.push_back(leg.state());
      continue;
    }
    LP_ASSIGN_OR_RETURN(auto other, tx.connection(l.connection));
    if (other) {
      if (auto parsed = parseConnectionState(other->state)) s = *parsed;
    }
    was.push_back(s);
    is.push_back(s);
  }
  const std::string from = transferState(t, was, now), to = transferState(t, is, now);
  if (from == to) return Status::ok();
  const std::string reason = to == "completed"
                                 ? "every leg has run: the bytes are delivered"
                                 : fmt::format("leg {} is {}", leg.id(), toString(leg.state()));
  return tx.recordEvent(transferEvent(t, "transfer.stateChanged", to, reason, now));
}

Result<Lifecycle::PlacedLegs> Lifecycle::placeTransferLegs(TransferRecord& transfer,
                                                           const TransferRequest& request,
                                                           const std::string& actor,
                                                           TimePoint now) {
  TransferRecord next = transfer;
  PlacedLegs placed;
  auto giveBack = [&] {
    for (const auto& h : placed.holds) releaseHolds(*ctx_.deps.ledger, h);
  };
  // Planned and held under the planning lock: no other order plans on the same capacity.
  std::lock_guard lock(ctx_.planning_mutex);
  const TransferPlanner planner(ctx_.deps.topology, *ctx_.deps.engine, *ctx_.deps.ledger,
                                {.down = ctx_.health.down()});
  LP_ASSIGN_OR_RETURN(TransferProposal proposal, planner.plan(request, now));
  next.finish = std::max(next.finish, proposal.finish);
  for (TransferLeg& leg : proposal.legs) {
    ConnectionSpec spec{.kind = ConnectionKind::Ethernet,
                        .a_end = request.a_end,
                        .z_end = request.z_end,
                        .bandwidth_mbps = leg.steps.front().mbps,
                        .start = leg.start,
                        .end = leg.end,
                        .steps = {leg.steps.begin() + 1, leg.steps.end()},
                        .term = "hourly",
                        .route = leg.fibers,
                        .tags = {{"transfer", transfer.id}}};
    const Window window{leg.start, leg.end};
    if (Status valid = validateSpec(spec); !valid.isOk()) {
      giveBack();
      return fail(valid);
    }
    auto planned = ctx_.planner.plan(spec, window, order_workspace_);
    if (!planned) {
      giveBack();
      return fail(planned.error());
    }
    const std::string id = ctx_.newId("conn");
    auto held =
        reserveParts(*ctx_.deps.ledger, id, holdParts(spec, window, std::move(planned->claims)));
    if (!held) {
      giveBack();
      return fail(held.error());
    }
    placed.holds.push_back(std::move(*held));
    for (const HoldRecord& h : placed.holds.back()) planned->realization.holds.push_back(h.id);
    if (const auto& price = planned->realization.price) {
      next.price += price->setup + price->hourly *
                                       std::chrono::duration<double>(leg.end - leg.start).count() /
                                       3600;
      next.currency = price->currency;
    }
    Connection c = Connection::draft(id, transfer.tenant, std::move(spec), now, actor);
    c.setCurrent(std::move(planned->realization));
    Status moved = c.transition(ConnectionState::Provisioning, now, actor,
                                "leg of transfer " + transfer.id + ": route and capacity reserved");
    if (!moved.isOk()) {
      giveBack();
      return fail(moved);
    }
    next.legs.push_back({id, std::move(leg)});
    placed.connections.push_back(std::move(c));
  }
  transfer = std::move(next);
  return placed;
}

Status Lifecycle::storeTransfer(const TransferRecord& transfer, const PlacedLegs& placed,
                                const EventRecord& event, const AlsoWithTransfer& also,
                                std::optional<std::size_t> legs_before) {
  std::vector<ConnectionRecords::Change> changes;
  for (std::size_t i = 0; i < placed.connections.size(); ++i) {
    changes.push_back({.connection = &placed.connections[i],
                       .expected_version = 0,
                       .event_type = "connection.created",
                       .reason = "ordered",
                       .put_holds = placed.holds[i]});
  }
  Status saved = ctx_.records.saveAll(changes, [&](StoreTransaction& tx) -> Status {
    if (legs_before) {
      // Another re-plan (of this instance or another) may have added legs meanwhile.
      LP_ASSIGN_OR_RETURN(auto stored, tx.document(std::string(kTransferKind), transfer.id));
      auto was = stored ? transferFromJson(json::parse(stored->body, nullptr, false))
                        : Result<TransferRecord>(fail(notFound("gone")));
      if (!was || was->legs.size() != *legs_before || was->cancelled) {
        return Status(StatusCode::Aborted,
                      fmt::format("transfer {} changed while it was re-planned", transfer.id));
      }
    }
    LP_RETURN_IF_ERROR(tx.putDocument(
        {std::string(kTransferKind), transfer.id, transfer.tenant,
         transferToJson(transfer).dump(-1, ' ', false, json::error_handler_t::replace)}));
    LP_RETURN_IF_ERROR(tx.recordEvent(event));
    return also ? also(tx, transfer) : Status::ok();
  });
  if (!saved.isOk()) {
    for (const auto& h : placed.holds) releaseHolds(*ctx_.deps.ledger, h);  // hold nothing
  }
  return saved;
}

Result<TransferRecord> Lifecycle::orderTransfer(const std::string& tenant,
                                                const TransferRequest& request,
                                                const std::string& actor,
                                                const AlsoWithTransfer& also) {
  const TimePoint now = ctx_.now();
  TransferRecord transfer{.id = ctx_.newId("xfer"),
                          .tenant = tenant,
                          .actor = actor,
                          .request = request,
                          .created = now,
                          .finish = now};
  LP_ASSIGN_OR_RETURN(PlacedLegs placed, placeTransferLegs(transfer, request, actor, now));
  const EventRecord created =
      transferEvent(transfer, "transfer.created", "scheduled",
                    fmt::format("admitted: {} legs, the last byte by {}", transfer.legs.size(),
                                formatTime(transfer.finish)),
                    now);
  LP_RETURN_IF_ERROR(storeTransfer(transfer, placed, created, also));
  return transfer;
}

Result<std::string> Lifecycle::replanTransfer(const std::string& id, const std::string& actor) {
  const TimePoint now = ctx_.now();
  std::optional<DocumentRecord> doc;
  LP_RETURN_IF_ERROR(ctx_.deps.store->read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(doc, tx.document(std::string(kTransferKind), id));
    return Status::ok();
  }));
  if (!doc) return fail(notFound(fmt::format("no transfer '{}'", id.substr(0, 60))));
  LP_ASSIGN_OR_RETURN(TransferRecord t, transferFromJson(json::parse(doc->body, nullptr, false)));
  if (t.cancelled || now >= t.request.deadline) return std::string();
  // Legs down now carry nothing more: if the rest falls short, they are replaced.
  std::vector<LegStatus> legs;
  std::vector<ConnectionState> states;
  std::vector<std::string> down;
  for (const TransferLegRecord& l : t.legs) {
    auto c = ctx_.records.get(l.connection);
    LegStatus status = c ? legStatusOf(*c) : LegStatus{.state = ConnectionState::Failed};
    if (c && c->state() == ConnectionState::Active && c->operState() == OperState::Down &&
        !status.ended && now < l.leg.end) {
      down.push_back(l.connection);
      status.ended = now;
    }
    states.push_back(status.state);
    legs.push_back(std::move(status));
  }
  const std::string state = transferState(t, states, now);
  if (state != "scheduled" && state != "running") return std::string();
  const double short_bytes = t.request.bytes - progressOf(t, legs, now).expected;
  // A restored leg's blink (milliseconds at its rate) is not worth a leg of its own.
  if (short_bytes <= t.request.bytes * 1e-4) return std::string();
  const TransferRequest rest{.a_end = t.request.a_end,
                             .z_end = t.request.z_end,
                             .bytes = short_bytes,
                             .earliest = now,
                             .deadline = t.request.deadline};
  const std::size_t had = t.legs.size();
  auto placed = placeTransferLegs(t, rest, actor, now);
  if (!placed) {
    const std::string reason = fmt::format(
        "{:.4g} TB will not arrive by the deadline as planned, and the network cannot "
        "carry them on new legs: {}",
        short_bytes / 1e12, placed.error().message());
    LP_RETURN_IF_ERROR(ctx_.deps.store->transact([&](StoreTransaction& tx) {
      return tx.recordEvent(transferEvent(t, "transfer.atRisk", state, reason, now));
    }));
    return reason;
  }
  const std::string reason =
      fmt::format("{:.4g} TB re-planned on {} new leg(s){}: the last byte by {}",
                  short_bytes / 1e12, t.legs.size() - had,
                  down.empty() ? "" : fmt::format(", replacing {} (down)", fmt::join(down, ", ")),
                  formatTime(t.finish));
  LP_RETURN_IF_ERROR(storeTransfer(
      t, *placed, transferEvent(t, "transfer.replanned", state, reason, now), {}, had));
  // The legs replaced are ended: were they to come back with the repair, the bytes would go
  // twice.
  for (const std::string& leg : down) {
    if (Status s = terminate(leg, actor, "replaced: transfer " + t.id + " re-planned"); !s.isOk())
      log().warn("transfer {}: ending leg {}: {}", t.id, leg, s.toString());
  }
  return reason;
}

}  // namespace lightpath
