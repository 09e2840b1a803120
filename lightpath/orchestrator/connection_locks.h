// Changes to one connection (its record, its holds in the ledger, its devices) run one at a
// time: a lock per connection id, striped over a fixed set of mutexes so memory stays constant.
// Not recursive: a unit that holds a connection's lock calls only code that does not take it.
//
//   auto guard = locks.lock(connection_id);
#pragma once

#include <array>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace lightpath {

class ConnectionLocks {
 public:
  [[nodiscard]] std::unique_lock<std::mutex> lock(const std::string& id) const {
    return std::unique_lock(stripes_[std::hash<std::string>{}(id) % stripes_.size()]);
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
  mutable std::array<std::mutex, 64> stripes_;
};

}  // namespace lightpath
