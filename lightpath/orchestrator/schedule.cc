// The schedule: starts, bandwidth steps and ends as their times come.
#include "lightpath/orchestrator/schedule.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/internal/padded_json.h"
#include "lightpath/orchestrator/lifecycle.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

namespace {

bool scheduled(ConnectionState s) {
  return s == ConnectionState::Provisioning || s == ConnectionState::Active ||
         s == ConnectionState::AwaitingCounterparty;
}

// Whether a run at `now` has something to do for `c` (the branches of run()).
bool dueNow(const Connection& c, TimePoint now, const std::optional<TimePoint>& since) {
  const ConnectionSpec& spec = c.requested();
  const ConnectionState state = c.state();
  if (spec.end && *spec.end <= now) return true;
  if (state == ConnectionState::Provisioning) return spec.start && *spec.start <= now;
  if (spec.kind == ConnectionKind::Cloud) return true;  // its provider side, every cloud_poll
  if (state != ConnectionState::Active) return false;
  for (const BandwidthStep& step : spec.steps)
    if ((!since || *since < step.at) && step.at <= now) return true;
  const auto& keys = c.current().keys;
  return keys && (keys->rotating() || keys->next_rotation <= now);
}

// Whether a stored connection may have a time the schedule keeps (a start, an end, bandwidth
// steps, keys to rotate) or is a cloud one. Only those fields are read (simdjson), so a rescan
// of a million connections without any decodes none of them whole; anything unreadable is
// "maybe" (the whole decode says what is wrong).
bool mayBeTimed(std::string_view body) {
  static thread_local simdjson::ondemand::parser parser;
  try {
    simdjson::ondemand::document doc = parser.iterate(paddedCopy(body));
    for (auto field : doc.get_object()) {
      const std::string_view name = field.unescaped_key();
      if (name == "requested") {
        for (auto part : field.value().get_object()) {
          const std::string_view what = part.unescaped_key();
          if (what == "start" || what == "end" || what == "steps") return true;
          if (what == "kind" && std::string_view(part.value().get_string()) == "cloud") return true;
        }
      } else if (name == "current") {
        for (auto part : field.value().get_object()) {
          if (std::string_view(part.unescaped_key()) == "keys") return true;
        }
      }
    }
    return false;
  } catch (const simdjson::simdjson_error&) {
    return true;
  }
}

// When the schedule must look at `c` (its start, end, steps, key rotation; the epoch: now).
std::vector<TimePoint> scheduleTimes(const Connection& c) {
  std::vector<TimePoint> times;
  const ConnectionSpec& spec = c.requested();
  const ConnectionState state = c.state();
  if (spec.end) times.push_back(*spec.end);
  if (state == ConnectionState::Provisioning && spec.start) times.push_back(*spec.start);
  if (state == ConnectionState::Active) {
    for (const BandwidthStep& step : spec.steps) times.push_back(step.at);
    if (const auto& keys = c.current().keys)
      times.push_back(keys->rotating() ? TimePoint{} : keys->next_rotation);
  }
  return times;
}

}  // namespace

void Scheduler::noteAt(TimePoint at, const std::string& id) { agenda_.emplace(at, id); }

void Scheduler::noteWritten(const Connection& c) {
  const ConnectionState state = c.state();
  if (!scheduled(state)) return;
  const ConnectionSpec& spec = c.requested();
  std::lock_guard lock(mutex_);
  for (TimePoint at : scheduleTimes(c)) noteAt(at, c.id());
  // A cloud connection's provider side is read every cloud_poll: looked at every run.
  if (spec.kind == ConnectionKind::Cloud && state != ConnectionState::Provisioning &&
      c.current().provider)
    noteAt(TimePoint{}, c.id());
}

Result<std::size_t> Scheduler::run(TimePoint now) {
  bool rescan = false;
  std::set<std::string> due;
  std::optional<TimePoint> since;  // steps after this were not yet told to the devices
  {
    std::lock_guard lock(mutex_);
    since = std::exchange(last_run_, now);
    rescan = !since || now >= next_rescan_ || ctx_.records.store().instance() > 0;
    if (rescan) next_rescan_ = now + kRescan;
    while (!agenda_.empty() && agenda_.begin()->first <= now) {
      due.insert(agenda_.begin()->second);
      agenda_.erase(agenda_.begin());
    }
  }
  std::vector<ConnectionRecord> candidates;
  if (!rescan) {
    LP_RETURN_IF_ERROR(ctx_.records.store().read([&](StoreTransaction& tx) -> Status {
      for (const std::string& id : due) {
        LP_ASSIGN_OR_RETURN(auto r, tx.connection(id));
        if (r && scheduled(parseConnectionState(r->state).value_or(ConnectionState::Failed)))
          candidates.push_back(std::move(*r));
      }
      return Status::ok();
    }));
  } else {
    // Every live connection, a page at a time (a read each: a connection that changed state
    // meanwhile may come twice): those due now are kept, the others' times go on the agenda.
    std::vector<std::pair<TimePoint, std::string>> later;
    std::set<std::string> kept;
    for (const char* state : {"provisioning", "active", "awaiting_counterparty"}) {
      LP_RETURN_IF_ERROR(ctx_.records.scanByPages(state, [&](const ConnectionRecord& r) {
        if (!mayBeTimed(r.body)) return Status::ok();  // neither due nor ever on the agenda
        auto c = connectionFromJson(r.body);
        if (!c || dueNow(*c, now, since)) {
          if (kept.insert(r.id).second) candidates.push_back(r);  // (unreadable: logged below)
          return Status::ok();
        }
        for (TimePoint at : scheduleTimes(*c))
          if (at > now) later.emplace_back(at, c->id());
        return Status::ok();
      }));
    }
    std::lock_guard lock(mutex_);
    agenda_.insert(later.begin(), later.end());
  }
  // A connection that could not move (or must be looked at again) is left to the next run.
  struct LookAgain {
    Scheduler& scheduler;
    const std::string& id;
    TimePoint now;
    bool settled = false;
    ~LookAgain() {
      if (settled) return;
      std::lock_guard lock(scheduler.mutex_);
      scheduler.noteAt(now, id);
    }
  };
  std::size_t moved = 0;
  std::vector<std::string> cloud_seen;  // cloud connections whose provider side is read
  for (const ConnectionRecord& record : candidates) {
    // One connection's trouble is logged and left to the next tick; the others still move.
    LookAgain again{*this, record.id, now};
    auto c = connectionFromJson(record.body);
    if (!c) {
      log().error("schedule: connection {}: {}", record.id, c.error().toString());
      continue;
    }
    const ConnectionSpec& spec = c->requested();
    if (spec.end && *spec.end <= now) {
      if (Status s = lifecycle_.terminate(c->id(), "schedule"); !s.isOk()) {
        log().warn("schedule: terminating {}: {}", c->id(), s.toString());
        continue;
      }
      ++moved;
    } else if (c->state() == ConnectionState::Provisioning && spec.start && *spec.start <= now) {
      // Only scheduled starts: whoever ordered an unscheduled one activates it (and recover()
      // after a restart), so two workflows never race on one connection.
      if (Status s = lifecycle_.activate(c->id()); !s.isOk()) {
        log().warn("schedule: activating {}: {}", c->id(), s.toString());
        continue;
      }
      ++moved;
    } else if (c->state() == ConnectionState::Active &&
               std::any_of(spec.steps.begin(), spec.steps.end(), [&](const BandwidthStep& step) {
                 return (!since || *since < step.at) && step.at <= now;
               })) {
      // A bandwidth step came (or may have, before a restart): the devices get the new rate.
      // The capacity is already held step by step. A failure is left to the next tick.
      auto guard = ctx_.locks.lock(c->id());
      if (ctx_.configure(*c, IntentAction::Apply, fmt::format("/step{}", bandwidthAt(spec, now)))
              .isOk()) {
        const std::uint64_t version = c->version();
        if (Status s = ctx_.records.save(
                *c, version, "connection.bandwidthChanged",
                fmt::format("bandwidth {} Mb/s on schedule", bandwidthAt(spec, now)), {}, {});
            !s.isOk()) {
          log().warn("schedule: bandwidth step of {}: {}", c->id(), s.toString());
          continue;
        }
        ++moved;
      } else {
        std::lock_guard lock(mutex_);
        last_run_ = since;  // try again next tick
      }
    }
    const auto& keys = c->current().keys;
    if (c->state() == ConnectionState::Active && keys &&
        (keys->rotating() || keys->next_rotation <= now)) {
      // A key whose time has come, or a rotation a restart cut short.
      if (!keys->rotating()) {
        if (auto begun = lifecycle_.beginRotateKey(c->id(), "schedule", {}); !begun) {
          log().warn("schedule: rotating the key of {}: {}", c->id(), begun.error().toString());
          continue;
        }
      }
      if (Status s = lifecycle_.finishRotateKey(c->id()); !s.isOk()) {
        log().warn("schedule: rotating the key of {}: {}", c->id(), s.toString());
        continue;
      }
      ++moved;
    }
    if (spec.kind == ConnectionKind::Cloud && c->current().provider &&
        (c->state() == ConnectionState::AwaitingCounterparty ||
         c->state() == ConnectionState::Active)) {
      // The provider's side, read every cloud_poll: the customer's acceptance, a deletion there,
      // an expired hand-shake.
      cloud_seen.push_back(c->id());
      {
        std::lock_guard lock(mutex_);
        TimePoint& last = polled_[c->id()];
        if (now < last + ctx_.deps.cloud_poll) continue;
        last = now;
      }
      const Lifecycle::ProviderMove move = lifecycle_.pollProvider(c->id());
      if (move.terminate) {
        if (Status s = lifecycle_.terminate(c->id(), move.actor, move.reason); !s.isOk()) {
          log().warn("schedule: terminating {}: {}", c->id(), s.toString());
          continue;
        }
        std::lock_guard lock(mutex_);
        polled_.erase(c->id());
      }
      if (move.moved || move.terminate) ++moved;
    }
    // Cloud connections are read again each run (above: every cloud_poll); others settle here.
    again.settled = !(spec.kind == ConnectionKind::Cloud &&
                      (c->state() == ConnectionState::AwaitingCounterparty ||
                       c->state() == ConnectionState::Active));
  }
  // Forget connections no longer read (terminated by their owner, failed): the map stays as
  // large as the cloud connections being read. Only a scan of them all can tell.
  if (!rescan) return moved;
  std::sort(cloud_seen.begin(), cloud_seen.end());
  std::lock_guard lock(mutex_);
  std::erase_if(polled_, [&](const auto& entry) {
    return !std::binary_search(cloud_seen.begin(), cloud_seen.end(), entry.first);
  });
  return moved;
}

}  // namespace lightpath
