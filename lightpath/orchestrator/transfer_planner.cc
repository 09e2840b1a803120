// Bulk transfers on the capacity calendar (see transfer_planner.h): the ledger's free capacity
// laid over a time grid, the transfer planner on it, and the plan cut into circuits.
#include "lightpath/orchestrator/transfer_planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "lightpath/service/connection_json.h"
#include "lightpath/transfer/planner.h"
#include "lightpath/transfer/workload.h"

namespace lightpath {
namespace {

constexpr double kMaxBytes = 1e18;

TimePoint floorTo(TimePoint t, std::chrono::seconds slot) {
  const auto width = std::chrono::duration_cast<std::chrono::microseconds>(slot).count();
  const auto since = t.time_since_epoch().count();
  return TimePoint(std::chrono::microseconds(since - ((since % width) + width) % width));
}

}  // namespace

struct TransferPlanner::Problem {
  TimeGrid grid;
  std::unique_ptr<CapacityTable> table;
  TransferDemand demand;
  std::vector<Path> paths;
  std::vector<std::size_t> route_path;  // per demand route: its path
};

TransferPlanner::TransferPlanner(std::shared_ptr<const Topology> topology, const PathEngine& engine,
                                 const Ledger& ledger, TransferPlannerOptions options)
    : topology_(std::move(topology)),
      engine_(engine),
      ledger_(ledger),
      options_(std::move(options)) {}

Result<TransferPlanner::Problem> TransferPlanner::build(const TransferRequest& request,
                                                        TimePoint now, TimePoint until) const {
  const Topology& t = *topology_;
  if (!(request.bytes >= 1) || request.bytes > kMaxBytes)
    return fail(invalidArgument("bytes: 1 to 10^18"));
  const TimePoint start = std::max(request.earliest.value_or(now), now);
  if (request.deadline <= now) return fail(invalidArgument("deadline: in the past"));
  if (request.deadline > now + options_.horizon) {
    return fail(invalidArgument(
        fmt::format("deadline: at most {} days ahead", options_.horizon.count() / 24)));
  }
  if (request.deadline <= start) return fail(invalidArgument("deadline: must come after earliest"));
  auto findPort = [&](const std::string& id, const char* field) -> Result<std::uint32_t> {
    if (auto p = t.findPort(id)) return *p;
    return fail(invalidArgument(fmt::format("{}: no port '{}'", field, id.substr(0, 60))));
  };
  LP_ASSIGN_OR_RETURN(const std::uint32_t pa, findPort(request.a_end, "a_end"));
  LP_ASSIGN_OR_RETURN(const std::uint32_t pz, findPort(request.z_end, "z_end"));
  auto nodeOf = [&](std::uint32_t p) {
    const Port& port = t.ports()[p];
    return engine_.resolveNode(port.node.empty() ? port.site : port.node);
  };
  LP_ASSIGN_OR_RETURN(const NodeIndex na, nodeOf(pa));
  LP_ASSIGN_OR_RETURN(const NodeIndex nz, nodeOf(pz));
  if (na == nz)
    return fail(
        invalidArgument("z_end: at the same node as a_end; a transfer crosses the network"));

  PathConstraints avoid;
  if (options_.down) {
    for (NodeIndex end : {na, nz}) {
      if (options_.down->nodeDown(end))
        return fail(failedPrecondition(fmt::format("node '{}' is down", t.node(end).id)));
    }
    avoid.exclude_fibers = options_.down->fibers();
    avoid.exclude_nodes = options_.down->nodes();
  }
  Problem problem;
  PathWorkspace ws;
  LP_ASSIGN_OR_RETURN(problem.paths, transferRoutes(engine_, na, nz, options_.routes, ws, avoid));
  problem.grid.slot = options_.slot;
  problem.grid.origin = floorTo(start, options_.slot);
  const auto width = std::chrono::duration_cast<std::chrono::microseconds>(options_.slot).count();
  problem.grid.slots =
      static_cast<int>(((until - problem.grid.origin).count() + width - 1) / width);

  // Resources: the ports, the fibers of every route, and one lane cap per circuit.
  std::vector<ResourceId> real{{ResourceKind::PortBandwidth, pa},
                               {ResourceKind::PortBandwidth, pz}};
  std::map<FiberIndex, std::uint32_t> fiber_row;
  for (const Path& p : problem.paths) {
    for (FiberIndex f : p.fibers) {
      if (fiber_row.emplace(f, static_cast<std::uint32_t>(real.size())).second)
        real.push_back({ResourceKind::LinkBandwidth, f});
    }
  }
  const double port_mbps =
      std::min(t.ports()[pa].speed.value(), t.ports()[pz].speed.value()) * 1000;
  const auto lanes = std::max<std::size_t>(
      1,
      static_cast<std::size_t>(std::ceil(port_mbps / static_cast<double>(options_.max_leg_mbps))));
  const std::size_t resources = real.size() + problem.paths.size() * lanes;
  problem.table = std::make_unique<CapacityTable>(problem.grid, resources, options_.max_leg_mbps);
  for (std::size_t r = 0; r < real.size(); ++r) {
    const auto free =
        ledger_.freeQuantityBySlot(real[r], problem.grid.origin, options_.slot, problem.grid.slots);
    for (int s = 0; s < problem.grid.slots; ++s) problem.table->setFree(r, s, free[s]);
  }
  for (std::size_t p = 0; p < problem.paths.size(); ++p) {
    for (std::size_t lane = 0; lane < lanes; ++lane) {
      std::vector<std::uint32_t> route{0, 1};
      for (FiberIndex f : problem.paths[p].fibers) route.push_back(fiber_row.at(f));
      route.push_back(static_cast<std::uint32_t>(real.size() + p * lanes + lane));
      problem.demand.routes.push_back(std::move(route));
      problem.route_path.push_back(p);
    }
  }
  problem.demand.megabits = request.bytes * 8 / 1e6;
  problem.demand.first_slot = problem.grid.firstSlotFrom(start);
  problem.demand.end_slot = problem.grid.slotsBefore(std::min(until, request.deadline));
  if (problem.demand.first_slot >= problem.demand.end_slot) {
    return fail(invalidArgument(
        fmt::format("deadline: the window holds no whole slot of {} minutes (plans start on the "
                    "slot boundary after earliest)",
                    options_.slot.count() / 60)));
  }
  return problem;
}

Result<TransferProposal> TransferPlanner::plan(const TransferRequest& request,
                                               TimePoint now) const {
  LP_ASSIGN_OR_RETURN(Problem problem, build(request, now, request.deadline));
  auto plan = planTransfer(*problem.table, problem.demand, TransferFill::Even);
  if (!plan) {
    return fail(Status(plan.error().code(),
                       fmt::format("cannot deliver {:.4g} TB from {} to {} by {}: {}",
                                   request.bytes / 1e12, request.a_end, request.z_end,
                                   formatTime(request.deadline), plan.error().message())));
  }
  const Topology& t = *topology_;
  TransferProposal proposal;
  proposal.megabits = plan->megabits;
  proposal.finish = problem.grid.start(plan->finish_slot);
  // The rates come by route, then slot: each run of consecutive slots is one circuit.
  for (std::size_t i = 0; i < plan->rates.size();) {
    const TransferRate& first = plan->rates[i];
    const Path& path = problem.paths[problem.route_path[first.route]];
    TransferLeg leg;
    for (NodeIndex n : path.nodes) leg.nodes.push_back(t.node(n).id);
    for (FiberIndex f : path.fibers) leg.fibers.push_back(t.fiber(f).id);
    leg.start = problem.grid.start(first.slot);
    int slot = first.slot;
    for (; i < plan->rates.size() && plan->rates[i].route == first.route &&
           plan->rates[i].slot == slot;
         ++i, ++slot) {
      if (leg.steps.empty() || leg.steps.back().mbps != plan->rates[i].mbps)
        leg.steps.push_back({problem.grid.start(slot), plan->rates[i].mbps});
    }
    leg.end = problem.grid.start(slot);
    proposal.legs.push_back(std::move(leg));
  }
  std::stable_sort(proposal.legs.begin(), proposal.legs.end(),
                   [](const TransferLeg& x, const TransferLeg& y) { return x.start < y.start; });
  return proposal;
}

std::optional<TimePoint> TransferPlanner::earliestFinish(const TransferRequest& request,
                                                         TimePoint now) const {
  const TimePoint start = std::max(request.earliest.value_or(now), now);
  TransferRequest open = request;
  open.deadline = start + options_.horizon;
  auto problem = build(open, now, open.deadline);
  if (!problem) return std::nullopt;
  auto plan = planTransfer(*problem->table, problem->demand, TransferFill::Earliest);
  if (!plan) return std::nullopt;
  return problem->grid.start(plan->finish_slot);
}

}  // namespace lightpath
