// Offline planning of a workload of bulk transfers (see workload.h).
#include "lightpath/transfer/workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <numeric>
#include <set>

#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

constexpr double kMaxBytes = 1e18;  // an exabyte: beyond is a mistake, not a transfer
// The capacity table a workload may need (slots x fiber directions, 8 bytes each): 160 MB.
constexpr long long kMaxCells = 20'000'000;

double megabitsOf(double bytes) { return bytes * 8 / 1e6; }

Result<std::string> textField(const nlohmann::json& entry, const char* field,
                              const std::string& where) {
  auto it = entry.find(field);
  if (it == entry.end() || !it->is_string() || it->get<std::string>().empty())
    return fail(
        invalidArgument(fmt::format("{}: \"{}\" must be a non-empty string", where, field)));
  return it->get<std::string>();
}

Result<TimePoint> timeField(const nlohmann::json& entry, const char* field,
                            const std::string& where) {
  LP_ASSIGN_OR_RETURN(std::string text, textField(entry, field, where));
  auto t = parseTime(text);
  if (!t)
    return fail(invalidArgument(fmt::format("{}: \"{}\": {}", where, field, t.error().message())));
  return *t;
}

}  // namespace

Result<std::vector<TransferOrder>> parseWorkload(const nlohmann::json& json,
                                                 std::string_view source) {
  if (!json.is_array())
    return fail(invalidArgument(fmt::format("{}: expected a JSON array of transfers", source)));
  std::vector<TransferOrder> orders;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const nlohmann::json& entry = json[i];
    std::string where = fmt::format("{}: transfer {}", source, i);
    if (!entry.is_object()) return fail(invalidArgument(where + ": expected an object"));
    TransferOrder order;
    LP_ASSIGN_OR_RETURN(order.id, textField(entry, "id", where));
    where = fmt::format("{}: transfer {} ({})", source, i, order.id);
    if (!ids.insert(order.id).second)
      return fail(invalidArgument(where + ": the id is used twice"));
    LP_ASSIGN_OR_RETURN(order.a, textField(entry, "a", where));
    LP_ASSIGN_OR_RETURN(order.z, textField(entry, "z", where));
    auto bytes = entry.find("bytes");
    if (bytes == entry.end() || !bytes->is_number() || !(bytes->get<double>() >= 1) ||
        bytes->get<double>() > kMaxBytes) {
      return fail(invalidArgument(where + ": \"bytes\" must be a number from 1 to 10^18"));
    }
    order.bytes = bytes->get<double>();
    LP_ASSIGN_OR_RETURN(order.earliest, timeField(entry, "earliest", where));
    LP_ASSIGN_OR_RETURN(order.deadline, timeField(entry, "deadline", where));
    if (order.deadline <= order.earliest)
      return fail(invalidArgument(where + ": \"deadline\" must be after \"earliest\""));
    orders.push_back(std::move(order));
  }
  return orders;
}

Result<std::vector<Path>> transferRoutes(const PathEngine& engine, NodeIndex a, NodeIndex z, int k,
                                         PathWorkspace& ws, const PathConstraints& avoid) {
  const PathRequest request{.from = a, .to = z, .constraints = avoid};
  LP_ASSIGN_OR_RETURN(std::vector<Path> paths, engine.kShortestPaths(request, k, ws));
  if (k < 2) return paths;
  if (auto pair = engine.diversePair(request, Diversity::Fiber, ws)) {
    std::vector<Path> missing;
    for (Path* leg : {&pair->working, &pair->protection}) {
      if (std::find(paths.begin(), paths.end(), *leg) == paths.end()) missing.push_back(*leg);
    }
    // The pair replaces the longest of the k shortest.
    while (!paths.empty() && paths.size() + missing.size() > static_cast<std::size_t>(k))
      paths.pop_back();
    paths.insert(paths.end(), missing.begin(), missing.end());
    std::stable_sort(paths.begin(), paths.end(),
                     [](const Path& x, const Path& y) { return x.length < y.length; });
  }
  return paths;
}

Result<WorkloadProblem> buildWorkloadProblem(const PathEngine& engine,
                                             std::vector<TransferOrder> orders,
                                             const WorkloadOptions& options) {
  if (options.slot.count() <= 0) return fail(invalidArgument("the slot must be positive"));
  if (options.routes < 1 || options.routes > 64)
    return fail(invalidArgument(
        fmt::format("routes per transfer must be 1 to 64, got {}", options.routes)));
  const Topology& t = engine.topology();
  WorkloadProblem problem;
  problem.link_mbps = options.link_mbps;
  problem.resources = 2 * t.fibers().size();
  if (!orders.empty()) {
    TimePoint first = orders[0].earliest, last = orders[0].deadline;
    for (const TransferOrder& o : orders) {
      first = std::min(first, o.earliest);
      last = std::max(last, o.deadline);
    }
    const auto width = std::chrono::duration_cast<std::chrono::microseconds>(options.slot).count();
    const auto since_epoch = first.time_since_epoch().count();
    problem.grid.origin = TimePoint(std::chrono::microseconds(since_epoch - since_epoch % width));
    const long long slots = ((last - problem.grid.origin).count() + width - 1) / width;
    const auto directions = static_cast<long long>(2 * t.fibers().size());
    if (slots > kMaxCells / std::max(directions, 1LL)) {
      return fail(invalidArgument(fmt::format(
          "the workload spans {} slots of {} s over {} fiber directions: more than {} cells to "
          "plan on; use longer slots or a shorter span",
          slots, options.slot.count(), directions, kMaxCells)));
    }
    problem.grid.slots = static_cast<int>(slots);
  }
  problem.grid.slot = options.slot;
  PathWorkspace ws;
  for (const TransferOrder& o : orders) {
    TransferDemand demand;
    demand.megabits = megabitsOf(o.bytes);
    demand.first_slot = problem.grid.firstSlotFrom(o.earliest);
    demand.end_slot = problem.grid.slotsBefore(o.deadline);
    demand.step_mbps = options.step_mbps;
    std::vector<std::vector<std::string>> fibers;
    std::string why;
    auto a = engine.resolveNode(o.a);
    if (!a)
      return fail(
          invalidArgument(fmt::format("transfer {}: \"a\": {}", o.id, a.error().message())));
    auto z = engine.resolveNode(o.z);
    if (!z)
      return fail(
          invalidArgument(fmt::format("transfer {}: \"z\": {}", o.id, z.error().message())));
    if (*a == *z)
      return fail(
          invalidArgument(fmt::format("transfer {}: \"a\" and \"z\" are the same node", o.id)));
    auto paths = transferRoutes(engine, *a, *z, options.routes, ws);
    if (!paths) {
      why = paths.error().message();
    } else if (demand.first_slot >= demand.end_slot) {
      why = fmt::format("the window holds no whole slot of {} s", options.slot.count());
    }
    if (why.empty()) {
      for (const Path& p : *paths) {
        std::vector<std::uint32_t> route;
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < p.fibers.size(); ++i) {
          const FiberIndex f = p.fibers[i];
          route.push_back(2 * f + (t.fiberA(f) == p.nodes[i] ? 0 : 1));
          ids.push_back(t.fiber(f).id);
        }
        demand.routes.push_back(std::move(route));
        fibers.push_back(std::move(ids));
      }
    }
    problem.demands.push_back(std::move(demand));
    problem.route_fibers.push_back(std::move(fibers));
    problem.unplannable.push_back(std::move(why));
  }
  problem.orders = std::move(orders);
  return problem;
}

namespace {

WorkloadOutcome planInOrder(const WorkloadProblem& problem, const std::vector<std::size_t>& order,
                            TransferFill fill, std::size_t routes, bool rearrange) {
  const auto started = std::chrono::steady_clock::now();
  WorkloadOutcome outcome;
  outcome.plans.resize(problem.orders.size());
  outcome.reasons.resize(problem.orders.size());
  CapacityTable free(problem.grid, problem.resources, problem.link_mbps);
  std::vector<std::unique_ptr<AdmittedTransfer>> admitted;
  std::vector<std::size_t> admitted_order;  // the order each of `admitted` is
  int now = 0;  // transfers arrive at their earliest start: what ran before it cannot move
  for (std::size_t i : order) {
    if (!problem.unplannable[i].empty()) {
      outcome.reasons[i] = problem.unplannable[i];
      continue;
    }
    now = std::max(now, problem.demands[i].first_slot);
    Result<TransferPlan> plan = fail(internalError("not planned"));
    if (rearrange) {
      std::vector<AdmittedTransfer*> others;
      for (const auto& a : admitted) others.push_back(a.get());
      plan = admitTransfer(free, others, problem.demands[i], now, fill);
    } else {
      plan = planTransfer(free, problem.demands[i], fill, routes);
      if (plan) takePlan(free, problem.demands[i], *plan);
    }
    if (!plan) {
      outcome.reasons[i] =
          fmt::format("cannot deliver {:.3g} bytes by {}: {}", problem.orders[i].bytes,
                      formatTime(problem.orders[i].deadline), plan.error().message());
      continue;
    }
    admitted.push_back(
        std::make_unique<AdmittedTransfer>(AdmittedTransfer{problem.demands[i], std::move(*plan)}));
    admitted_order.push_back(i);
  }
  // Rearrangements change earlier plans: the answer is what the table holds at the end.
  for (std::size_t k = 0; k < admitted.size(); ++k)
    outcome.plans[admitted_order[k]] = admitted[k]->plan;
  outcome.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

}  // namespace

WorkloadOutcome planInArrivalOrder(const WorkloadProblem& problem, TransferFill fill) {
  std::vector<std::size_t> order(problem.orders.size());
  std::iota(order.begin(), order.end(), 0);
  return planInOrder(problem, order, fill, 0, true);
}

WorkloadOutcome planEarliestDeadlineFirst(const WorkloadProblem& problem) {
  std::vector<std::size_t> order(problem.orders.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return problem.orders[x].deadline < problem.orders[y].deadline;
  });
  return planInOrder(problem, order, TransferFill::Earliest, 1, false);
}

double admittedBytes(const WorkloadProblem& problem, const WorkloadOutcome& outcome) {
  double sum = 0;
  for (std::size_t i = 0; i < problem.orders.size(); ++i) {
    if (outcome.plans[i]) sum += problem.orders[i].bytes;
  }
  return sum;
}

double offeredBytes(const WorkloadProblem& problem) {
  double sum = 0;
  for (const TransferOrder& o : problem.orders) sum += o.bytes;
  return sum;
}

nlohmann::ordered_json workloadJson(const WorkloadProblem& problem,
                                    const WorkloadOutcome& outcome) {
  nlohmann::ordered_json admitted = nlohmann::ordered_json::array();
  nlohmann::ordered_json rejected = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < problem.orders.size(); ++i) {
    if (!outcome.plans[i]) {
      rejected.push_back({{"id", problem.orders[i].id}, {"reason", outcome.reasons[i]}});
      continue;
    }
    // Runs of slots at one rate on one route make one entry.
    struct Entry {
      int route, first, end;
      std::uint64_t mbps;
    };
    std::vector<Entry> entries;
    for (const TransferRate& r : outcome.plans[i]->rates) {
      if (!entries.empty() && entries.back().route == r.route && entries.back().end == r.slot &&
          entries.back().mbps == r.mbps) {
        entries.back().end = r.slot + 1;
      } else {
        entries.push_back({r.route, r.slot, r.slot + 1, r.mbps});
      }
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& x, const Entry& y) { return x.first < y.first; });
    nlohmann::ordered_json schedule = nlohmann::ordered_json::array();
    for (const Entry& e : entries) {
      schedule.push_back({{"start", formatTime(problem.grid.start(e.first))},
                          {"end", formatTime(problem.grid.start(e.end))},
                          {"gbps", static_cast<double>(e.mbps) / 1000.0},
                          {"fibers", problem.route_fibers[i][e.route]}});
    }
    admitted.push_back({{"id", problem.orders[i].id}, {"schedule", std::move(schedule)}});
  }
  return {{"admitted", std::move(admitted)},
          {"rejected", std::move(rejected)},
          {"admitted_bytes", admittedBytes(problem, outcome)},
          {"offered_bytes", offeredBytes(problem)},
          {"elapsed_ms", outcome.elapsed_ms}};
}

}  // namespace lightpath
