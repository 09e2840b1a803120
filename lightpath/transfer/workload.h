// Bulk transfers planned offline on a network, for capacity planning and for checking the
// planner: a workload (transfers in order of arrival) on an empty network whose every fiber
// offers the same rate per direction. Each transfer may use its k shortest routes; resources are
// fiber directions. The same problem is what the benchmarks give the LP bound and the greedy
// baseline (bench/transfer_optimum.cc).
//
//   auto orders = parseWorkload(json, "workload.json");
//   auto problem = buildWorkloadProblem(engine, *orders, {.link_mbps = 400'000});
//   WorkloadOutcome outcome = planInArrivalOrder(*problem);
//   std::cout << workloadJson(*problem, outcome).dump(2);
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lightpath/pce/path_engine.h"
#include "lightpath/transfer/planner.h"

namespace lightpath {

// A transfer's candidate routes from `a` to `z`: the k shortest by km plus a fiber-disjoint
// pair where one exists (the k shortest often share their first and last fibers, and a
// transfer may need both ways out of a site), shortest first. The path engine's errors.
Result<std::vector<Path>> transferRoutes(const PathEngine& engine, NodeIndex a, NodeIndex z, int k,
                                         PathWorkspace& ws, const PathConstraints& avoid = {});

// One transfer of a workload file: {"id", "a", "z", "bytes", "earliest", "deadline"}.
struct TransferOrder {
  std::string id, a, z;  // ends: node or site ids or names
  double bytes = 0;
  TimePoint earliest, deadline;
};

// Reads a JSON array of transfers; errors name the file, the entry and the field.
Result<std::vector<TransferOrder>> parseWorkload(const nlohmann::json& json,
                                                 std::string_view source);

struct WorkloadOptions {
  std::uint64_t link_mbps = 1'600'000;  // per fiber and direction
  std::chrono::seconds slot{300};
  int routes = 4;                  // candidate routes per transfer (k shortest by km)
  std::uint64_t step_mbps = 1000;  // rates are whole Gb/s
};

struct WorkloadProblem {
  TimeGrid grid;
  std::size_t resources = 0;  // fiber f's direction a->b is 2f, b->a is 2f + 1
  std::vector<TransferOrder> orders;
  std::vector<TransferDemand> demands;   // one per order; no routes when it cannot be planned
  std::vector<std::string> unplannable;  // per order: why not ("" when it can be)
  std::vector<std::vector<std::vector<std::string>>> route_fibers;  // per order, per route
  std::uint64_t link_mbps = 0;
};

// Resolves the ends, finds each transfer's routes and lays the time grid over the workload.
// InvalidArgument naming the transfer for unknown ends.
Result<WorkloadProblem> buildWorkloadProblem(const PathEngine& engine,
                                             std::vector<TransferOrder> orders,
                                             const WorkloadOptions& options);

struct WorkloadOutcome {
  std::vector<std::optional<TransferPlan>> plans;  // per order: admitted with this plan, or not
  std::vector<std::string> reasons;                // per order: why not admitted
  double elapsed_ms = 0;
};

// Lightpath's admission: in order of arrival, every route the transfer may use, spread evenly.
WorkloadOutcome planInArrivalOrder(const WorkloadProblem& problem,
                                   TransferFill fill = TransferFill::Even);
// The greedy baseline: earliest deadline first, each on its single shortest route, as soon as
// possible.
WorkloadOutcome planEarliestDeadlineFirst(const WorkloadProblem& problem);

// The offline command's answer: {"admitted": [{"id", "schedule": [{"start", "end", "gbps",
// "fibers"}]}], "rejected": [{"id", "reason"}], "admitted_bytes", "offered_bytes", "elapsed_ms"}.
nlohmann::ordered_json workloadJson(const WorkloadProblem& problem, const WorkloadOutcome& outcome);

double admittedBytes(const WorkloadProblem& problem, const WorkloadOutcome& outcome);
double offeredBytes(const WorkloadProblem& problem);

}  // namespace lightpath
