// Where the time of a NETCONF change goes, on one lab device (scripts/lab.sh): opening a
// session (SSH handshake, key auth, NETCONF hello), reading Lightpath's lists (<get-config>),
// the device's validation (test-only <edit-config>), and applying (<edit-config> to running, or
// to the candidate + <commit>). Medians and p99 in ms over the rounds; opening a session per
// change instead of keeping one is what the driver's session reuse saves.
//
// Usage: netconf_session_bench DEVICES.json NODE [ROUNDS]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <vector>

#include "lightpath/southbound/drivers/netconf/devices_file.h"
#include "lightpath/southbound/entries.h"

using namespace lightpath;
using Steady = std::chrono::steady_clock;

namespace {

double ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void report(const char* step, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  fmt::print("{:<34} median {:7.2f} ms   p99 {:7.2f} ms   ({} rounds)\n", step, v[v.size() / 2],
             v[std::min(v.size() - 1, v.size() * 99 / 100)], v.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} DEVICES.json NODE [ROUNDS]\n", argv[0]);
    return 2;
  }
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 200;
  auto devices = readDevicesFile(argv[1]);
  if (!devices || !devices->contains(argv[2])) {
    fmt::print(stderr, "{}\n", devices ? "no such node" : devices.error().message());
    return 2;
  }
  NetconfNode node = devices->at(argv[2]);
  auto dialect = makeDialect(node.dialect, [](const std::string&) { return 191300000ull; });
  std::map<std::string, std::vector<double>> times;
  std::unique_ptr<NetconfSession> session;
  for (int i = 0; i < std::min(rounds, 50); ++i) {
    const auto t0 = Steady::now();
    auto opened = NetconfSession::open(node.access);
    if (!opened) {
      fmt::print(stderr, "{}\n", opened.error().message());
      return 1;
    }
    times["open session (ssh + hello)"].push_back(ms(Steady::now() - t0));
    session = std::move(*opened);
  }
  const Datastore target =
      session->supports(":candidate") ? Datastore::Candidate : Datastore::Running;
  for (int i = 0; i < rounds; ++i) {
    const ConfigEntry e =
        node.dialect == "switch"
            ? clientServiceEntry({fmt::format("bench{}", i), "working", "f1", "", 100, 1000})
            : crossConnectEntry({fmt::format("bench{}", i),
                                 "working",
                                 "f1",
                                 "f2",
                                 {{"f1", "0+6"}, {"f2", "0+6"}},
                                 "400G"});
    const std::string set = (*dialect)->edit({e}, {}, {}).value();
    const std::string remove = (*dialect)->edit({}, {e.key}, {{e.key, e}}).value();
    auto timed = [&](const char* step, auto fn) {
      const auto t0 = Steady::now();
      Status s = fn();
      times[step].push_back(ms(Steady::now() - t0));
      if (!s.isOk()) fmt::print(stderr, "{}: {}\n", step, s.message());
    };
    timed("get-config (Lightpath's lists)",
          [&] { return statusOf(session->getConfig(Datastore::Running, (*dialect)->filter())); });
    timed("validate (test-only edit)", [&] { return session->edit(target, set, true); });
    auto apply = [&](const std::string& config) {
      Status s = session->edit(target, config, false);
      if (s.isOk() && target == Datastore::Candidate) s = session->commit();
      return s;
    };
    timed(
        target == Datastore::Candidate ? "apply (edit candidate + commit)" : "apply (edit running)",
        [&] { return apply(set); });
    timed("remove (same, the inverse)", [&] { return apply(remove); });
  }
  fmt::print("{} ({} dialect, {}):\n", argv[2], node.dialect,
             target == Datastore::Candidate ? ":candidate" : "running only");
  for (auto& [step, v] : times) report(step.c_str(), std::move(v));
  return 0;
}
