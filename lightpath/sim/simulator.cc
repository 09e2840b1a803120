// The discrete-event loop of the RSA simulator.
#include "lightpath/sim/simulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <queue>

#include "lightpath/base/random.h"
#include "lightpath/pce/path_engine.h"

namespace lightpath {
namespace {

// Two-sided 97.5% Student t quantiles for 1..30 degrees of freedom.
constexpr double kT975[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                            2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                            2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

Estimate meanAndHalfWidth(const std::vector<double>& values) {
  Estimate e;
  if (values.empty()) return e;
  for (double v : values) e.mean += v;
  e.mean /= static_cast<double>(values.size());
  if (values.size() < 2) return e;
  double variance = 0;
  for (double v : values) variance += (v - e.mean) * (v - e.mean);
  variance /= static_cast<double>(values.size() - 1);
  const std::size_t dof = values.size() - 1;
  const double t = dof <= 30 ? kT975[dof - 1] : 1.96;
  e.ci95 = t * std::sqrt(variance / static_cast<double>(values.size()));
  return e;
}

}  // namespace

Estimate blockingEstimate(const std::vector<RunResult>& runs) {
  if (runs.size() == 1) return meanAndHalfWidth(runs[0].batch_blocking);
  std::vector<double> values;
  for (const RunResult& r : runs) values.push_back(r.blocking);
  return meanAndHalfWidth(values);
}

Simulator::Simulator(SimulationSetup setup) : setup_(std::move(setup)) {}

Result<std::unique_ptr<Simulator>> Simulator::create(SimulationSetup setup) {
  if (!setup.topology || setup.topology->nodes().size() < 2) {
    return fail(invalidArgument("simulation needs a topology of at least two nodes"));
  }
  if (setup.slots < 1 || setup.slots > kMaxSlots) {
    return fail(
        invalidArgument(fmt::format("slots must be 1 to {}, got {}", kMaxSlots, setup.slots)));
  }
  if (setup.k < 1 || setup.k > 100)
    return fail(invalidArgument(fmt::format("k must be 1 to 100, got {}", setup.k)));
  if (setup.modulations.empty())
    return fail(invalidArgument("simulation needs at least one modulation format"));
  if (setup.traffic.bitrates_gbps.empty())
    return fail(invalidArgument("simulation needs demand bit rates"));
  for (double b : setup.traffic.bitrates_gbps) {
    if (!(b > 0) || !std::isfinite(b))
      return fail(invalidArgument(fmt::format("bit rate {} is not positive", b)));
  }
  if (!(setup.traffic.mean_holding > 0))
    return fail(invalidArgument("mean holding time must be positive"));
  if (setup.requests < 10) return fail(invalidArgument("simulate at least 10 requests"));
  std::unique_ptr<Simulator> sim(new Simulator(std::move(setup)));
  LP_RETURN_IF_ERROR(sim->precompute());
  return sim;
}

Status Simulator::precompute() {
  const Topology& t = *setup_.topology;
  nodes_ = static_cast<std::uint32_t>(t.nodes().size());
  const PathEngine engine(setup_.topology);
  const PathGraph& graph = engine.graph();
  link_count_ = setup_.bidirectional ? graph.fiberCount() : graph.arcCount();
  fiber_links_.assign(t.fibers().size(), {});
  for (std::uint32_t l = 0; l < link_count_; ++l)
    fiber_links_[setup_.bidirectional ? l : graph.fiber(l)].push_back(l);
  if (setup_.qot) {
    fiber_noise_.clear();
    for (const Fiber& fiber : t.fibers())
      fiber_noise_.push_back(fiberNoise(fiber, 32.0, 0, *setup_.qot));
  }
  PathWorkspace ws;

  // Traffic weights: uniform unless given; cumulative over ordered pairs for drawing.
  const auto& weights = setup_.traffic.pair_weights;
  if (!weights.empty() && weights.size() != std::size_t{nodes_} * nodes_) {
    return invalidArgument(fmt::format("traffic matrix has {} entries; the network needs {} x {}",
                                       weights.size(), nodes_, nodes_));
  }
  double total = 0;
  pair_cumulative_.assign(std::size_t{nodes_} * nodes_, 0);
  for (std::uint32_t s = 0; s < nodes_; ++s) {
    for (std::uint32_t d = 0; d < nodes_; ++d) {
      const double w = s == d ? 0 : (weights.empty() ? 1.0 : weights[std::size_t{s} * nodes_ + d]);
      if (!(w >= 0) || !std::isfinite(w))
        return invalidArgument("traffic matrix entries must be >= 0");
      total += w;
      pair_cumulative_[std::size_t{s} * nodes_ + d] = total;
    }
  }
  if (!(total > 0)) return invalidArgument("traffic matrix has no demand between distinct nodes");

  routes_.assign(std::size_t{nodes_} * nodes_ * setup_.k, Route{});
  for (NodeIndex s = 0; s < nodes_; ++s) {
    for (NodeIndex d = 0; d < nodes_; ++d) {
      if (s == d) continue;
      auto found =
          engine.kShortestPaths({.from = s, .to = d, .metric = setup_.route_metric}, setup_.k, ws);
      if (!found) continue;  // unreachable pair: every demand for it is blocked
      struct Ranked {
        std::vector<std::uint32_t> links;  // directed links in travel order
        Route route;
        double need;  // hops / bits per symbol, for ordering by resources
      };
      std::vector<Ranked> ranked;
      for (const Path& p : *found) {
        Ranked r;
        NodeIndex at = s;
        for (FiberIndex f : p.fibers) {
          if (setup_.bidirectional) {
            r.links.push_back(f);
          } else {
            for (ArcIndex a = graph.arcBegin(at); a < graph.arcEnd(at); ++a) {
              if (graph.fiber(a) == f) {
                r.links.push_back(a);
                break;
              }
            }
          }
          at = t.otherEnd(f, at);
        }
        LP_RETURN_IF_ERROR(segmentRoute(p, r.links, r.route));
        double bits = 1e-9;
        for (std::uint32_t i = 0; i < r.route.segment_count; ++i) {
          const ModulationFormat* f = segments_[r.route.segment_begin + i].format;
          bits = std::max(bits, f ? f->bits_per_symbol : 1e-9);
        }
        r.need = r.route.segment_count ? p.hops() / bits : 1e18;
        ranked.push_back(std::move(r));
      }
      if (setup_.route_order == RouteOrder::Resources) {
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const Ranked& a, const Ranked& b) { return a.need < b.need; });
      }
      for (std::size_t i = 0; i < ranked.size(); ++i) {
        routes_[(std::size_t{s} * nodes_ + d) * setup_.k + i] = ranked[i].route;
      }
    }
  }
  return Status::ok();
}

Status Simulator::segmentRoute(const Path& path, std::vector<std::uint32_t>& links, Route& route) {
  const Topology& t = *setup_.topology;
  route.segment_begin = static_cast<std::uint32_t>(segments_.size());
  auto add = [&](std::size_t from, std::size_t to, const ModulationFormat* format) {
    Segment segment{static_cast<std::uint32_t>(links_.size()),
                    static_cast<std::uint32_t>(to - from), format};
    links_.insert(links_.end(), links.begin() + static_cast<std::ptrdiff_t>(from),
                  links.begin() + static_cast<std::ptrdiff_t>(to));
    segments_.push_back(segment);
  };
  // The densest format that reads fibers [from, to) of the route, by reach and (with QoT) GSNR.
  auto formatFor = [&](std::size_t from, std::size_t to) -> const ModulationFormat* {
    double km = 0;
    for (std::size_t i = from; i < to; ++i) km += t.fiber(path.fibers[i]).length.value();
    std::optional<double> gsnr;
    const ModulationFormat* best = nullptr;
    for (const ModulationFormat& f : setup_.modulations) {
      if (f.max_reach.value() < km) continue;
      if (setup_.qot) {
        if (!gsnr) {
          FiberNoise total;
          for (std::size_t i = from; i < to; ++i) total += fiber_noise_[path.fibers[i]];
          gsnr = combineNoise(total, 32.0, *setup_.qot).gsnr.value();
        }
        if (*gsnr < f.min_gsnr.value() + setup_.qot->load.sys_margins_db) continue;
      }
      if (!best || f.bits_per_symbol > best->bits_per_symbol) best = &f;
    }
    return best;
  };
  const std::size_t n = path.fibers.size();
  if (setup_.spectrum_conversion) {
    const ModulationFormat* format = formatFor(0, n);
    for (std::size_t i = 0; i < n; ++i) add(i, i + 1, format);
  } else if (!setup_.qot) {
    add(0, n, formatFor(0, n));
  } else {
    // Greedy regenerator placement: each segment as long as some format reads it, ending at a
    // node that allows regeneration.
    std::size_t start = 0;
    while (start < n) {
      std::size_t end = start;
      while (end < n && formatFor(start, end + 1)) ++end;
      if (end == start) {  // one fiber no format reads: the route cannot carry anything
        segments_.resize(route.segment_begin);
        route.segment_count = 0;
        return Status::ok();
      }
      if (end < n) {
        while (end > start && !t.node(path.nodes[end]).regeneration) --end;
        if (end == start) {
          segments_.resize(route.segment_begin);
          route.segment_count = 0;
          return Status::ok();
        }
      }
      add(start, end, formatFor(start, end));
      start = end;
    }
  }
  route.segment_count = static_cast<std::uint32_t>(segments_.size()) - route.segment_begin;
  if (route.segment_count != 1) single_segment_ = false;
  return Status::ok();
}

RunResult Simulator::run(RsaPolicy policy, double load_erlang, std::uint64_t seed) const {
  RunResult result{.policy = policy, .load = load_erlang, .seed = seed};
  Random random(seed);
  SpectrumState state(link_count_, setup_.slots);
  RsaScratch scratch;
  const TrafficModel& traffic = setup_.traffic;
  const double mean_interarrival = traffic.mean_holding / load_erlang;
  const std::size_t k = static_cast<std::size_t>(setup_.k);

  // What a demand holds: per segment of its route, the first slot of its block; and, with fiber
  // cuts, since when it is down and for how long it was.
  struct Holding {
    std::uint32_t route;                      // index into routes_
    std::vector<std::uint32_t> first, count;  // per segment
    std::size_t base = 0;                     // its pair's first route
    double gbps = 0, start = 0, end = 0;
    double down_since = -1, downtime = 0, unrestored_downtime = 0;
    bool counted = false;
  };
  std::vector<Holding> holdings;
  std::vector<std::uint32_t> free_holdings;
  using Departure = std::pair<double, std::uint32_t>;
  std::priority_queue<Departure, std::vector<Departure>, std::greater<>> departures;
  std::vector<RsaCandidate> candidates(k);
  std::vector<std::uint32_t> firsts, counts;

  const std::uint64_t total = setup_.warmup + setup_.requests;
  const std::uint64_t batch_size = std::max<std::uint64_t>(1, setup_.requests / 10);
  std::uint64_t batch_requests = 0, batch_blocked = 0;
  double requested_gbps = 0, blocked_gbps = 0;
  double utilization_sum = 0, fragmentation_sum = 0;
  std::uint64_t samples = 0, fragmentation_samples = 0;
  const double slot_links = static_cast<double>(link_count_) * setup_.slots;
  double now = 0;
  auto segmentLinks = [&](const Segment& segment) {
    return std::span<const std::uint32_t>(links_.data() + segment.link_begin, segment.link_count);
  };
  auto slotsOf = [&](const Segment& segment, double gbps) -> std::uint32_t {
    if (!segment.format) return 0;
    const std::uint32_t n = slotsFor(gbps, *segment.format, setup_.slot_ghz, setup_.guard_slots);
    return n > setup_.slots ? 0 : n;
  };

  // Fiber cuts: links down (a count per link), drawn from their own generator so the traffic
  // is the same with and without them.
  const FailureModel& cuts = setup_.failures;
  Random cut_random(seed ^ 0x9e3779b97f4a7c15ULL);
  std::vector<std::uint32_t> link_down(link_count_, 0);
  std::uint32_t links_down = 0;
  struct CutEvent {
    double at;
    std::uint32_t fiber;
    bool repair;
    bool operator>(const CutEvent& o) const { return at > o.at; }
  };
  std::priority_queue<CutEvent, std::vector<CutEvent>, std::greater<>> cut_events;
  std::vector<double> cut_rate(fiber_links_.size(), 0);  // per time unit
  const double unit_hours = cuts.holding_hours / traffic.mean_holding;
  if (cuts.cuts_per_1000km_year > 0) {
    for (std::uint32_t f = 0; f < fiber_links_.size(); ++f) {
      cut_rate[f] = cuts.cuts_per_1000km_year * setup_.topology->fiber(f).length.value() / 1000.0 /
                    8766.0 * unit_hours;
      if (cut_rate[f] > 0) cut_events.push({cut_random.exponential(1 / cut_rate[f]), f, false});
    }
  }
  std::vector<std::uint32_t> down_holdings;
  auto routeUp = [&](const Route& route) {
    if (links_down == 0) return true;
    for (std::uint32_t g = 0; g < route.segment_count; ++g) {
      for (std::uint32_t l : segmentLinks(segments_[route.segment_begin + g]))
        if (link_down[l]) return false;
    }
    return true;
  };

  // Places a demand of `gbps` on one of the k routes from `base` that are up; fills firsts and
  // counts, occupies the spectrum, and returns the route's position.
  auto place = [&](std::size_t base, double gbps) -> std::optional<std::uint32_t> {
    firsts.clear();
    counts.clear();
    if (single_segment_) {
      // Every route is one segment: the policy sees all k at once.
      for (std::size_t r = 0; r < k; ++r) {
        const Route& route = routes_[base + r];
        if (route.segment_count == 0 || !routeUp(route)) {
          candidates[r] = {};
          continue;
        }
        const Segment& segment = segments_[route.segment_begin];
        candidates[r] = {segmentLinks(segment), slotsOf(segment, gbps)};
      }
      auto choice = assignSpectrum(policy, state, candidates, random, scratch);
      if (!choice) return std::nullopt;
      firsts.push_back(choice->first);
      counts.push_back(candidates[choice->route].slots);
      state.occupy(candidates[choice->route].links, choice->first, candidates[choice->route].slots);
      return choice->route;
    }
    // Routes with regenerators or conversion: routes in order, each segment placed by the
    // policy on its own; the first route whose every segment fits wins.
    for (std::size_t r = 0; r < k; ++r) {
      const Route& route = routes_[base + r];
      if (route.segment_count == 0 || !routeUp(route)) continue;
      bool fits = true;
      for (std::uint32_t g = 0; g < route.segment_count && fits; ++g) {
        const Segment& segment = segments_[route.segment_begin + g];
        const RsaCandidate one{segmentLinks(segment), slotsOf(segment, gbps)};
        auto choice = one.slots ? assignSpectrum(policy, state, std::span(&one, 1), random, scratch)
                                : std::nullopt;
        if (!choice) {
          fits = false;
          break;
        }
        state.occupy(one.links, choice->first, one.slots);
        firsts.push_back(choice->first);
        counts.push_back(one.slots);
      }
      if (fits) return static_cast<std::uint32_t>(r);
      for (std::size_t g = 0; g < firsts.size(); ++g) {  // undo this route's segments
        state.release(segmentLinks(segments_[route.segment_begin + g]), firsts[g], counts[g]);
      }
      firsts.clear();
      counts.clear();
    }
    return std::nullopt;
  };
  auto releaseHolding = [&](const Holding& h) {
    const Route& route = routes_[h.route];
    for (std::uint32_t g = 0; g < route.segment_count; ++g)
      state.release(segmentLinks(segments_[route.segment_begin + g]), h.first[g], h.count[g]);
  };
  auto occupyHolding = [&](const Holding& h) {
    const Route& route = routes_[h.route];
    for (std::uint32_t g = 0; g < route.segment_count; ++g)
      state.occupy(segmentLinks(segments_[route.segment_begin + g]), h.first[g], h.count[g]);
  };
  double served = 0, downtime = 0, unrestored_downtime = 0;
  std::vector<char> alive;

  // A fiber cut at `t`: its links go down; every demand on them is restored on another of its
  // routes (when the model restores and one has room) or waits for the repair.
  auto cut = [&](std::uint32_t fiber, double t) {
    const double repaired = t + cut_random.exponential(cuts.repair_hours / unit_hours);
    cut_events.push({repaired, fiber, true});
    for (std::uint32_t l : fiber_links_[fiber]) links_down += link_down[l]++ == 0;
    ++result.cuts;
    for (std::uint32_t id = 0; id < holdings.size(); ++id) {
      Holding& h = holdings[id];
      if (!alive[id] || h.down_since >= 0 || routeUp(routes_[h.route])) continue;
      ++result.hit;
      h.unrestored_downtime += std::min(repaired, h.end) - t;
      if (cuts.restore) {
        releaseHolding(h);
        if (auto r = place(h.base, h.gbps)) {
          h.route = static_cast<std::uint32_t>(h.base + *r);
          h.first.assign(firsts.begin(), firsts.end());
          h.count.assign(counts.begin(), counts.end());
          ++result.restored;
          continue;
        }
        occupyHolding(h);  // it keeps its spectrum for when the fiber is back
      }
      h.down_since = t;
      down_holdings.push_back(id);
    }
  };
  auto repair = [&](std::uint32_t fiber, double t) {
    for (std::uint32_t l : fiber_links_[fiber]) links_down -= --link_down[l] == 0;
    cut_events.push({t + cut_random.exponential(1 / cut_rate[fiber]), fiber, false});
    std::erase_if(down_holdings, [&](std::uint32_t id) {
      Holding& h = holdings[id];
      if (!routeUp(routes_[h.route])) return false;  // another cut still holds it down
      h.downtime += t - h.down_since;
      h.down_since = -1;
      return true;
    });
  };
  auto depart = [&](std::uint32_t id, double t) {
    Holding& h = holdings[id];
    releaseHolding(h);
    if (h.down_since >= 0) {
      h.downtime += t - h.down_since;
      std::erase(down_holdings, id);
    }
    if (h.counted) {
      served += h.end - h.start;
      downtime += h.downtime;
      unrestored_downtime += h.unrestored_downtime;
    }
    alive[id] = 0;
    free_holdings.push_back(id);
  };

  const auto started = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < total; ++i) {
    now += random.exponential(mean_interarrival);
    // Departures, cuts and repairs up to now, in time order.
    for (;;) {
      const double next_departure =
          departures.empty() ? std::numeric_limits<double>::infinity() : departures.top().first;
      const double next_cut =
          cut_events.empty() ? std::numeric_limits<double>::infinity() : cut_events.top().at;
      if (std::min(next_departure, next_cut) > now) break;
      if (next_departure <= next_cut) {
        const std::uint32_t id = departures.top().second;
        departures.pop();
        depart(id, next_departure);
      } else {
        const CutEvent e = cut_events.top();
        cut_events.pop();
        e.repair ? repair(e.fiber, e.at) : cut(e.fiber, e.at);
      }
    }
    // The demand: a pair, a bit rate, a holding time.
    std::uint32_t s, d;
    if (traffic.pair_weights.empty()) {
      s = random.below(nodes_);
      d = random.below(nodes_ - 1);
      d += d >= s;
    } else {
      const double x = random.uniform() * pair_cumulative_.back();
      const auto at = static_cast<std::uint32_t>(
          std::upper_bound(pair_cumulative_.begin(), pair_cumulative_.end(), x) -
          pair_cumulative_.begin());
      s = at / nodes_;
      d = at % nodes_;
    }
    const double gbps =
        traffic
            .bitrates_gbps[random.below(static_cast<std::uint32_t>(traffic.bitrates_gbps.size()))];
    double holding = random.exponential(traffic.mean_holding);
    while (traffic.truncate_holding && holding >= 2 * traffic.mean_holding) {
      holding = random.exponential(traffic.mean_holding);
    }

    const std::size_t base = (std::size_t{s} * nodes_ + d) * k;
    const std::optional<std::uint32_t> chosen = place(base, gbps);
    if (chosen) {
      std::uint32_t id;
      if (free_holdings.empty()) {
        id = static_cast<std::uint32_t>(holdings.size());
        holdings.push_back({});
        alive.push_back(0);
      } else {
        id = free_holdings.back();
        free_holdings.pop_back();
      }
      holdings[id] = {.route = static_cast<std::uint32_t>(base + *chosen),
                      .first = firsts,
                      .count = counts,
                      .base = base,
                      .gbps = gbps,
                      .start = now,
                      .end = now + holding,
                      .counted = i >= setup_.warmup};
      alive[id] = 1;
      departures.push({now + holding, id});
    }
    const bool accepted = chosen.has_value();
    if (i < setup_.warmup) continue;
    ++result.requests;
    ++batch_requests;
    requested_gbps += gbps;
    if (!accepted) {
      ++result.blocked;
      ++batch_blocked;
      blocked_gbps += gbps;
    }
    utilization_sum += static_cast<double>(state.usedSlotLinks()) / slot_links;
    ++samples;
    if ((i & 1023) == 0) {  // fragmentation is costlier: sample it
      double f = 0;
      for (std::uint32_t l = 0; l < link_count_; ++l)
        f += fragmentation(state.freeMask(l), setup_.slots);
      fragmentation_sum += f / link_count_;
      ++fragmentation_samples;
    }
    if (batch_requests == batch_size && result.batch_blocking.size() < 10) {
      result.batch_blocking.push_back(static_cast<double>(batch_blocked) / batch_requests);
      batch_requests = batch_blocked = 0;
    }
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.blocking = result.requests ? static_cast<double>(result.blocked) / result.requests : 0;
  result.bitrate_blocking = requested_gbps > 0 ? blocked_gbps / requested_gbps : 0;
  result.utilization = samples ? utilization_sum / samples : 0;
  result.fragmentation = fragmentation_samples ? fragmentation_sum / fragmentation_samples : 0;
  // Over the demands that ended during the run.
  result.availability = served > 0 ? 1 - downtime / served : 1;
  result.availability_unrestored = served > 0 ? 1 - unrestored_downtime / served : 1;
  return result;
}

}  // namespace lightpath
