// A 4-ary min-heap of (key, node) with lazy deletion, for the searches' hot loops: shallower
// than a binary heap (fewer cache lines per pop) and no comparator indirection. Ties go to the
// lower node index, so equal-cost searches are deterministic.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "lightpath/pce/workspace.h"

namespace lightpath::pce {

class MinHeap {
 public:
  using Entry = PathWorkspace::HeapEntry;

  // Uses (and empties) the workspace's storage, so pushes allocate nothing once it has grown.
  explicit MinHeap(std::vector<Entry>& storage) : items_(storage) { items_.clear(); }

  bool empty() const { return items_.empty(); }

  [[gnu::always_inline]] void push(double key, std::uint32_t node) {
    std::size_t hole = items_.size();
    items_.push_back({key, node});
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / 4;
      if (!less(key, node, items_[parent])) break;
      items_[hole] = items_[parent];
      hole = parent;
    }
    items_[hole] = {key, node};
  }

  [[gnu::always_inline]] Entry pop() {
    const Entry top = items_.front();
    const Entry last = items_.back();
    items_.pop_back();
    const std::size_t size = items_.size();
    if (size == 0) return top;
    std::size_t hole = 0;
    for (;;) {
      const std::size_t first = 4 * hole + 1;
      if (first >= size) break;
      std::size_t best = first;
      const std::size_t end = first + 4 < size ? first + 4 : size;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (less(items_[c].key, items_[c].node, items_[best])) best = c;
      }
      if (!less(items_[best].key, items_[best].node, last)) break;
      items_[hole] = items_[best];
      hole = best;
    }
    items_[hole] = last;
    return top;
  }

 private:
  static bool less(double key, std::uint32_t node, const Entry& other) {
    return key < other.key || (key == other.key && node < other.node);
  }

  std::vector<Entry>& items_;
};

}  // namespace lightpath::pce
