// The transfer planner: route by route, the one with the most room first, each route's share
// placed by the fill policy on what is free along it (the least free resource of the route per
// slot).
#include "lightpath/transfer/planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "lightpath/base/check.h"

namespace lightpath {

int TimeGrid::firstSlotFrom(TimePoint t) const {
  if (t <= origin) return 0;
  const auto offset = std::chrono::duration_cast<std::chrono::microseconds>(t - origin);
  const auto width = std::chrono::duration_cast<std::chrono::microseconds>(slot);
  const auto s = (offset.count() + width.count() - 1) / width.count();
  return static_cast<int>(std::min<long long>(s, slots));
}

int TimeGrid::slotsBefore(TimePoint t) const {
  if (t <= origin) return 0;
  const auto offset = std::chrono::duration_cast<std::chrono::microseconds>(t - origin);
  const auto width = std::chrono::duration_cast<std::chrono::microseconds>(slot);
  return static_cast<int>(std::min<long long>(offset.count() / width.count(), slots));
}

CapacityTable::CapacityTable(TimeGrid grid, std::size_t resources, std::uint64_t capacity_mbps)
    : grid_(grid),
      resources_(resources),
      free_(resources * static_cast<std::size_t>(std::max(grid.slots, 0)), capacity_mbps) {}

namespace {

Status validate(const CapacityTable& free, const TransferDemand& demand) {
  if (demand.routes.empty()) return invalidArgument("a transfer needs at least one route");
  for (const auto& route : demand.routes) {
    if (route.empty()) return invalidArgument("a route of a transfer has no resource");
    for (std::uint32_t r : route) {
      if (r >= free.resources())
        return invalidArgument(fmt::format("resource {} is not in the capacity table", r));
    }
  }
  if (demand.first_slot < 0 || demand.end_slot > free.grid().slots ||
      demand.first_slot > demand.end_slot) {
    return invalidArgument(fmt::format("window [{}, {}) is not inside the {} slots planned",
                                       demand.first_slot, demand.end_slot, free.grid().slots));
  }
  if (!(demand.megabits > 0)) return invalidArgument("a transfer must carry some bytes");
  if (demand.step_mbps == 0) return invalidArgument("the rate step must be positive");
  return Status::ok();
}

// What is free in the window on the routes' resources, less what this plan took so far.
class Scratch {
 public:
  Scratch(const CapacityTable& free, const TransferDemand& demand)
      : first_(demand.first_slot), width_(demand.end_slot - demand.first_slot) {
    for (const auto& route : demand.routes) {
      for (std::uint32_t r : route) {
        if (row_.contains(r)) continue;
        row_[r] = row_.size();
        for (int s = demand.first_slot; s < demand.end_slot; ++s)
          cells_.push_back(free.freeMbps(r, s));
      }
    }
  }
  // The route's rate in window slot i: its least free resource.
  std::uint64_t available(const std::vector<std::uint32_t>& route, int i) const {
    std::uint64_t least = ~std::uint64_t{0};
    for (std::uint32_t r : route) least = std::min(least, cell(r, i));
    return least;
  }
  void take(const std::vector<std::uint32_t>& route, int i, std::uint64_t mbps) {
    for (std::uint32_t r : route) cells_[row_.at(r) * width_ + i] -= mbps;
  }
  int width() const { return width_; }
  int first() const { return first_; }

 private:
  std::uint64_t cell(std::uint32_t r, int i) const { return cells_[row_.at(r) * width_ + i]; }
  int first_, width_;
  std::unordered_map<std::uint32_t, std::size_t> row_;
  std::vector<std::uint64_t> cells_;
};

std::uint64_t roundDown(std::uint64_t mbps, std::uint64_t step) { return mbps / step * step; }

// Rates per window slot on one route carrying `need` Mb (or all it can), by the fill policy.
std::vector<std::uint64_t> fillRoute(const std::vector<std::uint64_t>& available, double need,
                                     double dt, std::uint64_t step, TransferFill fill) {
  std::vector<std::uint64_t> rates(available.size(), 0);
  double all = 0;
  for (std::uint64_t a : available) all += static_cast<double>(a) * dt;
  if (all <= need) return available;  // the route gives all it has
  if (fill == TransferFill::Earliest) {
    double left = need;
    for (std::size_t i = 0; i < available.size() && left > 0; ++i) {
      const auto want =
          static_cast<std::uint64_t>(std::ceil(left / dt / static_cast<double>(step)));
      rates[i] = std::min(available[i], want * step);
      left -= static_cast<double>(rates[i]) * dt;
    }
    return rates;
  }
  // Even: the least cap (in steps) under which the route still carries `need`; Level: the
  // highest level of free capacity left (in steps) above which the route still carries it.
  const std::uint64_t top = *std::max_element(available.begin(), available.end());
  auto rateAt = [&](std::uint64_t a, std::uint64_t cap) {
    return fill == TransferFill::Even ? std::min(a, cap) : (a > top - cap ? a - (top - cap) : 0);
  };
  auto carried = [&](std::uint64_t cap) {
    double sum = 0;
    for (std::uint64_t a : available) sum += static_cast<double>(rateAt(a, cap)) * dt;
    return sum;
  };
  std::uint64_t low = 0, high = *std::max_element(available.begin(), available.end()) / step;
  while (low + 1 < high) {  // carried(low * step) < need <= carried(high * step)
    const std::uint64_t mid = (low + high) / 2;
    (carried(mid * step) >= need ? high : low) = mid;
  }
  double excess = carried(high * step) - need;
  for (std::size_t i = 0; i < available.size(); ++i) rates[i] = rateAt(available[i], high * step);
  // Trim what is carried beyond the need from the last slots, a step at a time.
  for (std::size_t i = rates.size(); i-- > 0 && excess >= static_cast<double>(step) * dt;) {
    const auto steps = std::min<std::uint64_t>(
        rates[i] / step, static_cast<std::uint64_t>(excess / (static_cast<double>(step) * dt)));
    rates[i] -= steps * step;
    excess -= static_cast<double>(steps * step) * dt;
  }
  return rates;
}

}  // namespace

Result<TransferPlan> planTransfer(const CapacityTable& free, const TransferDemand& demand,
                                  TransferFill fill, std::size_t routes) {
  LP_RETURN_IF_ERROR(validate(free, demand));
  const std::size_t used =
      routes == 0 ? demand.routes.size() : std::min(routes, demand.routes.size());
  const double dt = free.grid().slotSeconds();
  Scratch scratch(free, demand);
  TransferPlan plan;
  double left = demand.megabits;
  // The route with the most room in the window first: the load goes where the network has it,
  // not onto the shortest route everyone else needs too (on the demo network's data centers
  // with 100 transfers this admits 98.5% of the LP bound where shortest-first admits 89.6%:
  // docs/benchmarks.md).
  std::vector<std::size_t> by_room(used);
  std::vector<double> room(used, 0);
  for (std::size_t q = 0; q < used; ++q) {
    by_room[q] = q;
    for (int i = 0; i < scratch.width(); ++i)
      room[q] += static_cast<double>(scratch.available(demand.routes[q], i));
  }
  std::stable_sort(by_room.begin(), by_room.end(),
                   [&](std::size_t x, std::size_t y) { return room[x] > room[y]; });
  for (std::size_t q : by_room) {
    if (left <= 0) break;
    const auto& route = demand.routes[q];
    std::vector<std::uint64_t> available(scratch.width());
    for (int i = 0; i < scratch.width(); ++i)
      available[i] = roundDown(scratch.available(route, i), demand.step_mbps);
    const std::vector<std::uint64_t> rates = fillRoute(available, left, dt, demand.step_mbps, fill);
    for (int i = 0; i < scratch.width(); ++i) {
      if (rates[i] == 0) continue;
      scratch.take(route, i, rates[i]);
      plan.rates.push_back({static_cast<int>(q), scratch.first() + i, rates[i]});
      plan.megabits += static_cast<double>(rates[i]) * dt;
      plan.finish_slot = std::max(plan.finish_slot, scratch.first() + i + 1);
      left -= static_cast<double>(rates[i]) * dt;
    }
  }
  if (left > 0) {
    return fail(
        resourceExhausted(fmt::format("the routes carry {:.1f}% of the bytes inside the window",
                                      100.0 * plan.megabits / demand.megabits)));
  }
  return plan;
}

double deliverableMegabits(const CapacityTable& free, const TransferDemand& demand,
                           std::size_t routes) {
  if (!validate(free, demand).isOk()) return 0;
  const std::size_t used =
      routes == 0 ? demand.routes.size() : std::min(routes, demand.routes.size());
  const double dt = free.grid().slotSeconds();
  Scratch scratch(free, demand);
  double sum = 0;
  for (std::size_t q = 0; q < used; ++q) {
    for (int i = 0; i < scratch.width(); ++i) {
      const std::uint64_t a = roundDown(scratch.available(demand.routes[q], i), demand.step_mbps);
      scratch.take(demand.routes[q], i, a);
      sum += static_cast<double>(a) * dt;
    }
  }
  return sum;
}

void takePlan(CapacityTable& free, const TransferDemand& demand, const TransferPlan& plan) {
  for (const TransferRate& rate : plan.rates) {
    for (std::uint32_t r : demand.routes[rate.route]) {
      LP_CHECK(free.freeMbps(r, rate.slot) >= rate.mbps, "a plan takes only what is free");
      free.setFree(r, rate.slot, free.freeMbps(r, rate.slot) - rate.mbps);
    }
  }
}

void returnPlan(CapacityTable& free, const TransferDemand& demand, const TransferPlan& plan) {
  for (const TransferRate& rate : plan.rates) {
    for (std::uint32_t r : demand.routes[rate.route])
      free.setFree(r, rate.slot, free.freeMbps(r, rate.slot) + rate.mbps);
  }
}

namespace {

// The part of `plan` in slots before `now`, and what it carries.
TransferPlan pastPart(const TransferPlan& plan, int now, double dt) {
  TransferPlan past;
  for (const TransferRate& r : plan.rates) {
    if (r.slot >= now) continue;
    past.rates.push_back(r);
    past.megabits += static_cast<double>(r.mbps) * dt;
    past.finish_slot = std::max(past.finish_slot, r.slot + 1);
  }
  return past;
}

TransferPlan futurePart(const TransferPlan& plan, int now) {
  TransferPlan future;
  for (const TransferRate& r : plan.rates) {
    if (r.slot >= now) future.rates.push_back(r);
  }
  return future;
}

// One attempt at planning `admitted` (their future parts given back already) and `demand`
// again, earliest deadline first, with one fill: true with the table updated and the plans
// replaced, or false with the table as it was.
bool replanTogether(CapacityTable& free, const std::vector<AdmittedTransfer*>& admitted,
                    AdmittedTransfer& incoming, int now, TransferFill fill) {
  const double dt = free.grid().slotSeconds();
  std::vector<AdmittedTransfer*> order = admitted;
  order.push_back(&incoming);  // last among equal deadlines
  std::stable_sort(order.begin(), order.end(),
                   [](const AdmittedTransfer* x, const AdmittedTransfer* y) {
                     return x->demand.end_slot < y->demand.end_slot;
                   });
  std::vector<std::pair<AdmittedTransfer*, TransferPlan>> replanned;
  for (AdmittedTransfer* a : order) {
    TransferPlan whole = pastPart(a->plan, now, dt);
    TransferDemand rest = a->demand;
    rest.first_slot = std::max(rest.first_slot, now);
    rest.megabits = a->demand.megabits - whole.megabits;
    if (rest.megabits > 0) {
      auto plan = planTransfer(free, rest, fill);
      if (!plan) {
        for (const auto& [b, taken] : replanned)
          returnPlan(free, b->demand, futurePart(taken, now));
        return false;
      }
      takePlan(free, rest, *plan);
      whole.rates.insert(whole.rates.end(), plan->rates.begin(), plan->rates.end());
      whole.megabits += plan->megabits;
      whole.finish_slot = std::max(whole.finish_slot, plan->finish_slot);
    }
    replanned.push_back({a, std::move(whole)});
  }
  for (auto& [a, plan] : replanned) {
    std::sort(plan.rates.begin(), plan.rates.end(),
              [](const TransferRate& x, const TransferRate& y) {
                return std::tie(x.route, x.slot) < std::tie(y.route, y.slot);
              });
    a->plan = std::move(plan);
  }
  return true;
}

}  // namespace

Result<TransferPlan> admitTransfer(CapacityTable& free, std::vector<AdmittedTransfer*> admitted,
                                   const TransferDemand& demand, int now, TransferFill fill) {
  auto direct = planTransfer(free, demand, fill);
  if (direct || direct.error().code() != StatusCode::ResourceExhausted) {
    if (direct) takePlan(free, demand, *direct);
    return direct;
  }
  // The admitted transfers that can still move and share time with the new one.
  std::erase_if(admitted, [&](const AdmittedTransfer* a) {
    return a->demand.end_slot <= std::max(now, demand.first_slot) ||
           a->demand.first_slot >= demand.end_slot || a->plan.finish_slot <= now;
  });
  if (admitted.empty()) return direct;
  for (AdmittedTransfer* a : admitted) returnPlan(free, a->demand, futurePart(a->plan, now));
  AdmittedTransfer incoming{demand, {}};
  // Spread first (room for later arrivals); as soon as possible in deadline order next, which
  // finds a schedule whenever one exists on a single bottleneck.
  for (TransferFill attempt : {fill, TransferFill::Earliest}) {
    if (replanTogether(free, admitted, incoming, now, attempt)) return incoming.plan;
    if (attempt == TransferFill::Earliest) break;
  }
  for (AdmittedTransfer* a : admitted) takePlan(free, a->demand, futurePart(a->plan, now));
  return direct;
}

}  // namespace lightpath
