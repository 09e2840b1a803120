// Failures of the network as values: what failed (a fiber pair, a shared-risk group, a node),
// the fibers and nodes that takes down, the set of everything down now (which route planning
// avoids), and the record an operator sees: when, why, and what Lightpath did about it.
//
//   auto down = DownSet::of(topology, {{FailureTarget::Kind::Srlg, "conduit-7"}});
//   health.set(std::make_shared<const DownSet>(*down));   // orders now route around it
//   if (down->crosses(topology, realization.fibers, realization.nodes)) ...
//
// Thread-safety: values; NetworkHealth is safe to read and set from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"
#include "lightpath/model/topology.h"

namespace lightpath {

struct FailureTarget {
  enum class Kind { Fiber, Srlg, Node };
  Kind kind = Kind::Fiber;
  std::string id;
  bool operator==(const FailureTarget&) const = default;
};
std::string_view toString(FailureTarget::Kind kind);

// What is down: fibers and nodes, as flags by index plus the lists.
class DownSet {
 public:
  DownSet() = default;
  // The union of `targets` on `topology`; InvalidArgument naming a target that is not in it.
  static Result<DownSet> of(const Topology& topology, const std::vector<FailureTarget>& targets);

  bool fiberDown(FiberIndex f) const { return f < fibers_.size() && fibers_[f]; }
  bool nodeDown(NodeIndex n) const { return n < nodes_.size() && nodes_[n]; }
  const std::vector<FiberIndex>& fibers() const { return fiber_list_; }
  const std::vector<NodeIndex>& nodes() const { return node_list_; }
  bool empty() const { return fiber_list_.empty() && node_list_.empty(); }
  // Whether a route (fiber and node ids) uses anything down.
  bool crosses(const Topology& topology, const std::vector<std::string>& fibers,
               const std::vector<std::string>& nodes) const;

 private:
  std::vector<char> fibers_, nodes_;
  std::vector<FiberIndex> fiber_list_;
  std::vector<NodeIndex> node_list_;
};

// What is down now, shared by the route planner (orders avoid it) and the restorer.
class NetworkHealth {
 public:
  std::shared_ptr<const DownSet> down() const {
    std::lock_guard lock(mutex_);
    return down_;
  }
  void set(std::shared_ptr<const DownSet> down) {
    std::lock_guard lock(mutex_);
    down_ = std::move(down);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const DownSet> down_ = std::make_shared<const DownSet>();
};

// What a failure did (or, from the what-if analysis, would do) to the connections on it.
struct FailureEffect {
  struct Unrestorable {
    std::string id, reason;
    bool operator==(const Unrestorable&) const = default;
  };
  struct Shortfall {  // packet capacity missing on a fiber for the unrestorable to fit
    std::string fiber;
    std::uint64_t mbps = 0;
    bool operator==(const Shortfall&) const = default;
  };
  std::vector<std::string> hit;          // connections whose route used what failed
  std::vector<std::string> switched;     // 1+1: now on the surviving leg
  std::vector<std::string> restored;     // on a new route
  std::vector<std::string> degraded;     // carrying traffic, protection lost
  std::vector<std::string> reprotected;  // protection leg back (after a repair)
  std::vector<Unrestorable> unrestorable;
  std::vector<Shortfall> shortfall;
  bool operator==(const FailureEffect&) const = default;
};

struct FailureRecord {
  std::string id;
  FailureTarget target;
  std::string reason, actor;
  TimePoint at;
  std::optional<TimePoint> repaired_at;
  std::string repaired_by;                 // who recorded the repair
  std::vector<std::string> fibers, nodes;  // what it took down
  FailureEffect effect;                    // when it happened
  FailureEffect repair_effect;             // when it was repaired: restored, no longer degraded
};

std::string failureToJson(const FailureRecord& f);
// InvalidArgument naming the field when a stored document is not a failure.
Result<FailureRecord> failureFromJson(std::string_view text);
// {"hit", "switched", "restored", "degraded", "unrestorable", "shortfall"} as JSON text.
std::string effectToJson(const FailureEffect& e);

}  // namespace lightpath
