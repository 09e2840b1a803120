#include "lightpath/orchestrator/provisioner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "lightpath/orchestrator/testing/world.h"
#include "lightpath/orchestrator/workflow_runner.h"
#include "lightpath/service/connection_json.h"
#include "lightpath/southbound/drivers/sim/sim_device.h"

namespace lightpath {
namespace {
using testing::ethernet;
using testing::World;

TEST(Provisioner, OrdersAndActivatesAnEthernetCircuit) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  EXPECT_EQ(c->state(), ConnectionState::Provisioning);
  EXPECT_TRUE(c->current().vlan.has_value());
  EXPECT_EQ(c->current().nodes.front(), "dc-ashburn-roadm");
  EXPECT_EQ(w.ledger->holdCount(), 1u);
  ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
  auto active = w.provisioner->get(c->id());
  ASSERT_TRUE(active);
  EXPECT_EQ(active->state(), ConnectionState::Active);
  EXPECT_EQ(active->operState(), OperState::Up);
  for (const std::string& node : active->current().nodes) {
    EXPECT_EQ(w.devices[node]->running()->size(), 1u) << node;
  }
  EXPECT_TRUE(w.provisioner->check().empty());
  ASSERT_TRUE(w.provisioner->terminate(c->id(), "key:1").isOk());
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::Terminated);
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  for (auto& [node, d] : w.devices) EXPECT_TRUE(d->running()->empty()) << node;
  EXPECT_TRUE(w.provisioner->check().empty());
}

// A pinned route is taken as given (the devices on it configured), or refused saying which
// fiber is wrong.
TEST(Provisioner, APinnedRouteIsTakenAsGivenOrRefusedWithWhy) {
  World w;
  PathWorkspace ws;
  auto routes = w.engine.kShortestPaths({.from = *w.engine.resolveNode("dc-ashburn-roadm"),
                                         .to = *w.engine.resolveNode("dc-santa-clara-roadm")},
                                        3, ws);
  ASSERT_TRUE(routes);
  ConnectionSpec spec = ethernet();
  for (FiberIndex f : routes->back().fibers) spec.route.push_back(w.topology->fiber(f).id);
  auto c = w.provisioner->order("acme", spec, "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  EXPECT_EQ(c->current().fibers, spec.route);
  ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
  for (NodeIndex n : routes->back().nodes)
    EXPECT_EQ(w.devices[w.topology->node(n).id]->running()->size(), 1u) << w.topology->node(n).id;
  EXPECT_TRUE(w.provisioner->check().empty());

  auto refused = [&](std::vector<std::string> route) {
    ConnectionSpec bad = ethernet();
    bad.route = std::move(route);
    auto r = w.provisioner->order("acme", bad, "key:1");
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().message();
  };
  EXPECT_EQ(refused({"no-such-fiber"}), "route[0]: no fiber 'no-such-fiber'");
  EXPECT_NE(refused({spec.route[1]}).find("route[0]: fiber '" + spec.route[1] + "' does not leave"),
            std::string::npos);
  EXPECT_NE(refused({spec.route[0]}).find("route: ends at"), std::string::npos);
  ConnectionSpec wide = ethernet(100'000);
  wide.route = spec.route;
  wide.protection = Protection::OnePlusOne;
  EXPECT_FALSE(w.provisioner->order("acme", wide, "key:1"));
}

TEST(Provisioner, ProtectedWavelengthGetsTwoDiverseLegsWithSpectrum) {
  World w;
  ConnectionSpec spec{.kind = ConnectionKind::Wavelength,
                      .a_end = "dc-abilene",
                      .z_end = "dc-memphis",
                      .bandwidth_mbps = 400'000,
                      .protection = Protection::OnePlusOne};
  auto c = w.provisioner->order("acme", spec, "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  const Realization& r = c->current();
  EXPECT_FALSE(r.protection_fibers.empty());
  for (const std::string& f : r.fibers) {
    EXPECT_EQ(std::count(r.protection_fibers.begin(), r.protection_fibers.end(), f), 0) << f;
  }
  EXPECT_FALSE(r.spectrum.empty());
  EXPECT_FALSE(r.transceiver.empty());
  ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
  EXPECT_TRUE(w.provisioner->check().empty());
}

TEST(Provisioner, RefusesWhatTheNetworkCannotCarryAndHoldsNothing) {
  World w;
  auto too_fast = w.provisioner->order("acme", ethernet(500'000), "key:1");
  ASSERT_FALSE(too_fast);
  EXPECT_EQ(too_fast.error().message(),
            "bandwidth_mbps: an Ethernet circuit is 50 Mb/s to 100 Gb/s, got 500000 Mb/s");
  auto spec = ethernet();
  spec.max_latency = Micros(5000);
  auto too_far = w.provisioner->order("acme", spec, "key:1");
  ASSERT_FALSE(too_far);
  EXPECT_NE(too_far.error().message().find("within 5.00 ms"), std::string::npos)
      << too_far.error().message();
  // Fill the A port, then one more is refused by the ledger.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(w.provisioner->order("acme", ethernet(100'000), "key:1"));
  auto full = w.provisioner->order("acme", ethernet(100'000), "key:1");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(w.ledger->holdCount(), 4u);
  EXPECT_TRUE(w.provisioner->check().empty());
}

// A batch straight to active: the same connections orders make (check() agrees with the store,
// the ledger and every device, across a restart), what does not fit counted, and a batch a
// device refuses leaves nothing behind.
TEST(Provisioner, LoadsABatchStraightToActive) {
  World w;
  std::vector<ConnectionSpec> specs(5, ethernet(100'000));  // the A port carries four
  specs.push_back({.kind = ConnectionKind::Wavelength,
                   .a_end = "dc-ashburn",
                   .z_end = "dc-santa-clara",
                   .bandwidth_mbps = 100'000});
  auto report = w.provisioner->load("acme", specs, "bench");
  ASSERT_TRUE(report) << report.error().toString();
  EXPECT_EQ(report->loaded, 5u);
  EXPECT_EQ(report->refused, 1u);
  EXPECT_NE(report->first_refusal.find("port-bandwidth"), std::string::npos)
      << report->first_refusal;
  auto stored = [&] {
    std::vector<Connection> out;
    EXPECT_TRUE(w.store
                    ->read([&](StoreTransaction& tx) -> Status {
                      LP_ASSIGN_OR_RETURN(auto page, tx.connections({.tenant = "acme"}, nullptr));
                      for (const ConnectionRecord& r : page)
                        out.push_back(*w.provisioner->get(r.id));
                      return Status::ok();
                    })
                    .isOk());
    return out;
  };
  const std::vector<Connection> loaded = stored();
  ASSERT_EQ(loaded.size(), 5u);
  for (const Connection& c : loaded) {
    EXPECT_EQ(c.state(), ConnectionState::Active) << c.id();
    EXPECT_EQ(c.operState(), OperState::Up) << c.id();
  }
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
  w.restart();
  EXPECT_EQ(w.ledger->holdCount(), 5u);
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
  // An order after a load is refused for the same reason: the port is full.
  EXPECT_EQ(w.provisioner->order("acme", ethernet(100'000), "key:1").error().code(),
            StatusCode::ResourceExhausted);

  // A device that fails the batch: nothing stored, held or configured from it.
  const ConnectionSpec wavelength = specs.back();
  const std::string victim = w.provisioner->quote(wavelength)->nodes.back();
  w.devices[victim]->setFaults({.fail_at = "apply"});
  auto refused = w.provisioner->load("acme", {wavelength}, "bench");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::Unavailable);
  EXPECT_EQ(w.ledger->holdCount(), 5u);
  EXPECT_EQ(stored().size(), 5u);
  w.devices[victim]->setFaults({});
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
  // What load does not make: workflows of their own. The batch is refused whole, nothing held.
  auto scheduled = wavelength;
  scheduled.start = w.clock.now() + std::chrono::hours(1);
  EXPECT_EQ(w.provisioner->load("acme", {wavelength, scheduled}, "bench").error().code(),
            StatusCode::InvalidArgument);
  EXPECT_EQ(w.ledger->holdCount(), 5u);
}

TEST(Provisioner, ADeviceFailureFailsCleanly) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c);
  const std::string victim = c->current().nodes[2];
  w.devices[victim]->setFaults({.fail_at = "apply"});
  Status s = w.provisioner->activate(c->id());
  EXPECT_EQ(s.code(), StatusCode::Unavailable);
  auto failed = w.provisioner->get(c->id());
  EXPECT_EQ(failed->state(), ConnectionState::Failed);
  EXPECT_NE(failed->history().back().reason.find("apply failed (injected)"), std::string::npos);
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  for (auto& [node, d] : w.devices) EXPECT_TRUE(d->running()->empty()) << node;
  EXPECT_TRUE(w.provisioner->check().empty());
}

TEST(Provisioner, ARestartRebuildsTheLedgerAndFinishesProvisioning) {
  World w;
  auto a = w.provisioner->order("acme", ethernet(), "key:1");
  auto b = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(w.provisioner->activate(a->id()).isOk());
  // b is acknowledged but not yet on the devices when the process dies.
  w.restart();
  EXPECT_EQ(w.ledger->holdCount(), 2u);
  EXPECT_EQ(w.provisioner->get(a->id())->state(), ConnectionState::Active);
  EXPECT_EQ(w.provisioner->get(b->id())->state(), ConnectionState::Active);
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
  // The VLANs stay taken after the restart: a third order gets another one.
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  EXPECT_NE(c->current().vlan, a->current().vlan);
  EXPECT_NE(c->current().vlan, b->current().vlan);
}

// Regression: holds with gaps in their ids (terminated connections) once lost a record when
// a restart renumbered them.
TEST(Provisioner, RestartsAfterTerminationsKeepEveryHold) {
  World w;
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    auto c = w.provisioner->order("acme", ethernet(), "key:1");
    ASSERT_TRUE(c);
    ids.push_back(c->id());
  }
  ASSERT_TRUE(w.provisioner->terminate(ids[0], "key:1").isOk());
  ASSERT_TRUE(w.provisioner->terminate(ids[3], "key:1").isOk());
  for (unsigned restart = 0; restart < 3; ++restart) {
    w.restart();
    const auto violations = w.provisioner->check();
    EXPECT_TRUE(violations.empty()) << violations.front();
    EXPECT_EQ(w.ledger->holdCount(), 4u + restart);
    ASSERT_TRUE(w.provisioner->order("acme", ethernet(), "key:1"));
  }
}

// Fault storm: every device fails a fifth of its prepares and applies at random. Every order
// ends active or failed, and failed ones keep neither capacity nor configuration.
TEST(Provisioner, UnderRandomDeviceFailuresEveryConnectionEndsCleanly) {
  World w;
  for (auto& [node, d] : w.devices) d->setFaults({.failure_rate = 0.2});
  int active = 0, failed = 0;
  for (int i = 0; i < 60; ++i) {
    ConnectionSpec spec = ethernet(100 + 10 * i);
    auto c = w.provisioner->order("acme", spec, "key:1");
    ASSERT_TRUE(c) << c.error().toString();
    (void)w.provisioner->activate(c->id());
    const ConnectionState state = w.provisioner->get(c->id())->state();
    ASSERT_TRUE(state == ConnectionState::Active || state == ConnectionState::Failed)
        << toString(state);
    (state == ConnectionState::Active ? active : failed)++;
  }
  EXPECT_GT(active, 0);
  EXPECT_GT(failed, 0);
  EXPECT_EQ(w.ledger->holdCount(), static_cast<std::size_t>(active));
  const auto violations = w.provisioner->check();
  EXPECT_TRUE(violations.empty()) << violations.front();
}

TEST(Provisioner, UnderFailuresAndHangsAtEveryStepEverythingEndsClean) {
  World w;
  int n = 0;
  for (auto& [node, d] : w.devices) {
    SimFaults faults{.failure_rate = 0.1};
    if (n++ % 10 == 0) {  // every tenth device also hangs, at prepare or apply, past the deadline
      faults.hang_at = n % 20 == 1 ? "prepare" : "apply";
      faults.hang = std::chrono::milliseconds(150);
      faults.hangs = 2;
    }
    d->setFaults(faults);
  }
  std::vector<std::string> active;
  for (int i = 0; i < 40; ++i) {
    ConnectionSpec spec = i % 4 == 3 ? ConnectionSpec{.kind = ConnectionKind::Wavelength,
                                                      .a_end = "dc-ashburn",
                                                      .z_end = "dc-santa-clara",
                                                      .bandwidth_mbps = 200'000}
                                     : ethernet(100 + 10 * i);
    auto c = w.provisioner->order("acme", spec, "key:1");
    ASSERT_TRUE(c) << c.error().toString();
    (void)w.provisioner->activate(c->id());
    const ConnectionState state = w.provisioner->get(c->id())->state();
    ASSERT_TRUE(state == ConnectionState::Active || state == ConnectionState::Failed)
        << toString(state);
    if (state == ConnectionState::Active) active.push_back(c->id());
  }
  ASSERT_FALSE(active.empty());
  EXPECT_LT(active.size(), 40u);  // the faults did bite
  // Terminate half under the same faults; a failed attempt leaves it deprovisioning, a retry ends
  // it.
  for (std::size_t i = 0; i < active.size(); i += 2) {
    Status s;
    for (int attempt = 0; attempt < 20; ++attempt) {
      s = w.provisioner->terminate(active[i], "key:1");
      if (s.isOk()) break;
    }
    ASSERT_TRUE(s.isOk()) << s.toString();
    EXPECT_EQ(w.provisioner->get(active[i])->state(), ConnectionState::Terminated);
  }
  for (auto& [node, d] : w.devices) d->setFaults({});
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // late calls of hung devices land
  EXPECT_EQ(w.ledger->holdCount(), active.size() / 2);
  const auto violations = w.provisioner->check();
  EXPECT_TRUE(violations.empty()) << violations.front();
}

TEST(Provisioner, BookedAheadActivatesAndEndsOnSchedule) {
  World w;
  const TimePoint now = w.clock.now();
  auto spec = ethernet(100'000);
  spec.a_end = "dc-ashburn-p7";  // a 100G port: one booking fills it
  spec.start = now + std::chrono::hours(1);
  spec.end = now + std::chrono::hours(2);
  auto booked = w.provisioner->order("acme", spec, "key:1");
  ASSERT_TRUE(booked) << booked.error().toString();
  EXPECT_EQ(w.provisioner->activate(booked->id()).code(), StatusCode::FailedPrecondition);
  // The port is free now and after the booking, but not during it.
  auto before = ethernet(100'000);
  before.a_end = "dc-ashburn-p7";
  before.end = now + std::chrono::minutes(59);
  EXPECT_TRUE(w.provisioner->order("acme", before, "key:1"));
  auto during = before;
  during.start = now + std::chrono::minutes(90);
  during.end.reset();
  EXPECT_EQ(w.provisioner->order("acme", during, "key:1").error().code(),
            StatusCode::ResourceExhausted);

  w.clock.advance(std::chrono::hours(1));
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  EXPECT_EQ(w.provisioner->get(booked->id())->state(), ConnectionState::Active);
  w.clock.advance(std::chrono::hours(1));
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  EXPECT_EQ(w.provisioner->get(booked->id())->state(), ConnectionState::Terminated);
  // Its start has passed by now (refused as such); from now on, the capacity is free again.
  EXPECT_EQ(w.provisioner->order("acme", during, "key:1").error().message(),
            "start: already in the past; leave it out to start now");
  during.start.reset();
  EXPECT_TRUE(w.provisioner->order("acme", during, "key:1"));
  EXPECT_TRUE(w.provisioner->check().empty());
}

// After a restart the agenda is empty: the first run's scan finds what has a time (it decodes
// whole only connections that have one), and leaves the others alone.
TEST(Provisioner, AfterARestartTheScheduleFindsEveryTimedConnection) {
  World w;
  const TimePoint t0 = w.clock.now();
  auto booked = ethernet(10'000);
  booked.start = t0 + std::chrono::seconds(30);
  auto ending = ethernet(10'000);
  ending.end = t0 + std::chrono::seconds(30);
  auto stepping = ethernet(10'000);
  stepping.steps = {{t0, 10'000}, {t0 + std::chrono::seconds(30), 20'000}};
  std::map<std::string, std::string> ids;
  for (const auto& [name, spec] : std::map<std::string, ConnectionSpec>{
           {"booked", booked}, {"ending", ending}, {"stepping", stepping}, {"plain", ethernet()}}) {
    auto c = w.provisioner->order("acme", spec, "key:1");
    ASSERT_TRUE(c) << name << ": " << c.error().toString();
    if (name != "booked") {
      ASSERT_TRUE(w.provisioner->activate(c->id()).isOk()) << name;
    }
    ids[name] = c->id();
  }
  w.restart();
  w.clock.advance(std::chrono::seconds(31));
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  EXPECT_EQ(w.provisioner->get(ids["booked"])->state(), ConnectionState::Active);
  EXPECT_EQ(w.provisioner->get(ids["ending"])->state(), ConnectionState::Terminated);
  EXPECT_EQ(w.provisioner->get(ids["plain"])->state(), ConnectionState::Active);
  const auto stepped = w.provisioner->get(ids["stepping"]);
  std::string mbps = "none";
  const auto running = w.devices[stepped->current().nodes.front()]->running();
  for (const ConfigEntry& e : *running)
    if (e.owner == stepped->id()) mbps = e.values.at("mbps");
  EXPECT_EQ(mbps, "20000");
  EXPECT_TRUE(w.provisioner->check().empty());
}

// Between the schedule's full scans (one in ten minutes) a run looks only at what is due: a booking
// ordered after the last scan still starts, changes rate and ends on the second, every tick.
TEST(Provisioner, ScheduledMovesHappenOnTimeBetweenScans) {
  World w;
  const TimePoint t0 = w.clock.now();
  ASSERT_TRUE(w.provisioner->runSchedule(t0));  // the first run scans everything
  auto tick = [&] {
    w.clock.advance(std::chrono::seconds(1));
    EXPECT_TRUE(w.provisioner->runSchedule(w.clock.now()));
    return w.clock.now() - t0;
  };
  tick();
  tick();
  auto spec = ethernet(10'000);
  spec.start = t0 + std::chrono::seconds(20);
  spec.steps = {{t0 + std::chrono::seconds(20), 10'000}, {t0 + std::chrono::seconds(75), 20'000}};
  spec.end = t0 + std::chrono::seconds(100);
  auto booked = w.provisioner->order("acme", spec, "key:1");
  ASSERT_TRUE(booked) << booked.error().toString();
  const std::string node = booked->current().nodes.front();
  auto mbps = [&] {
    const auto running = w.devices[node]->running();  // kept: the loop reads into it
    for (const ConfigEntry& e : *running)
      if (e.owner == booked->id()) return e.values.at("mbps");
    return std::string("none");
  };
  for (auto at = tick(); at < std::chrono::seconds(110); at = tick()) {
    const ConnectionState state = w.provisioner->get(booked->id())->state();
    if (at < std::chrono::seconds(20)) {
      EXPECT_EQ(state, ConnectionState::Provisioning);
    } else if (at < std::chrono::seconds(100)) {
      EXPECT_EQ(state, ConnectionState::Active) << "at " << at.count() << " us";
      EXPECT_EQ(mbps(), at < std::chrono::seconds(75) ? "10000" : "20000")
          << "at " << at.count() << " us";
    } else {
      EXPECT_EQ(state, ConnectionState::Terminated) << "at " << at.count() << " us";
    }
  }
  EXPECT_TRUE(w.provisioner->check().empty());
}

TEST(Provisioner, ModifiesBandwidthMakeBeforeBreak) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(10'000), "key:1");
  ASSERT_TRUE(c && w.provisioner->activate(c->id()).isOk());
  ASSERT_TRUE(w.provisioner->modifyBandwidth(c->id(), 50'000, "key:1").isOk());
  auto now = w.provisioner->get(c->id());
  EXPECT_EQ(now->state(), ConnectionState::Active);
  EXPECT_EQ(now->requested().bandwidth_mbps, 50'000u);
  EXPECT_EQ(w.ledger->freeQuantity({ResourceKind::PortBandwidth, 0}, {w.clock.now()}), 350'000u);
  const std::string node = now->current().nodes[1];
  auto mbpsOn = [&](const std::string& id) {
    const auto running = w.devices[node]->running();
    for (const ConfigEntry& e : *running) {
      if (e.owner == id) return e.values.at("mbps");
    }
    return std::string("none");
  };
  EXPECT_EQ(mbpsOn(c->id()), "50000");
  // Room on the route is checked against everyone else: a full 100G port refuses.
  auto small = ethernet(10'000);
  small.a_end = "dc-ashburn-p7";  // 100G
  auto s1 = w.provisioner->order("acme", small, "key:1");
  auto filler = small;
  filler.bandwidth_mbps = 90'000;
  ASSERT_TRUE(s1 && w.provisioner->activate(s1->id()).isOk());
  ASSERT_TRUE(w.provisioner->order("acme", filler, "key:1"));
  Status refused = w.provisioner->modifyBandwidth(s1->id(), 20'000, "key:1");
  EXPECT_EQ(refused.code(), StatusCode::ResourceExhausted) << refused.toString();
  EXPECT_EQ(w.provisioner->get(s1->id())->state(), ConnectionState::Active);
  EXPECT_EQ(w.provisioner->get(s1->id())->requested().bandwidth_mbps, 10'000u);
  EXPECT_EQ(w.provisioner->modifyBandwidth(c->id(), 200'000, "key:1").code(),
            StatusCode::InvalidArgument);
  // A device failure during the change puts everything back.
  w.devices[node]->setFaults({.fail_at = "apply"});
  Status failed = w.provisioner->modifyBandwidth(c->id(), 20'000, "key:1");
  EXPECT_EQ(failed.code(), StatusCode::Unavailable);
  w.devices[node]->setFaults({});
  auto kept = w.provisioner->get(c->id());
  EXPECT_EQ(kept->state(), ConnectionState::Active);
  EXPECT_EQ(kept->requested().bandwidth_mbps, 50'000u);
  EXPECT_EQ(mbpsOn(c->id()), "50000");
  EXPECT_TRUE(w.provisioner->check().empty());
  w.restart();  // the modified hold was persisted
  EXPECT_TRUE(w.provisioner->check().empty());
}

TEST(Provisioner, AHungDeviceTimesOutAndTheRetryGoesThrough) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c);
  const std::string victim = c->current().nodes[1];
  // One apply hangs past the 100 ms deadline; the retry finds the device well.
  w.devices[victim]->setFaults(
      {.hang_at = "apply", .hang = std::chrono::milliseconds(250), .hangs = 1});
  ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::Active);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the late call land
  const auto violations = w.provisioner->check();
  EXPECT_TRUE(violations.empty()) << violations.front();
}

TEST(Provisioner, ADeviceThatKeepsHangingFailsTheConnectionCleanly) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c);
  const std::string victim = c->current().nodes[1];
  w.devices[victim]->setFaults({.hang_at = "prepare", .hang = std::chrono::milliseconds(150)});
  const auto started = std::chrono::steady_clock::now();
  Status s = w.provisioner->activate(c->id());
  EXPECT_EQ(s.code(), StatusCode::Unavailable) << s.toString();
  EXPECT_NE(s.message().find("prepare timed out after 100 ms"), std::string::npos) << s.message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::Failed);
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  std::this_thread::sleep_for(
      std::chrono::milliseconds(800));  // the hung prepares end, aborts follow
  w.devices[victim]->setFaults({});
  EXPECT_EQ(w.devices[victim]->preparedCount(), 0u);
  const auto violations = w.provisioner->check();
  EXPECT_TRUE(violations.empty()) << violations.front();
}

TEST(Provisioner, CheckFindsDrift) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c && w.provisioner->activate(c->id()).isOk());
  w.devices["chicago-roadm"]->tamper({"conn/conn_ghost/working", "conn_ghost", {}});
  auto violations = w.provisioner->check();
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_NE(violations[0].find("conn_ghost, which is not a live connection"), std::string::npos)
      << violations[0];
}

TEST(Provisioner, ReconcileRepairsDrift) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c && w.provisioner->activate(c->id()).isOk());
  const std::string node = w.provisioner->get(c->id())->current().nodes.at(1);
  auto running = w.devices[node]->running();
  ASSERT_TRUE(running && running->size() == 1u);
  ConfigEntry edited = running->front();
  edited.values["vlan"] = "4000";  // an engineer changed the VLAN on the box
  w.devices[node]->tamper(edited);
  w.devices["chicago-roadm"]->tamper({"conn/conn_ghost/working", "conn_ghost", {}});
  auto report = w.provisioner->reconcile(false);
  ASSERT_EQ(report.drift.size(), 2u);
  EXPECT_FALSE(report.clean(false));
  EXPECT_EQ(w.provisioner->check().size(), 2u);
  EXPECT_EQ(w.devices[node]->running()->front(), edited);  // reporting changes nothing
  report = w.provisioner->reconcile(true);
  EXPECT_EQ(report.repaired.size(), 2u);
  EXPECT_TRUE(report.clean(true));
  EXPECT_EQ(w.devices[node]->running()->front(), running->front());
  EXPECT_TRUE(w.provisioner->check().empty());
  EXPECT_TRUE(w.provisioner->reconcile(false).drift.empty());
}

// A device that comes back empty (a restart without its configuration) is refilled for every
// connection that needs it.
TEST(Provisioner, ReconcileRefillsADeviceThatCameBackEmpty) {
  World w;
  std::string first;
  for (int i = 0; i < 5; ++i) {
    auto c = w.provisioner->order("acme", ethernet(100 + i), "key:1");
    ASSERT_TRUE(c && w.provisioner->activate(c->id()).isOk());
    if (first.empty()) first = c->id();
  }
  const std::string node = w.provisioner->get(first)->current().nodes.at(1);
  SimDevice& device = *w.devices.at(node);
  const auto before = device.running();
  ASSERT_TRUE(before && before->size() >= 5u);
  DeviceChange wipe{.transaction = "wipe"};
  for (const ConfigEntry& e : *before) wipe.remove.push_back(e.key);
  ASSERT_TRUE(device.prepare(wipe).isOk() && device.apply("wipe").isOk());
  auto report = w.provisioner->reconcile(true);
  EXPECT_EQ(report.drift.size(), before->size());
  EXPECT_EQ(report.repaired, std::vector<std::string>{node});
  EXPECT_TRUE(report.clean(true));
  auto after = device.running();
  ASSERT_TRUE(after);
  auto byKey = [](std::vector<ConfigEntry> v) {
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return v;
  };
  EXPECT_EQ(byKey(*after), byKey(*before));
  EXPECT_TRUE(w.provisioner->check().empty());
}

// The drift check holds no lock over its sweep, so orders and terminations run beside it: what
// they change while it runs is never reported as drift (suspects are checked again under their
// connection's lock).
TEST(Provisioner, ReconcileBesideOrdersAndTerminationsReportsNoDrift) {
  World w;
  std::atomic<bool> done{false};
  std::thread orders([&] {
    std::vector<std::string> ids;
    for (int i = 0; i < 60; ++i) {
      auto c = w.provisioner->order("acme", ethernet(), "key:1");
      if (c && w.provisioner->activate(c->id()).isOk()) ids.push_back(c->id());
      if (ids.size() > 4) {
        EXPECT_TRUE(w.provisioner->terminate(ids.front(), "key:1").isOk());
        ids.erase(ids.begin());
      }
    }
    done = true;
  });
  int sweeps = 0;
  while (!done || sweeps == 0) {
    const auto report = w.provisioner->reconcile(false);
    EXPECT_TRUE(report.drift.empty()) << report.drift.front();
    EXPECT_TRUE(report.failed.empty()) << report.failed.front();
    ++sweeps;
  }
  orders.join();
  EXPECT_TRUE(w.provisioner->check().empty());
}

}  // namespace
}  // namespace lightpath
