// Failures answered on the demo network: restoration, 1+1 switching, down with the reason,
// repair, the what-if analysis against the real thing, and a pass cut short by a restart.
#include "lightpath/orchestrator/restoration.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "lightpath/orchestrator/testing/world.h"

namespace lightpath {
namespace {
using testing::ethernet;
using testing::World;

bool lists(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

Connection activeConnection(World& w, ConnectionSpec spec) {
  auto c = w.provisioner->order("acme", std::move(spec), "key:1");
  EXPECT_TRUE(c) << c.error().toString();
  EXPECT_TRUE(w.provisioner->activate(c->id()).isOk());
  return *w.provisioner->get(c->id());
}

// Every event type the store holds for one connection, oldest first.
std::vector<std::string> eventTypes(World& w, const std::string& id) {
  std::vector<std::string> types;
  EXPECT_TRUE(w.store
                  ->read([&](StoreTransaction& tx) -> Status {
                    LP_ASSIGN_OR_RETURN(auto events, tx.eventsAfter(0, 10000));
                    for (const EventRecord& e : events)
                      if (e.subject == id) types.push_back(e.type);
                    return Status::ok();
                  })
                  .isOk());
  return types;
}

TEST(Restoration, CutFiberRestoresOnANewRouteKeepingTheVlan) {
  World w;
  const Connection before = activeConnection(w, ethernet());
  const std::string cut = before.current().fibers[2];
  auto failure = w.provisioner->recordFailure({FailureTarget::Kind::Fiber, cut}, "backhoe", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  EXPECT_EQ(failure->effect.hit, std::vector<std::string>{before.id()});
  EXPECT_EQ(failure->effect.restored, std::vector<std::string>{before.id()});
  const Connection after = *w.provisioner->get(before.id());
  EXPECT_EQ(after.state(), ConnectionState::Active);
  EXPECT_EQ(after.operState(), OperState::Up);
  EXPECT_FALSE(lists(after.current().fibers, cut));
  EXPECT_EQ(after.current().vlan, before.current().vlan);
  EXPECT_EQ(after.current().price, before.current().price);
  ASSERT_EQ(after.outages().size(), 1u);
  EXPECT_TRUE(after.outages()[0].end.has_value());
  EXPECT_TRUE(lists(eventTypes(w, before.id()), "connection.restored"));
  // The dead route's capacity is back; the new route's is held.
  EXPECT_EQ(w.ledger->freeQuantity({ResourceKind::LinkBandwidth, *w.topology->findFiber(cut)},
                                   {w.clock.now(), TimePoint::max()}),
            1'600'000u);
  for (const std::string& node : after.current().nodes) {
    EXPECT_EQ(w.devices[node]->running()->size(), 1u) << node;
  }
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
  // New orders route around it too.
  auto quote = w.provisioner->quote(ethernet());
  ASSERT_TRUE(quote);
  EXPECT_FALSE(lists(quote->fibers, cut));
}

TEST(Restoration, ProtectedConnectionSwitchesAndRepairBringsProtectionBack) {
  World w;
  ConnectionSpec spec = ethernet();
  spec.protection = Protection::OnePlusOne;
  const Connection before = activeConnection(w, spec);
  const std::string cut = before.current().fibers.front();
  auto failure = w.provisioner->recordFailure({FailureTarget::Kind::Fiber, cut}, "", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  EXPECT_EQ(failure->effect.switched, std::vector<std::string>{before.id()});
  EXPECT_TRUE(failure->effect.restored.empty());
  Connection after = *w.provisioner->get(before.id());
  EXPECT_EQ(after.operState(), OperState::Degraded);
  EXPECT_EQ(after.current().fibers, before.current().protection_fibers);
  EXPECT_EQ(after.current().protection_fibers, before.current().fibers);
  EXPECT_EQ(after.current().holds, before.current().holds);
  ASSERT_EQ(after.outages().size(), 1u);
  EXPECT_LE(*after.outages()[0].end - after.outages()[0].start, std::chrono::milliseconds(50));
  EXPECT_TRUE(lists(eventTypes(w, before.id()), "connection.switched"));
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();

  auto repaired = w.provisioner->repairFailure(failure->id, "op");
  ASSERT_TRUE(repaired) << repaired.error().toString();
  EXPECT_EQ(repaired->repair_effect.reprotected, std::vector<std::string>{before.id()});
  after = *w.provisioner->get(before.id());
  EXPECT_EQ(after.operState(), OperState::Up);
  EXPECT_EQ(after.current().fibers, before.current().protection_fibers);  // non-revertive
  EXPECT_EQ(w.provisioner->repairFailure(failure->id, "op").error().code(),
            StatusCode::FailedPrecondition);
}

TEST(Restoration, RevertiveConnectionGoesBackAfterTheWaitToRestore) {
  World w;
  ConnectionSpec spec = ethernet();
  spec.protection = Protection::OnePlusOne;
  spec.wait_to_restore = std::chrono::seconds(60);
  const Connection before = activeConnection(w, spec);
  auto failure = w.provisioner->recordFailure(
      {FailureTarget::Kind::Fiber, before.current().fibers.front()}, "", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  EXPECT_TRUE(w.provisioner->get(before.id())->current().on_protection);
  ASSERT_TRUE(w.provisioner->repairFailure(failure->id, "op"));
  Connection repaired = *w.provisioner->get(before.id());
  EXPECT_EQ(repaired.operState(), OperState::Up);
  ASSERT_TRUE(repaired.current().revert_at.has_value());
  EXPECT_EQ(*repaired.current().revert_at, w.clock.now() + std::chrono::seconds(60));
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 0u);  // not yet
  EXPECT_EQ(w.provisioner->get(before.id())->current().fibers, before.current().protection_fibers);
  w.clock.advance(std::chrono::seconds(61));
  // A restart in between keeps the time to go back.
  w.restart();
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 1u);
  const Connection back = *w.provisioner->get(before.id());
  EXPECT_EQ(back.current().fibers, before.current().fibers);
  EXPECT_FALSE(back.current().on_protection);
  EXPECT_FALSE(back.current().revert_at.has_value());
  EXPECT_EQ(back.operState(), OperState::Up);
  EXPECT_EQ(back.outages().size(), 1u);  // the switch; going back is bridged first
  EXPECT_TRUE(lists(eventTypes(w, before.id()), "connection.reverted"));
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 0u);
  // Revertive needs 1+1.
  ConnectionSpec plain = ethernet();
  plain.wait_to_restore = std::chrono::seconds(60);
  EXPECT_EQ(w.provisioner->order("acme", plain, "key:1").error().code(),
            StatusCode::InvalidArgument);
}

TEST(Restoration, EndNodeDownLeavesTheConnectionDownUntilTheRepair) {
  World w;
  const Connection before = activeConnection(w, ethernet());
  const std::string node = before.current().nodes.front();
  auto failure = w.provisioner->recordFailure({FailureTarget::Kind::Node, node}, "power", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  ASSERT_EQ(failure->effect.unrestorable.size(), 1u);
  EXPECT_NE(failure->effect.unrestorable[0].reason.find("is down"), std::string::npos)
      << failure->effect.unrestorable[0].reason;
  Connection down = *w.provisioner->get(before.id());
  EXPECT_EQ(down.state(), ConnectionState::Active);
  EXPECT_EQ(down.operState(), OperState::Down);
  EXPECT_TRUE(down.current().fibers.empty());
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  for (auto& [id, device] : w.devices) EXPECT_TRUE(device->running()->empty()) << id;
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
  EXPECT_EQ(
      w.provisioner->recordFailure({FailureTarget::Kind::Node, node}, "", "op").error().code(),
      StatusCode::AlreadyExists);
  // The what-if answers as the failure would.
  EXPECT_EQ(w.provisioner->analyzeFailure({FailureTarget::Kind::Node, node}).error().code(),
            StatusCode::AlreadyExists);

  w.clock.advance(std::chrono::hours(2));
  auto repaired = w.provisioner->repairFailure(failure->id, "op:2");
  ASSERT_TRUE(repaired) << repaired.error().toString();
  EXPECT_EQ(repaired->repaired_by, "op:2");
  EXPECT_EQ(repaired->repair_effect.restored, std::vector<std::string>{before.id()});
  const Connection back = *w.provisioner->get(before.id());
  EXPECT_EQ(back.operState(), OperState::Up);
  EXPECT_EQ(back.current().vlan, before.current().vlan);
  ASSERT_EQ(back.outages().size(), 1u);
  EXPECT_GE(*back.outages()[0].end - back.outages()[0].start, std::chrono::hours(2));
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
}

TEST(Restoration, WhatIfAnswersWhatTheFailureThenDoes) {
  World w;
  // Enough load on the east that an SRLG cut leaves some without room.
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"dc-ashburn-p1", "dc-santa-clara-p1"}, {"dc-ashburn-p2", "dc-abilene-p1"},
      {"dc-ashburn-p3", "dc-memphis-p1"},     {"dc-ashburn-p4", "dc-new-albany-p1"},
      {"dc-ashburn-p5", "dc-hillsboro-p1"},   {"dc-ashburn-p6", "dc-fort-worth-p1"}};
  std::vector<std::string> ids;
  for (int round = 0; round < 4; ++round) {
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      ConnectionSpec spec = ethernet(80'000);
      spec.a_end = pairs[i].first;
      spec.z_end = pairs[i].second;
      if ((i + round) % 3 == 0) spec.protection = Protection::OnePlusOne;
      if (round == 1) spec.sla = "gold";
      auto c = w.provisioner->order("acme", spec, "key:1");
      if (!c) continue;
      ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
      ids.push_back(c->id());
    }
  }
  ASSERT_GT(ids.size(), 12u);
  const Connection first = *w.provisioner->get(ids.front());
  const FailureTarget target{FailureTarget::Kind::Node, first.current().nodes[1]};
  auto predicted = w.provisioner->analyzeFailure(target);
  ASSERT_TRUE(predicted) << predicted.error().toString();
  EXPECT_FALSE(predicted->hit.empty());
  EXPECT_TRUE(w.provisioner->check().empty());  // nothing changed
  auto failure = w.provisioner->recordFailure(target, "", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  EXPECT_EQ(*predicted, failure->effect);
  // Once handled, no current path lists anything down.
  const auto down = DownSet::of(*w.topology, {target});
  for (const std::string& id : ids) {
    const Connection c = *w.provisioner->get(id);
    EXPECT_FALSE(down->crosses(*w.topology, c.current().fibers, c.current().nodes)) << id;
  }
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
}

TEST(Restoration, RefusingDevicesLeaveItDownAndARestartRetriesIt) {
  World w;
  const Connection before = activeConnection(w, ethernet());
  const std::string cut = before.current().fibers[3];
  // The devices refuse every change: the pass stored the new route, then takes it back and
  // leaves the connection down with the reason.
  for (auto& [id, d] : w.devices) d->setFaults({.fail_at = "prepare"});
  auto failure = w.provisioner->recordFailure({FailureTarget::Kind::Fiber, cut}, "", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  ASSERT_EQ(failure->effect.unrestorable.size(), 1u);
  EXPECT_NE(failure->effect.unrestorable[0].reason.find("devices"), std::string::npos);
  for (auto& [id, d] : w.devices) d->setFaults({});
  // The old entries could not be taken off either: reconcile's work. A restart with the failure
  // unrepaired tries the down connection again.
  w.restart();
  const Connection after = *w.provisioner->get(before.id());
  EXPECT_EQ(after.operState(), OperState::Up);
  EXPECT_FALSE(lists(after.current().fibers, cut));
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
}

TEST(Restoration, TelemetryRaisesAndRepairsANodeFailure) {
  World w;
  const Connection before = activeConnection(w, ethernet());
  const std::string node = before.current().nodes[2];         // a transit node
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 0u);  // all up: nothing to do
  w.devices[node]->setFaults({.down = true});
  // Three polls in a row decide (one slow answer is not a node down).
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 0u);
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 0u);
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 1u);
  const Connection moved = *w.provisioner->get(before.id());
  EXPECT_FALSE(lists(moved.current().nodes, node));
  EXPECT_EQ(moved.operState(), OperState::Up);
  EXPECT_TRUE(w.provisioner->down()->nodeDown(*w.topology->findNode(node)));
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 0u);  // recorded once
  // A restart remembers who raised it; back up, telemetry repairs it.
  w.restart();
  w.devices[node]->setFaults({});
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 0u);
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 0u);
  EXPECT_EQ(*w.provisioner->runSchedule(w.clock.now()), 1u);
  EXPECT_FALSE(w.provisioner->down()->nodeDown(*w.topology->findNode(node)));
  std::size_t failures = 0;
  ASSERT_TRUE(w.store
                  ->read([&](StoreTransaction& tx) -> Status {
                    LP_ASSIGN_OR_RETURN(auto docs, tx.documents({.kind = "failure"}, nullptr));
                    for (const DocumentRecord& d : docs) {
                      auto f = failureFromJson(d.body);
                      EXPECT_EQ(f->actor, "telemetry");
                      EXPECT_TRUE(f->repaired_at.has_value());
                      ++failures;
                    }
                    return Status::ok();
                  })
                  .isOk());
  EXPECT_EQ(failures, 1u);
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
}

TEST(Restoration, AConnectionScheduledBeforeACutStartsAroundIt) {
  World w;
  ConnectionSpec spec = ethernet();
  spec.start = w.clock.now() + std::chrono::hours(1);
  auto c = w.provisioner->order("acme", spec, "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  const std::string cut = c->current().fibers[2];
  auto failure = w.provisioner->recordFailure({FailureTarget::Kind::Fiber, cut}, "", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  EXPECT_TRUE(failure->effect.hit.empty());  // not live yet
  w.clock.advance(std::chrono::hours(1) + std::chrono::seconds(1));
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  const Connection started = *w.provisioner->get(c->id());
  EXPECT_EQ(started.state(), ConnectionState::Active);
  EXPECT_EQ(started.operState(), OperState::Up);
  EXPECT_FALSE(lists(started.current().fibers, cut));
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
}

TEST(Restoration, UnknownTargetsAndFailuresAreRefused) {
  World w;
  EXPECT_EQ(
      w.provisioner->recordFailure({FailureTarget::Kind::Fiber, "nope"}, "", "op").error().code(),
      StatusCode::InvalidArgument);
  EXPECT_EQ(
      w.provisioner->recordFailure({FailureTarget::Kind::Srlg, "nope"}, "", "op").error().code(),
      StatusCode::InvalidArgument);
  EXPECT_EQ(w.provisioner->repairFailure("fail_nope", "op").error().code(), StatusCode::NotFound);
}

}  // namespace
}  // namespace lightpath
