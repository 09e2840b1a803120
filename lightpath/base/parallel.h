// Work over indexes 0..n-1 on every core (up to 8): a start's big reads (device journals, the
// book's holds) are independent item by item.
//
//   Status s = parallelFor(items.size(), [&](std::size_t i) { return decode(items[i]); });
//
// Returns the error of the lowest failing index (what a loop in order would have stopped at);
// no new index is started once one has failed. `work` must be safe to call from several threads
// at once for different indexes.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "lightpath/base/status.h"

namespace lightpath {

inline Status parallelFor(std::size_t n, const std::function<Status(std::size_t)>& work) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex first_mutex;
  std::optional<std::pair<std::size_t, Status>> first;  // the lowest failing index, its error
  auto run = [&] {
    // An index once taken is always run: every index below a failing one was taken before it.
    while (!failed) {
      const std::size_t i = next++;
      if (i >= n) return;
      Status s = work(i);
      if (s.isOk()) continue;
      std::lock_guard lock(first_mutex);
      if (!first || i < first->first) first.emplace(i, std::move(s));
      failed = true;
    }
  };
  {
    const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < std::min<std::size_t>(cores, n); ++t) helpers.emplace_back(run);
    run();
  }
  return first ? first->second : Status::ok();
}

}  // namespace lightpath
