// Dynamic traffic simulation of routing and spectrum assignment: demands arrive as a Poisson
// process between node pairs, hold their spectrum for an exponential time, and are blocked when
// the policy finds no route with a free block. Measures blocking (by demands and by bit rate),
// spectrum use and fragmentation. The engine operators and researchers use to compare
// policies and size networks; deterministic for a given seed.
//
//   SimulationSetup setup = *presetSetup("deeprmsa-nsfnet");
//   auto sim = Simulator::create(setup);                 // k routes per pair, precomputed
//   RunResult r = sim->run(RsaPolicy::KspFirstFit, /*load=*/250, /*seed=*/1);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lightpath/optical/modulation.h"
#include "lightpath/optical/qot.h"
#include "lightpath/optical/rsa.h"
#include "lightpath/pce/path_request.h"

namespace lightpath {

// Order of a pair's k candidate routes.
enum class RouteOrder {
  Length,     // as computed: by the path metric
  Resources,  // by hops / bits per symbol: the spectrum a demand would take (XLRON's default)
};

struct TrafficModel {
  double mean_holding = 25;           // time units
  bool truncate_holding = false;      // redraw holding times of 2 x mean or more (DeepRMSA)
  std::vector<double> bitrates_gbps;  // drawn uniformly
  std::vector<double> pair_weights;   // N x N, row = source; empty = uniform over ordered pairs
};

// Fiber cuts: each fiber is cut as a Poisson process at `cuts_per_1000km_year` x its length and
// repaired after an exponential time (mean `repair_hours`); the demands' mean holding time is
// `holding_hours`, which sets the clock. Demands on a cut fiber are restored on another of their
// k routes with room (`restore`), or wait for the repair.
struct FailureModel {
  double cuts_per_1000km_year = 0;  // 0: no cuts
  double repair_hours = 12;
  double holding_hours = 730;  // a month
  bool restore = true;
};

struct SimulationSetup {
  std::string name;
  std::shared_ptr<const Topology> topology;
  std::uint32_t slots = 100;
  double slot_ghz = kSlotWidthGHz;
  std::uint32_t guard_slots = 1;
  int k = 5;
  Metric route_metric = Metric::Km;
  RouteOrder route_order = RouteOrder::Resources;
  bool bidirectional = false;  // false: each direction of a fiber pair has its own spectrum
  std::vector<ModulationFormat> modulations = deepRmsaModulations();
  // Set: a format must also clear its GSNR, and routes too long for any format are cut into
  // segments at regeneration-capable nodes, each with its own format and spectrum.
  std::optional<OpticalEquipment> qot;
  // Every link converts spectrum (no continuity constraint): a lower bound on blocking.
  bool spectrum_conversion = false;
  TrafficModel traffic;
  FailureModel failures;
  std::uint64_t requests = 100000;
  std::uint64_t warmup = 3000;
};

struct RunResult {
  RsaPolicy policy = RsaPolicy::KspFirstFit;
  double load = 0;
  std::uint64_t seed = 0;
  std::uint64_t requests = 0;  // counted (after warm-up)
  std::uint64_t blocked = 0;
  double blocking = 0;                 // blocked / requests
  double bitrate_blocking = 0;         // blocked Gb/s / requested Gb/s
  double utilization = 0;              // mean fraction of slot-links in use, sampled at arrivals
  double fragmentation = 0;            // mean over links of 1 - largest free block / free slots
  double seconds = 0;                  // wall time of the run (routes excluded)
  std::vector<double> batch_blocking;  // 10 consecutive batches, for confidence intervals
  // With fiber cuts: the share of the demands' time they carried traffic (those that ended in
  // the run), and what it would have been had none been restored; cuts, demands hit, restored.
  double availability = 1, availability_unrestored = 1;
  std::uint64_t cuts = 0, hit = 0, restored = 0;
};

// Mean and 95% half-width over several runs (Student t); a single run uses its batches.
struct Estimate {
  double mean = 0;
  double ci95 = 0;
};
Estimate blockingEstimate(const std::vector<RunResult>& runs);

class Simulator {
 public:
  // Precomputes k routes for every ordered pair and each route's modulation. Fails on a setup
  // that cannot run (too few nodes, no modulation, bad weights).
  static Result<std::unique_ptr<Simulator>> create(SimulationSetup setup);

  const SimulationSetup& setup() const { return setup_; }
  RunResult run(RsaPolicy policy, double load_erlang, std::uint64_t seed) const;

 private:
  // A stretch of a route with one spectrum assignment (the whole route, unless regenerators
  // or spectrum conversion split it).
  struct Segment {
    std::uint32_t link_begin = 0, link_count = 0;  // into links_
    const ModulationFormat* format = nullptr;      // null: no format reaches
  };
  struct Route {
    std::uint32_t segment_begin = 0, segment_count = 0;  // into segments_; 0: no route
  };
  Status segmentRoute(const Path& path, std::vector<std::uint32_t>& links, Route& route);
  explicit Simulator(SimulationSetup setup);
  Status precompute();

  SimulationSetup setup_;
  std::vector<FiberNoise> fiber_noise_;  // per fiber, with QoT: a 32 GBd channel's noise
  std::uint32_t nodes_ = 0;
  std::uint32_t link_count_ = 0;
  std::vector<std::uint32_t> links_;                     // link ids of all segments, concatenated
  std::vector<std::vector<std::uint32_t>> fiber_links_;  // per fiber, its links (1 or 2)
  std::vector<Segment> segments_;
  std::vector<Route> routes_;            // k per ordered pair (missing ones have none)
  bool single_segment_ = true;           // every route one segment: the fast path
  std::vector<double> pair_cumulative_;  // for weighted pair draws
};

}  // namespace lightpath
