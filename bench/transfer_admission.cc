// Admitting a bulk transfer on a busy calendar: the demo network with serve's capacities (1.6
// Tb/s of packet capacity per fiber, the ports' speeds), N transfers between data-center ports
// admitted and held step by step in the ledger as ordering holds them, then the time to plan
// one more (routes, the ledger's free capacity per 5-minute slot, the plan, the circuits), p50
// and p99 over 200 requests.
//
//   transfer_admission [--transfers N] [--seed S]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>

#include "lightpath/io/demo_network.h"
#include "lightpath/orchestrator/transfer_planner.h"

namespace lightpath {
namespace {

constexpr TimePoint kNow{std::chrono::seconds(1'800'000'000)};

int run(int argc, char** argv) {
  int transfers = 500;
  unsigned seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--transfers") && i + 1 < argc) {
      transfers = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) {
      seed = static_cast<unsigned>(std::atoi(argv[++i]));
    } else {
      fmt::print(stderr, "usage: transfer_admission [--transfers N] [--seed S]\n");
      return 2;
    }
  }
  auto topology = std::make_shared<const Topology>(*loadDemoNetwork());
  const PathEngine engine(topology);
  Ledger ledger;
  for (FiberIndex f = 0; f < topology->fibers().size(); ++f)
    (void)ledger.addResource({ResourceKind::LinkBandwidth, f}, 1'600'000);
  std::vector<std::uint32_t> dc_ports;  // the data centers' 400G ports
  for (std::uint32_t p = 0; p < topology->ports().size(); ++p) {
    const Port& port = topology->ports()[p];
    (void)ledger.addResource({ResourceKind::PortBandwidth, p},
                             static_cast<std::uint64_t>(port.speed.value() * 1000));
    if (port.id.rfind("dc-", 0) == 0 && port.speed.value() == 400) dc_ports.push_back(p);
  }
  const TransferPlanner planner(topology, engine, ledger);
  std::mt19937_64 random(seed);
  auto request = [&] {
    TransferRequest r;
    const Port* a = nullptr;
    const Port* z = nullptr;
    do {
      a = &topology->ports()[dc_ports[random() % dc_ports.size()]];
      z = &topology->ports()[dc_ports[random() % dc_ports.size()]];
    } while (a->site == z->site);
    r.a_end = a->id;
    r.z_end = z->id;
    const auto start =
        std::chrono::minutes(5) * static_cast<int>(random() % 576U);  // two days of 5-minute slots
    const auto length = std::chrono::minutes(5) * (24 + static_cast<int>(random() % 264U));
    r.earliest = kNow + start;
    r.deadline = kNow + start + length;
    r.bytes = static_cast<double>(10 + random() % 190) * 1e12;
    return r;
  };
  auto portIndex = [&](const std::string& id) {
    for (std::uint32_t p = 0; p < topology->ports().size(); ++p) {
      if (topology->ports()[p].id == id) return p;
    }
    return 0u;
  };
  int admitted = 0, refused = 0;
  while (admitted < transfers && admitted + refused < 20 * transfers) {
    const TransferRequest r = request();
    auto proposal = planner.plan(r, kNow);
    if (!proposal) {
      ++refused;
      continue;
    }
    for (const TransferLeg& leg : proposal->legs) {
      for (std::size_t i = 0; i < leg.steps.size(); ++i) {
        const TimePoint to = i + 1 < leg.steps.size() ? leg.steps[i + 1].at : leg.end;
        const std::uint64_t mbps = leg.steps[i].mbps;
        std::vector<Claim> claims{{{ResourceKind::PortBandwidth, portIndex(r.a_end)}, 0, mbps},
                                  {{ResourceKind::PortBandwidth, portIndex(r.z_end)}, 0, mbps}};
        for (const auto& id : leg.fibers)
          claims.push_back({{ResourceKind::LinkBandwidth, *topology->findFiber(id)}, 0, mbps});
        if (!ledger.reserve("transfer", claims, {leg.steps[i].at, to})) {
          fmt::print(stderr, "the ledger refused a planned step\n");
          return 1;
        }
      }
    }
    ++admitted;
  }
  std::vector<double> ms;
  int fit = 0;
  for (int i = 0; i < 200; ++i) {
    const TransferRequest r = request();
    const auto started = std::chrono::steady_clock::now();
    const bool ok = planner.plan(r, kNow).has_value();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    fit += ok;
  }
  std::sort(ms.begin(), ms.end());
  fmt::print(
      "{} transfers admitted ({} refused on the way), {} holds in the ledger; planning one more: "
      "p50 {:.2f} ms, p99 {:.2f} ms ({} of 200 would fit)\n",
      admitted, refused, ledger.holdCount(), ms[ms.size() / 2], ms[ms.size() * 99 / 100], fit);
  return 0;
}

}  // namespace
}  // namespace lightpath

int main(int argc, char** argv) { return lightpath::run(argc, argv); }
