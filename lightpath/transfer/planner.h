// Deadline-guaranteed bulk transfers, planned over time: "these bytes there by then". Time is cut
// into equal slots; each resource a transfer can use (a fiber direction, a port) has a free
// rate per slot; a transfer's candidate routes are lists of resources. A plan is a rate per
// route per slot that fits what is free and adds up to the bytes between the earliest start and
// the deadline, or no plan.
//
//   TimeGrid grid{.origin = t0, .slot = std::chrono::minutes(5), .slots = 2016};
//   CapacityTable free(grid, resource_count, 400'000);   // 400 Gb/s everywhere
//   TransferDemand demand{.routes = {{0, 3}, {1, 4, 5}}, .megabits = 8e9,
//                         .first_slot = 0, .end_slot = grid.slotsBefore(deadline)};
//   Result<TransferPlan> plan = planTransfer(free, demand);
//   if (plan) free.take(*plan, demand);                    // admitted: the capacity is its own
//
// Pure and single-threaded: the caller owns the table and serialises changes to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"

namespace lightpath {

// Equal slots from `origin`: slot s is [origin + s * slot, origin + (s + 1) * slot).
struct TimeGrid {
  TimePoint origin;
  std::chrono::seconds slot{300};
  int slots = 0;

  TimePoint start(int s) const { return origin + slot * s; }
  // The first slot that starts at or after `t` (a window's first whole slot), clamped to
  // [0, slots].
  int firstSlotFrom(TimePoint t) const;
  // The number of slots that end at or before `t` (a window's end, exclusive), clamped.
  int slotsBefore(TimePoint t) const;
  double slotSeconds() const { return static_cast<double>(slot.count()); }
};

// What each resource has free in each slot, in Mb/s.
class CapacityTable {
 public:
  CapacityTable(TimeGrid grid, std::size_t resources, std::uint64_t capacity_mbps);
  const TimeGrid& grid() const { return grid_; }
  std::size_t resources() const { return resources_; }
  std::uint64_t freeMbps(std::size_t resource, int slot) const {
    return free_[resource * static_cast<std::size_t>(grid_.slots) + slot];
  }
  // Sets what is free (a ledger's profile, a failure's zero); for the planner's caller.
  void setFree(std::size_t resource, int slot, std::uint64_t mbps) {
    free_[resource * static_cast<std::size_t>(grid_.slots) + slot] = mbps;
  }

 private:
  TimeGrid grid_;
  std::size_t resources_;
  std::vector<std::uint64_t> free_;
};

// One transfer as the planner sees it. The planner fills the route with the most room in the
// window first (ties: the order given, shortest first) and uses another only for what the
// ones before cannot carry.
struct TransferDemand {
  std::vector<std::vector<std::uint32_t>> routes;  // resources of each candidate route
  double megabits = 0;                             // what must arrive
  int first_slot = 0, end_slot = 0;                // the window, in whole slots [first, end)
  std::uint64_t step_mbps = 1000;                  // rates are whole multiples of this
};

// How a plan places its bytes in the window.
enum class TransferFill {
  // Spread as evenly as the free capacity allows (the least peak rate that meets the deadline,
  // route by route): leaves room at every moment for transfers admitted later.
  Even,
  // As soon as possible on each route: the earliest finish.
  Earliest,
  // Where the route has the most free (the most free left the same everywhere it is used, a
  // water level): keeps the least free capacity of the window as large as it can be.
  Level,
};

struct TransferRate {
  int route = 0;  // index into TransferDemand::routes
  int slot = 0;
  std::uint64_t mbps = 0;
  bool operator==(const TransferRate&) const = default;
};

struct TransferPlan {
  std::vector<TransferRate> rates;  // by route, then slot; no zero rates
  double megabits = 0;              // what the rates carry (>= the demand's)
  int finish_slot = 0;              // the slot after the last one used
};

// A plan that carries the demand's megabits inside its window on what `free` has, or
// ResourceExhausted saying how much of it fits. `routes` limits how many candidates are used
// (0: all). InvalidArgument for a malformed demand (no route, a resource or slot out of range).
Result<TransferPlan> planTransfer(const CapacityTable& free, const TransferDemand& demand,
                                  TransferFill fill = TransferFill::Even, std::size_t routes = 0);

// The most the demand's routes can carry inside its window (Mb), used or not.
double deliverableMegabits(const CapacityTable& free, const TransferDemand& demand,
                           std::size_t routes = 0);

// Takes a plan's rates from the table (what admitting it means); the plan must have been made
// on this table with nothing taken since.
void takePlan(CapacityTable& free, const TransferDemand& demand, const TransferPlan& plan);
// Gives them back (a transfer cancelled or re-planned).
void returnPlan(CapacityTable& free, const TransferDemand& demand, const TransferPlan& plan);

// A transfer admitted earlier: what it asked and the plan the table holds for it.
struct AdmittedTransfer {
  TransferDemand demand;
  TransferPlan plan;
};

// Admission with rearrangement: `demand` is planned on `free` as it is; failing that, the
// not-yet-run parts (slots from `now`) of the admitted transfers whose windows overlap its
// window are planned again together with it, earliest deadline first. Either all of them fit
// — the admitted plans are replaced, every guarantee kept, the table updated and the new plan
// returned (and taken) — or nothing changes and the planner's reason is returned.
Result<TransferPlan> admitTransfer(CapacityTable& free, std::vector<AdmittedTransfer*> admitted,
                                   const TransferDemand& demand, int now,
                                   TransferFill fill = TransferFill::Even);

}  // namespace lightpath
