// Sizing the per-thread buffers.
#include "lightpath/pce/workspace.h"

namespace lightpath {

void PathWorkspace::prepare(const PathGraph& graph) {
  const std::size_t nodes = graph.nodeCount();
  const std::size_t fibers = graph.fiberCount();
  for (Marks* marks : {&request_nodes, &search_nodes, &reached, &settled, &to_target_known}) {
    marks->resize(nodes);
    marks->clear();
  }
  for (Marks* marks : {&request_fibers, &search_fibers}) {
    marks->resize(fibers);
    marks->clear();
  }
  if (state.size() < nodes) state.resize(nodes, 0);
  if (bound.size() < nodes) bound.resize(nodes);
  if (dist.size() < nodes) dist.resize(nodes);

  if (parent.size() < nodes) parent.resize(nodes);
  if (to_target.size() < nodes) to_target.resize(nodes);
  if (to_target_next.size() < nodes) to_target_next.resize(nodes);
  if (to_target_fiber.size() < nodes) to_target_fiber.resize(nodes);
  if (heap.capacity() < graph.arcCount() + 1) heap.reserve(graph.arcCount() + 1);
}

}  // namespace lightpath
