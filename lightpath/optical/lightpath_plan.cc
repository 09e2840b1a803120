// Mode choice and regenerator placement. Greedy "go as far as the signal reads, regenerate at
// the last node that allows it" is optimal here: feasibility only falls as a segment grows.
#include "lightpath/optical/lightpath_plan.h"

#include <fmt/format.h>

namespace lightpath {
namespace {

bool reads(const Topology& t, std::span<const FiberIndex> fibers, std::size_t from, std::size_t to,
           const TransceiverSpec& trx, const LineSystem& line, QotEstimate* out) {
  double km = 0;
  for (std::size_t i = from; i < to; ++i) km += t.fiber(fibers[i]).length.value();
  if (km > trx.reach.value()) return false;
  QotEstimate q = estimateGsnr(t, fibers.subspan(from, to - from), trx.baud_gbd, line);
  if (out) *out = q;
  return q.gsnr.value() >= trx.min_gsnr.value() + line.margin_db;
}

}  // namespace

Result<LightpathPlan> planLightpath(const Topology& t, std::span<const NodeIndex> nodes,
                                    std::span<const FiberIndex> fibers, Gbps line_rate,
                                    std::span<const TransceiverSpec> catalog, const LineSystem& line) {
  if (fibers.empty() || nodes.size() != fibers.size() + 1) {
    return fail(invalidArgument("a lightpath needs a route of at least one fiber"));
  }
  std::optional<LightpathPlan> best;
  std::string why;
  bool any_mode = false;
  for (const TransceiverSpec& trx : catalog) {
    if (trx.line_rate != line_rate) continue;
    any_mode = true;
    LightpathPlan plan{.transceiver = &trx};
    std::size_t start = 0;
    bool ok = true;
    while (start < fibers.size()) {
      // Furthest end this segment reaches.
      std::size_t end = start;
      QotEstimate q;
      while (end < fibers.size() && reads(t, fibers, start, end + 1, trx, line, nullptr)) ++end;
      if (end == start) {
        QotEstimate single = estimateGsnr(t, fibers.subspan(start, 1), trx.baud_gbd, line);
        why = fmt::format("{}: fiber '{}' alone gives {:.1f} dB GSNR, below the {:.1f} dB it needs "
                          "(with {:.1f} dB margin)", trx.name, t.fiber(fibers[start]).id,
                          single.gsnr.value(), trx.min_gsnr.value() + line.margin_db, line.margin_db);
        ok = false;
        break;
      }
      if (end < fibers.size()) {
        // Step back to the last node in reach that allows regeneration.
        while (end > start && !t.node(nodes[end]).regeneration) --end;
        if (end == start) {
          why = fmt::format("{}: no node between '{}' and '{}' allows regeneration", trx.name,
                            t.node(nodes[start]).id, t.node(nodes[std::min(fibers.size(), start + 1)]).id);
          ok = false;
          break;
        }
      }
      reads(t, fibers, start, end, trx, line, &q);
      plan.segments.push_back({start, end, q});
      start = end;
    }
    if (!ok) continue;
    if (!best || plan.regenerators() < best->regenerators() ||
        (plan.regenerators() == best->regenerators() &&
         trx.slot_width < best->transceiver->slot_width)) {
      best = std::move(plan);
    }
  }
  if (!any_mode) {
    return fail(invalidArgument(fmt::format("no transceiver in the catalog runs at {:g} Gb/s",
                                            line_rate.value())));
  }
  if (!best) return fail(failedPrecondition("no transceiver mode reads this route: " + why));
  return *best;
}

}  // namespace lightpath
