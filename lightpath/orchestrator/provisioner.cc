// The Provisioner façade: wires the orchestrator's units and forwards each call to the one that
// owns it.
#include "lightpath/orchestrator/provisioner.h"

#include <fmt/format.h>

#include <random>
#include <set>
#include <thread>

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/lifecycle.h"
#include "lightpath/orchestrator/reconciler.h"
#include "lightpath/orchestrator/recovery.h"
#include "lightpath/orchestrator/restoration.h"
#include "lightpath/orchestrator/schedule.h"
#include "lightpath/orchestrator/transfer_counters.h"

namespace lightpath {

Provisioner::Provisioner(ProvisionerDeps deps)
    : ctx_(std::make_unique<OrchestratorContext>(std::move(deps))),
      lifecycle_(std::make_unique<Lifecycle>(*ctx_)),
      scheduler_(std::make_unique<Scheduler>(*ctx_, *lifecycle_)),
      reconciler_(std::make_unique<Reconciler>(*ctx_)),
      restorer_(std::make_unique<Restorer>(*ctx_)),
      counters_(std::make_unique<TransferCounters>(*ctx_)) {
  ctx_->connection_written = [scheduler = scheduler_.get()](const Connection& c) {
    scheduler->noteWritten(c);
  };
}

Provisioner::~Provisioner() = default;

Result<std::unique_ptr<Provisioner>> Provisioner::create(ProvisionerDeps deps) {
  if (!deps.topology || !deps.engine || !deps.planner || !deps.ledger || !deps.store ||
      !deps.fleet || !deps.clock) {
    return fail(invalidArgument(
        "provisioner needs a topology, path engine, planner, ledger, store, fleet and clock"));
  }
  std::unique_ptr<Provisioner> p(new Provisioner(std::move(deps)));
  // Instances sharing a store hand out hold ids from ranges of their own.
  if (const std::uint64_t instance = p->ctx_->deps.store->instance(); instance > 0) {
    p->ctx_->deps.ledger->useIds(instance << 40, (instance + 1) << 40);
  }
  LP_RETURN_IF_ERROR(p->ctx_->planner.registerResources());
  LP_RETURN_IF_ERROR(p->recover());
  return p;
}

namespace {

// Instances sharing the store: the ledger catches up with what the others hold before planning.
// One may still take the capacity planned on before ours is written: then ours is given back
// and `order` runs again, after a short random pause (the others' turn). Every round of a race
// has a winner, so a few dozen tries see it through even when many instances want the same
// first free slots.
template <typename Order>
auto orderRacing(Store& store, const Order& order) -> decltype(order()) {
  for (int attempt = 1;; ++attempt) {
    if (Status s = store.refresh(); !s.isOk()) return fail(s);
    auto made = order();
    if (made || attempt == 50 || made.error().code() != StatusCode::Aborted ||
        made.error().message().find(kCapacityRace) == std::string::npos) {
      return made;
    }
    thread_local std::minstd_rand jitter(std::random_device{}());
    std::this_thread::sleep_for(std::chrono::microseconds(
        std::uniform_int_distribution<int>(0, 500 * std::min(attempt, 10))(jitter)));
  }
}

}  // namespace

Result<Connection> Provisioner::order(const std::string& tenant, const ConnectionSpec& spec,
                                      const std::string& actor, const AlsoInTransaction& also) {
  return orderRacing(*ctx_->deps.store,
                     [&] { return lifecycle_->order(tenant, spec, actor, also); });
}

Result<TransferRecord> Provisioner::orderTransfer(const std::string& tenant,
                                                  const TransferRequest& request,
                                                  const std::string& actor,
                                                  const AlsoWithTransfer& also) {
  return orderRacing(*ctx_->deps.store,
                     [&] { return lifecycle_->orderTransfer(tenant, request, actor, also); });
}

std::optional<TimePoint> Provisioner::earliestTransferFinish(const TransferRequest& request) const {
  const TransferPlanner planner(ctx_->deps.topology, *ctx_->deps.engine, *ctx_->deps.ledger,
                                {.down = ctx_->health.down()});
  return planner.earliestFinish(request, ctx_->now());
}

Result<TransferRecord> Provisioner::transfer(const std::string& id) const {
  std::optional<DocumentRecord> document;
  LP_RETURN_IF_ERROR(ctx_->deps.store->transact([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(document, tx.document(std::string(kTransferKind), id));
    return Status::ok();
  }));
  if (!document) return fail(notFound(fmt::format("no transfer '{}'", id.substr(0, 60))));
  auto body = nlohmann::json::parse(document->body, nullptr, false);
  if (body.is_discarded())
    return fail(internalError(fmt::format("stored transfer {} is not JSON", id)));
  return transferFromJson(body);
}

Result<std::vector<std::string>> Provisioner::cancelTransfer(const std::string& id,
                                                             const std::string& actor,
                                                             const AlsoWithTransfer& also) {
  TransferRecord t;
  LP_RETURN_IF_ERROR(ctx_->deps.store->transact([&](StoreTransaction& tx) -> Status {
    // Read in the transaction that writes it: legs a re-plan adds meanwhile are cancelled too.
    LP_ASSIGN_OR_RETURN(auto doc, tx.document(std::string(kTransferKind), id));
    if (!doc) return notFound(fmt::format("no transfer '{}'", id.substr(0, 60)));
    LP_ASSIGN_OR_RETURN(t, transferFromJson(nlohmann::json::parse(doc->body, nullptr, false)));
    const bool newly = !t.cancelled;
    if (newly) t.cancelled = ctx_->now();
    LP_RETURN_IF_ERROR(tx.putDocument(
        {std::string(kTransferKind), t.id, t.tenant,
         transferToJson(t).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}));
    if (newly)
      LP_RETURN_IF_ERROR(tx.recordEvent(transferEvent(
          t, "transfer.stateChanged", "cancelled",
          fmt::format("cancelled by {}: the legs not yet ended are given back", actor),
          *t.cancelled)));
    return also ? also(tx, t) : Status::ok();
  }));
  std::vector<std::string> ending;
  for (const TransferLegRecord& leg : t.legs) {
    auto c = lifecycle_->beginTerminate(leg.connection, actor, {});
    if (c && c->state() == ConnectionState::Deprovisioning) ending.push_back(leg.connection);
  }
  return ending;
}

Result<Realization> Provisioner::quote(const ConnectionSpec& spec) const {
  return ctx_->planner.quote(spec, ctx_->now());
}

Status Provisioner::activate(const std::string& id) { return lifecycle_->activate(id); }

Result<LoadReport> Provisioner::load(const std::string& tenant,
                                     const std::vector<ConnectionSpec>& specs,
                                     const std::string& actor) {
  return lifecycle_->load(tenant, specs, actor);
}

Status Provisioner::modifyBandwidth(const std::string& id, std::uint64_t mbps,
                                    const std::string& actor) {
  LP_RETURN_IF_ERROR(statusOf(lifecycle_->beginModify(id, mbps, std::nullopt, actor, {})));
  return lifecycle_->finishModify(id, mbps);
}

Result<Connection> Provisioner::beginModify(const std::string& id, std::uint64_t mbps,
                                            std::optional<std::uint64_t> expected_version,
                                            const std::string& actor,
                                            const AlsoInTransaction& also) {
  return lifecycle_->beginModify(id, mbps, expected_version, actor, also);
}

Status Provisioner::finishModify(const std::string& id, std::uint64_t mbps) {
  return lifecycle_->finishModify(id, mbps);
}

Result<Connection> Provisioner::beginRotateKey(const std::string& id, const std::string& actor,
                                               const AlsoInTransaction& also) {
  return lifecycle_->beginRotateKey(id, actor, also);
}

Status Provisioner::finishRotateKey(const std::string& id) {
  return lifecycle_->finishRotateKey(id);
}

Status Provisioner::acceptCounterparty(const std::string& id) {
  return lifecycle_->acceptCounterparty(id);
}

Status Provisioner::terminate(const std::string& id, const std::string& actor) {
  return lifecycle_->terminate(id, actor);
}

Result<Connection> Provisioner::beginTerminate(const std::string& id, const std::string& actor,
                                               const AlsoInTransaction& also) {
  return lifecycle_->beginTerminate(id, actor, also);
}

Result<Connection> Provisioner::setEnd(const std::string& id, std::optional<TimePoint> end,
                                       std::optional<std::uint64_t> expected_version,
                                       const std::string& actor, const AlsoInTransaction& also) {
  return lifecycle_->setEnd(id, end, expected_version, actor, also);
}

Result<Connection> Provisioner::setTags(const std::string& id,
                                        std::map<std::string, std::string> tags,
                                        std::optional<std::uint64_t> expected_version,
                                        const std::string& actor, const AlsoInTransaction& also) {
  return lifecycle_->setTags(id, std::move(tags), expected_version, actor, also);
}

Result<Connection> Provisioner::get(const std::string& id) const { return ctx_->records.get(id); }

Result<Connection> Provisioner::getAt(const std::string& id,
                                      std::optional<std::uint64_t> expected_version) const {
  return ctx_->records.getAt(id, expected_version);
}

Result<std::size_t> Provisioner::runSchedule(TimePoint now) {
  ctx_->deps.ledger->forgetBefore(now - kLedgerPastKept);  // every instance keeps a ledger
  // An idle instance sharing the store still follows what the others hold (quotes, views).
  if (Status s = ctx_->deps.store->refresh(); !s.isOk()) log().warn("store: {}", s.toString());
  // The cluster's duties run on one instance at a time.
  if (!ctx_->deps.store->leads()) return std::size_t{0};
  // Before the schedule's moves: a leg ending now is read before its service goes.
  if (auto read = counters_->pollIfDue(now); !read)
    log().warn("transfer counters: {}", read.error().toString());
  LP_ASSIGN_OR_RETURN(std::size_t moved, scheduler_->run(now));
  if (moved > 0 && !ctx_->health.down()->empty()) {
    // A connection planned before a cut may just have started on it: answer it as the cut's
    // own pass would.
    auto effect = restorer_->respond("scheduled start on a route through what is down");
    if (!effect) log().warn("restoration after the schedule: {}", effect.error().toString());
    if (effect) replanTransfersOf(effect->hit, "orchestrator");
  }
  LP_ASSIGN_OR_RETURN(std::size_t reverted, restorer_->revertDue(now));
  LP_ASSIGN_OR_RETURN(std::size_t health, restorer_->watchHealth());
  return moved + reverted + health;
}

Result<std::vector<std::string>> Provisioner::claimOrphans() {
  return ctx_->deps.store->claimOrphans(ctx_->deps.work_lease);
}

Status Provisioner::resume(const std::string& id) {
  std::optional<ConnectionRecord> record;
  LP_RETURN_IF_ERROR(ctx_->deps.store->read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(record, tx.connection(id));
    return Status::ok();
  }));
  if (!record) return notFound(fmt::format("no connection {}", id));
  log().warn("taking over {} ({}) from an instance that stopped", id, record->state);
  return resumeWork(*ctx_, *lifecycle_, *record);
}

void Provisioner::watchDrift(TimePoint now, const std::function<bool()>& stopped) {
  if (!ctx_->deps.store->leads()) return;
  std::vector<std::string> restarted;
  for (const auto& [node, device] : ctx_->deps.fleet->all()) {
    const Telemetry* telemetry = device->telemetry();
    if (!telemetry) continue;
    const std::uint64_t epoch = telemetry->epoch();
    auto [it, first] = epochs_.emplace(node, epoch);
    if (!first && it->second != epoch) restarted.push_back(node);
    it->second = epoch;
  }
  // The first tick starts the interval's clock.
  if (next_reconcile_ == TimePoint{}) next_reconcile_ = now + ctx_->deps.reconcile_interval;
  if (restarted.empty() && now < next_reconcile_) return;
  const ReconcileReport report = reconciler_->reconcile(true, stopped);
  if (stopped && stopped()) return;  // cut short: nothing to say
  // The interval counts from the sweep's end: a sweep longer than it (a large book) still leaves
  // the devices and the store an interval's rest.
  const TimePoint done = ctx_->now();
  next_reconcile_ = done + ctx_->deps.reconcile_interval;
  for (const std::string& node : report.repaired) {
    log().warn("drift repaired on {}{}", node,
               std::find(restarted.begin(), restarted.end(), node) != restarted.end()
                   ? " (its session was re-established: the device may have restarted)"
                   : "");
  }
  for (const std::string& line : report.failed) log().warn("drift check: {}", line);
  // A device that could not be read or put right (just back from a hang, say) is tried again
  // soon, not at the next interval.
  if (!report.failed.empty())
    next_reconcile_ = std::min(next_reconcile_, done + std::chrono::seconds(10));
}

Status Provisioner::recover() {
  // What is down first: everything planned from here on avoids it.
  LP_ASSIGN_OR_RETURN(std::size_t failures, restorer_->load());
  LP_RETURN_IF_ERROR(recoverConnections(*ctx_, *lifecycle_, ctx_->deps.resume_workflows));
  if (failures == 0 || !ctx_->deps.resume_workflows || !ctx_->deps.store->leads())
    return Status::ok();
  // A pass cut short by the restart is done again (connections still stored on what is down
  // are answered, the down ones tried again), then devices are made to match the store: a
  // pass configures devices before it stores the outcome, so a kill in between left entries
  // of routes the store does not know.
  auto effect = restorer_->respond("restart with failures unrepaired");
  if (!effect) log().warn("restoration after restart: {}", effect.error().toString());
  const ReconcileReport report = reconciler_->reconcile(true);
  for (const std::string& line : report.failed) log().warn("reconcile after restart: {}", line);
  return Status::ok();
}

Result<FailureRecord> Provisioner::recordFailure(const FailureTarget& target,
                                                 const std::string& reason,
                                                 const std::string& actor, const StoreWork& also) {
  auto record = restorer_->failure(target, reason, actor, also);
  if (record) replanTransfersOf(record->effect.hit, actor);
  return record;
}

Result<FailureRecord> Provisioner::repairFailure(const std::string& id, const std::string& actor,
                                                 const StoreWork& also) {
  auto record = restorer_->repair(id, actor, also);
  if (record) replanTransfersOf(record->repair_effect.restored, actor);
  return record;
}

// After the restoration pass (whose locks it must not hold): a transfer whose leg was hit, or came
// back after an outage, may now fall short of its deadline.
void Provisioner::replanTransfersOf(const std::vector<std::string>& connections,
                                    const std::string& actor) {
  std::set<std::string> transfers;
  for (const std::string& id : connections) {
    auto c = ctx_->records.get(id);
    if (!c) continue;
    if (auto tag = c->requested().tags.find("transfer"); tag != c->requested().tags.end())
      transfers.insert(tag->second);
  }
  for (const std::string& t : transfers) {
    auto done = lifecycle_->replanTransfer(t, actor);
    if (!done) {
      log().warn("transfer {}: re-planning: {}", t, done.error().toString());
    } else if (!done->empty()) {
      log().info("transfer {}: {}", t, *done);
    }
  }
}

Result<FailureEffect> Provisioner::analyzeFailure(const FailureTarget& target) {
  return restorer_->analyze(target);
}

std::shared_ptr<const DownSet> Provisioner::down() const { return ctx_->health.down(); }

std::vector<std::string> Provisioner::check() const { return reconciler_->check(); }

Provisioner::ReconcileReport Provisioner::reconcile(bool repair) {
  return reconciler_->reconcile(repair);
}

}  // namespace lightpath
