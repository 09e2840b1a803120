// Changes to one connection (its record, its holds in the ledger, its devices) run one at a
// time: a lock per connection id, striped over a fixed set of mutexes so memory stays constant.
// Not recursive: a unit that holds a connection's lock calls only code that does not take it.
//
//   auto guard = locks.lock(connection_id);
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace lightpath {

class ConnectionLocks {
 public:
  [[nodiscard]] std::unique_lock<std::mutex> lock(const std::string& id) const {
    return std::unique_lock(stripes_[stripeOf(id)]);
  }
  // These connections at once (a repair of many): their stripes in order, as lockAll takes them.
  [[nodiscard]] std::vector<std::unique_lock<std::mutex>> lockMany(
      const std::vector<std::string>& ids) const {
    std::vector<std::size_t> stripes;
    stripes.reserve(ids.size());
    for (const std::string& id : ids) stripes.push_back(stripeOf(id));
    std::sort(stripes.begin(), stripes.end());
    stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
    std::vector<std::unique_lock<std::mutex>> held;
    held.reserve(stripes.size());
    for (std::size_t stripe : stripes) held.emplace_back(stripes_[stripe]);
    return held;
  }
  // Every connection at once (a restoration changes many together): the stripes in order, so
  // it cannot deadlock with another lockAll, and no unit holds one stripe while taking another.
  [[nodiscard]] std::vector<std::unique_lock<std::mutex>> lockAll() const {
    std::vector<std::unique_lock<std::mutex>> all;
    all.reserve(stripes_.size());
    for (std::mutex& m : stripes_) all.emplace_back(m);
    return all;
  }

 private:
  std::size_t stripeOf(const std::string& id) const {
    return std::hash<std::string>{}(id) % stripes_.size();
  }
  mutable std::array<std::mutex, 64> stripes_;
};

}  // namespace lightpath
