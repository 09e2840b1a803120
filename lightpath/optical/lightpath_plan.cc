// Mode choice and regenerator placement. Greedy "go as far as the signal reads, regenerate at
// the last node that allows it" is optimal here: feasibility only falls as a segment grows.
#include "lightpath/optical/lightpath_plan.h"

#include <fmt/format.h>

#include <cmath>

namespace lightpath {
FiberNoiseTable::FiberNoiseTable(const Topology& topology, std::span<const TransceiverSpec> catalog,
                                 const OpticalEquipment& equipment)
    : fibers_(topology.fibers().size()), noise_(catalog.size() * topology.fibers().size()) {
  for (FiberIndex f = 0; f < fibers_; ++f) {
    const auto design = designOms(topology.fiber(f), equipment);  // once: it is the same per mode
    for (std::size_t m = 0; m < catalog.size(); ++m) {
      // Modes of the same symbol rate and grid see the same noise (200G and 400G at 66 GBd).
      std::size_t same = 0;
      while (same < m && (catalog[same].baud_gbd != catalog[m].baud_gbd ||
                          catalog[same].slot_width != catalog[m].slot_width)) {
        ++same;
      }
      FiberNoise& noise = noise_[m * fibers_ + f];
      if (!design) {
        noise = {HUGE_VAL, HUGE_VAL, 0};
      } else if (same < m) {
        noise = noise_[same * fibers_ + f];
      } else {
        noise = fiberNoise(*design, catalog[m].baud_gbd, catalog[m].slot_width.value(), equipment);
      }
    }
  }
}

Result<LightpathPlan> planLightpath(const Topology& t, std::span<const NodeIndex> nodes,
                                    std::span<const FiberIndex> fibers, Gbps line_rate,
                                    std::span<const TransceiverSpec> catalog,
                                    const OpticalEquipment& equipment, const FiberNoiseTable* table,
                                    bool encrypted) {
  if (fibers.empty() || nodes.size() != fibers.size() + 1) {
    return fail(invalidArgument("a lightpath needs a route of at least one fiber"));
  }
  const std::size_t n = fibers.size();
  std::vector<FiberNoise> prefix(n + 1);  // noise of fibers [0, i)
  std::vector<double> km(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) km[i + 1] = km[i] + t.fiber(fibers[i]).length.value();
  std::optional<LightpathPlan> best;
  std::string why;
  bool any_mode = false, any_rate = false;
  const double margin = equipment.load.sys_margins_db;
  for (std::size_t m = 0; m < catalog.size(); ++m) {
    const TransceiverSpec& trx = catalog[m];
    if (trx.line_rate != line_rate) continue;
    any_rate = true;
    if (encrypted && !trx.layer1_encryption) continue;
    any_mode = true;
    for (std::size_t i = 0; i < n; ++i) {
      prefix[i + 1] = prefix[i];
      prefix[i + 1] +=
          table ? table->get(m, fibers[i])
                : fiberNoise(t.fiber(fibers[i]), trx.baud_gbd, trx.slot_width.value(), equipment);
    }
    auto segmentQot = [&](std::size_t from, std::size_t to) {
      return combineNoise(prefix[to] - prefix[from], trx.baud_gbd, equipment);
    };
    auto reads = [&](std::size_t from, std::size_t to) {
      return km[to] - km[from] <= trx.reach.value() &&
             segmentQot(from, to).gsnr.value() >= trx.min_gsnr.value() + margin;
    };
    LightpathPlan plan{.transceiver = &trx};
    std::size_t start = 0;
    bool ok = true;
    while (start < n) {
      // Furthest end this segment reaches.
      std::size_t end = start;
      while (end < n && reads(start, end + 1)) ++end;
      if (end == start) {
        const double alone = segmentQot(start, start + 1).gsnr.value();
        why += fmt::format(
            "{}{}: fiber '{}' alone gives {:.1f} dB GSNR (0.1 nm), short by {:.1f} dB of the "
            "{:.1f} dB it needs ({:g} dB threshold + {:g} dB system margin){}",
            why.empty() ? "" : "; ", trx.name, t.fiber(fibers[start]).id, alone,
            trx.min_gsnr.value() + margin - alone, trx.min_gsnr.value() + margin,
            trx.min_gsnr.value(), margin,
            km[start + 1] - km[start] > trx.reach.value()
                ? fmt::format(", or beyond its {:g} km reach", trx.reach.value())
                : "");
        ok = false;
        break;
      }
      if (end < n) {
        // Step back to the last node in reach that allows regeneration.
        while (end > start && !t.node(nodes[end]).regeneration) --end;
        if (end == start) {
          why += fmt::format("{}{}: no node between '{}' and '{}' allows regeneration",
                             why.empty() ? "" : "; ", trx.name, t.node(nodes[start]).id,
                             t.node(nodes[std::min(n, start + 1)]).id);
          ok = false;
          break;
        }
      }
      plan.segments.push_back({start, end, segmentQot(start, end)});
      start = end;
    }
    if (!ok) continue;
    if (!best || plan.regenerators() < best->regenerators() ||
        (plan.regenerators() == best->regenerators() &&
         trx.slot_width < best->transceiver->slot_width)) {
      best = std::move(plan);
    }
  }
  if (any_rate && !any_mode) {
    return fail(invalidArgument(
        fmt::format("encryption: no {:g} Gb/s transceiver in the catalog encrypts at layer 1",
                    line_rate.value())));
  }
  if (!any_mode) {
    return fail(invalidArgument(
        fmt::format("no transceiver in the catalog runs at {:g} Gb/s", line_rate.value())));
  }
  if (!best) return fail(failedPrecondition("no transceiver mode reads this route: " + why));
  return *best;
}

}  // namespace lightpath
