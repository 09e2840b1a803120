// Bulk transfers on the capacity calendar: the planner of lightpath/transfer over what the
// ledger has free — each fiber's packet capacity and the two ports' bandwidth, slot by slot —
// between two client ports. A proposal is a set of legs, each an Ethernet circuit on one route
// over one stretch of time with its bandwidth steps: what ordering the transfer holds.
//
//   TransferPlanner planner(topology, engine, ledger);
//   auto proposal = planner.plan({.a_end = "dc-ashburn-p1", .z_end = "dc-hillsboro-p1",
//                                 .bytes = 1e15, .deadline = friday}, now);
//   if (!proposal) auto when = planner.earliestFinish(request, now);   // what would work
//
// Thread-safety: const; reads the ledger under its lock, slot rows one resource at a time (a
// caller that must not plan on capacity another takes meanwhile holds its planning lock).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lightpath/ledger/ledger.h"
#include "lightpath/orchestrator/failures.h"
#include "lightpath/pce/path_engine.h"
#include "lightpath/service/connection.h"

namespace lightpath {

struct TransferRequest {
  std::string a_end, z_end;  // client port ids
  double bytes = 0;
  std::optional<TimePoint> earliest;  // none: now
  TimePoint deadline;
};

// One Ethernet circuit of a transfer: a route, a stretch of time and its rates.
struct TransferLeg {
  std::vector<std::string> nodes, fibers;  // A to Z
  TimePoint start, end;
  std::vector<BandwidthStep> steps;  // the first at `start`; a step where the rate changes
};

struct TransferProposal {
  std::vector<TransferLeg> legs;
  TimePoint finish;     // when the last byte arrives
  double megabits = 0;  // what the legs carry (at least what was asked)
};

struct TransferPlannerOptions {
  std::chrono::seconds slot{300};
  int routes = 4;  // the k shortest, plus a fiber-disjoint pair
  // The most one circuit carries (Ethernet circuits are 50 Mb/s to 100 Gb/s): a route takes
  // as many parallel legs ("lanes") as the ports' speed allows.
  std::uint64_t max_leg_mbps = 100'000;
  std::chrono::hours horizon{24 * 30};  // how far earliestFinish() looks
  // What is down now (failures.h): routes avoid it; an end down is FailedPrecondition.
  std::shared_ptr<const DownSet> down;
};

class TransferPlanner {
 public:
  TransferPlanner(std::shared_ptr<const Topology> topology, const PathEngine& engine,
                  const Ledger& ledger, TransferPlannerOptions options = {});

  // A proposal that carries the bytes between `earliest` (or now) and the deadline on what
  // the ledger has free, or: InvalidArgument naming the field (unknown port, a size of 0 or
  // beyond 10^18 bytes, a deadline in the past or before the earliest start, the same port at
  // both ends); FailedPrecondition when no route joins the ports; ResourceExhausted saying how
  // much of it fits by the deadline.
  Result<TransferProposal> plan(const TransferRequest& request, TimePoint now) const;

  // The earliest the request could be done as the ledger stands (as soon as possible on every
  // route), within the horizon; none when not even then.
  std::optional<TimePoint> earliestFinish(const TransferRequest& request, TimePoint now) const;

 private:
  struct Problem;
  Result<Problem> build(const TransferRequest& request, TimePoint now, TimePoint until) const;

  std::shared_ptr<const Topology> topology_;
  const PathEngine& engine_;
  const Ledger& ledger_;
  TransferPlannerOptions options_;
};

}  // namespace lightpath
