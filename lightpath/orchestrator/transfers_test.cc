#include "lightpath/orchestrator/transfers.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "lightpath/orchestrator/provisioner.h"
#include "lightpath/orchestrator/testing/world.h"

namespace lightpath {
namespace {
using std::chrono::hours;
using std::chrono::minutes;
using testing::World;

// "type state" of each event about `subject`, in order.
std::vector<std::string> eventsAbout(Store& store, const std::string& subject) {
  std::vector<std::string> seen;
  EXPECT_TRUE(store
                  .read([&](StoreTransaction& tx) -> Status {
                    LP_ASSIGN_OR_RETURN(auto events, tx.eventsAfter(0, 100000));
                    for (const EventRecord& e : events) {
                      if (e.subject == subject)
                        seen.push_back(
                            e.type + " " +
                            nlohmann::json::parse(e.body).at("state").get<std::string>());
                    }
                    return Status::ok();
                  })
                  .isOk());
  return seen;
}

// 60 TB to deliver in two hours on one leg, half an hour in.
TransferRecord halfHourIntoATransfer(World& w) {
  const TransferRequest request{.a_end = "dc-ashburn-p1",
                                .z_end = "dc-hillsboro-p1",
                                .bytes = 60e12,
                                .deadline = w.clock.now() + hours(2)};
  auto t = w.provisioner->orderTransfer("acme", request, "key:1");
  EXPECT_TRUE(t) << t.error().toString();
  EXPECT_EQ(t->legs.size(), 1u);
  EXPECT_TRUE(w.provisioner->runSchedule(w.clock.now()));  // the leg starts now
  w.clock.advance(minutes(5));
  EXPECT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  w.clock.advance(minutes(25));
  EXPECT_TRUE(w.provisioner->runSchedule(w.clock.now()));  // the devices' counters read
  return *t;
}

// What the devices counted for the transfer's legs (TransferCounters), in bytes.
double countedBytes(World& w, const std::string& transfer) {
  auto t = w.provisioner->transfer(transfer);
  EXPECT_TRUE(t) << t.error().toString();
  double bytes = 0;
  for (const auto& [leg, count] : t->counted) bytes += count.bytes;
  return bytes;
}

double carriedMegabitsOf(const Connection& c) {
  const ConnectionSpec& s = c.requested();
  double megabits = 0;
  for (TimePoint t = *s.start; t < *s.end; t += minutes(5))
    megabits += static_cast<double>(bandwidthAt(s, t)) * 300;
  return megabits;
}

// A transfer is ordered as legs (pinned routes, bandwidth steps) held together with its
// document; the schedule runs every leg from its start to its end; everything is given back.
TEST(Transfers, LegsRunOnTheScheduleAndCarryTheBytes) {
  World w;
  const TransferRequest request{.a_end = "dc-ashburn-p1",
                                .z_end = "dc-hillsboro-p1",
                                .bytes = 120e12,
                                .deadline = w.clock.now() + hours(3)};
  auto t = w.provisioner->orderTransfer("acme", request, "key:1");
  ASSERT_TRUE(t) << t.error().toString();
  ASSERT_FALSE(t->legs.empty());
  auto stored = w.provisioner->transfer(t->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(transferToJson(*stored), transferToJson(*t));
  double megabits = 0;
  for (const TransferLegRecord& leg : t->legs) {
    auto c = w.provisioner->get(leg.connection);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->state(), ConnectionState::Provisioning);
    EXPECT_EQ(c->current().fibers, leg.leg.fibers);
    EXPECT_EQ(c->requested().tags.at("transfer"), t->id);
    megabits += carriedMegabitsOf(*c);
  }
  EXPECT_GE(megabits * 1e6 / 8, request.bytes);
  EXPECT_TRUE(w.provisioner->check().empty());
  // The schedule, every 5 minutes to past the deadline: each leg active in its window.
  for (TimePoint end = w.clock.now() + hours(3) + minutes(10); w.clock.now() < end;) {
    w.clock.advance(minutes(5));
    ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
    for (const TransferLegRecord& leg : t->legs) {
      const auto state = w.provisioner->get(leg.connection)->state();
      if (w.clock.now() >= leg.leg.start && w.clock.now() < leg.leg.end) {
        EXPECT_EQ(state, ConnectionState::Active) << leg.connection;
      }
    }
  }
  for (const TransferLegRecord& leg : t->legs)
    EXPECT_EQ(w.provisioner->get(leg.connection)->state(), ConnectionState::Terminated);
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  EXPECT_TRUE(w.provisioner->check().empty());
  // Its events: admitted, running with the first leg, completed with the last.
  EXPECT_EQ(eventsAbout(*w.store, t->id),
            (std::vector<std::string>{"transfer.created scheduled", "transfer.stateChanged running",
                                      "transfer.stateChanged completed"}));
}

// Several transfers between the data centers, the service restarted half way: every leg of every
// admitted transfer runs in its window on the simulated devices and ends by the deadline.
TEST(Transfers, EveryAdmittedTransferRunsToItsDeadlineAcrossARestart) {
  World w;
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"dc-ashburn-p1", "dc-hillsboro-p1"},          {"dc-ashburn-p2", "dc-santa-clara-p1"},
      {"dc-council-bluffs-p1", "dc-ashburn-p3"},     {"dc-hillsboro-p2", "dc-new-albany-p1"},
      {"dc-santa-clara-p2", "dc-council-bluffs-p2"}, {"dc-ashburn-p4", "dc-hillsboro-p3"}};
  std::vector<TransferRecord> admitted;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const TransferRequest request{.a_end = pairs[i].first,
                                  .z_end = pairs[i].second,
                                  .bytes = (40 + 30 * static_cast<double>(i)) * 1e12,
                                  .earliest = w.clock.now() + minutes(20 * static_cast<int>(i)),
                                  .deadline = w.clock.now() + hours(2 + static_cast<int>(i) % 3)};
    auto t = w.provisioner->orderTransfer("acme", request, "key:1");
    if (t) admitted.push_back(*t);
  }
  ASSERT_GE(admitted.size(), 4u);
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));  // the first legs start now
  std::map<std::string, bool> ran;                         // leg -> seen active
  const TimePoint end = w.clock.now() + hours(5);
  for (int tick = 0; w.clock.now() < end; ++tick) {
    if (tick == 20) w.restart();  // 100 minutes in
    w.clock.advance(minutes(5));
    ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
    for (const TransferRecord& t : admitted) {
      for (const TransferLegRecord& leg : t.legs) {
        const auto state = w.provisioner->get(leg.connection)->state();
        if (w.clock.now() >= leg.leg.start && w.clock.now() < leg.leg.end) {
          ASSERT_EQ(state, ConnectionState::Active) << leg.connection;
          ran[leg.connection] = true;
        }
      }
    }
  }
  for (const TransferRecord& t : admitted) {
    EXPECT_LE(t.finish, t.request.deadline);
    EXPECT_GE(plannedMegabits(t, t.request.deadline) * 1e6 / 8, t.request.bytes) << t.id;
    // The Z ends' counters saw every byte of the plan, across the restart (read on the
    // schedule's ticks, a leg at its end before its service went).
    EXPECT_NEAR(countedBytes(w, t.id), plannedMegabits(t, t.request.deadline) * 1e6 / 8, 1e3)
        << t.id;
    for (const TransferLegRecord& leg : t.legs) {
      EXPECT_LE(leg.leg.end, t.request.deadline);
      EXPECT_EQ(w.provisioner->get(leg.connection)->state(), ConnectionState::Terminated);
    }
  }
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  EXPECT_TRUE(w.provisioner->check().empty());
}

// A fiber of a running leg's route is cut: the leg is restored on a surviving route at the same
// rates (its route was the plan's choice, not the customer's), and the transfer completes on
// time. A route the customer pinned stays as ordered: down until the repair.
TEST(Transfers, ACutLegIsRestoredAndTheTransferStillCompletes) {
  World w;
  const TransferRequest request{.a_end = "dc-ashburn-p1",
                                .z_end = "dc-hillsboro-p1",
                                .bytes = 100e12,
                                .deadline = w.clock.now() + hours(4)};
  auto t = w.provisioner->orderTransfer("acme", request, "key:1");
  ASSERT_TRUE(t) << t.error().toString();
  w.clock.advance(minutes(5));
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  const TransferLegRecord& leg = t->legs.front();
  const Connection running = *w.provisioner->get(leg.connection);
  ASSERT_EQ(running.state(), ConnectionState::Active);
  const std::string cut = leg.leg.fibers.at(1);

  ConnectionSpec pinned = testing::ethernet();
  pinned.a_end = "dc-ashburn-p2";
  pinned.z_end = "dc-hillsboro-p2";
  pinned.route = leg.leg.fibers;
  auto customer = w.provisioner->order("acme", pinned, "key:1");
  ASSERT_TRUE(customer) << customer.error().toString();
  ASSERT_TRUE(w.provisioner->activate(customer->id()).isOk());

  auto failure = w.provisioner->recordFailure({FailureTarget::Kind::Fiber, cut}, "backhoe", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  const Connection restored = *w.provisioner->get(leg.connection);
  EXPECT_EQ(restored.state(), ConnectionState::Active);
  EXPECT_EQ(restored.operState(), OperState::Up);
  EXPECT_EQ(std::count(restored.current().fibers.begin(), restored.current().fibers.end(), cut), 0);
  EXPECT_EQ(bandwidthAt(restored.requested(), w.clock.now()),
            bandwidthAt(running.requested(), w.clock.now()));
  EXPECT_EQ(restored.current().holds.size(), running.current().holds.size());
  EXPECT_EQ(w.provisioner->get(customer->id())->operState(), OperState::Down);
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
  // A transfer ordered now is planned around the cut.
  auto around = w.provisioner->orderTransfer("acme",
                                             {.a_end = "dc-ashburn-p3",
                                              .z_end = "dc-hillsboro-p3",
                                              .bytes = 50e12,
                                              .deadline = w.clock.now() + hours(3)},
                                             "key:1");
  ASSERT_TRUE(around) << around.error().toString();
  for (const TransferLegRecord& l : around->legs)
    EXPECT_EQ(std::count(l.leg.fibers.begin(), l.leg.fibers.end(), cut), 0);

  for (TimePoint end = w.clock.now() + hours(4); w.clock.now() < end;) {
    w.clock.advance(minutes(5));
    ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  }
  for (const TransferLegRecord& l : t->legs)
    EXPECT_EQ(w.provisioner->get(l.connection)->state(), ConnectionState::Terminated);
  EXPECT_EQ(eventsAbout(*w.store, t->id).back(), "transfer.stateChanged completed");
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();
}

// Progress counts what the legs carried: their rates while up, nothing while down. A leg down for
// half an hour (its end node lost power: no route survives) leaves the transfer short, and
// progress says so.
TEST(Transfers, ProgressLeavesOutWhatALegDidNotCarryWhileDown) {
  World w;
  const TransferRecord t = halfHourIntoATransfer(w);
  const TransferRequest& request = t.request;
  const std::string leg = t.legs.front().connection;
  auto statuses = [&] { return std::vector<LegStatus>{legStatusOf(*w.provisioner->get(leg))}; };
  const TransferProgress half_hour = progressOf(t, statuses(), w.clock.now());
  EXPECT_NEAR(half_hour.delivered, plannedMegabits(t, w.clock.now()) * 1e6 / 8, 1);
  EXPECT_GE(half_hour.expected, request.bytes * (1 - 1e-9));

  const std::string node = t.legs.front().leg.nodes.front();
  auto failure = w.provisioner->recordFailure({FailureTarget::Kind::Node, node}, "power", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  ASSERT_EQ(w.provisioner->get(leg)->operState(), OperState::Down);
  w.clock.advance(minutes(30));
  ASSERT_TRUE(w.provisioner->repairFailure(failure->id, "op"));
  const TransferProgress after = progressOf(t, statuses(), w.clock.now());
  const double lost = plannedMegabits(t, w.clock.now()) * 1e6 / 8 - after.delivered;
  const double rate_bytes = static_cast<double>(t.legs.front().leg.steps.front().mbps) * 1e6 / 8;
  EXPECT_NEAR(lost, rate_bytes * 1800, rate_bytes);  // half an hour at the leg's rate
  EXPECT_NEAR(after.expected, request.bytes - lost, rate_bytes);
  EXPECT_LT(after.expected, request.bytes);
  // Ended early: it carries nothing after its end, and nothing more is expected of it.
  w.clock.advance(minutes(10));
  ASSERT_TRUE(w.provisioner->terminate(leg, "key:1").isOk());
  const TimePoint ended = w.clock.now();
  w.clock.advance(minutes(20));
  const TransferProgress stopped = progressOf(t, statuses(), w.clock.now());
  EXPECT_NEAR(stopped.delivered, plannedMegabits(t, ended) * 1e6 / 8 - lost, rate_bytes);
  EXPECT_NEAR(stopped.expected, stopped.delivered, 1);
}

// A leg down with its end node: nothing can carry the bytes until the repair (transfer.atRisk);
// after it, the leg is back but short by the outage, and a new leg catches up by the deadline.
TEST(Transfers, AnOutageIsCaughtUpOnANewLegAfterTheRepair) {
  World w;
  const TransferRecord t = halfHourIntoATransfer(w);
  const TransferRequest& request = t.request;
  const std::string node = t.legs.front().leg.nodes.front();
  auto failure = w.provisioner->recordFailure({FailureTarget::Kind::Node, node}, "power", "op");
  ASSERT_TRUE(failure) << failure.error().toString();
  EXPECT_EQ(eventsAbout(*w.store, t.id).back(), "transfer.atRisk running");
  EXPECT_EQ(w.provisioner->transfer(t.id)->legs.size(), 1u);

  w.clock.advance(minutes(15));
  ASSERT_TRUE(w.provisioner->repairFailure(failure->id, "op"));
  EXPECT_EQ(eventsAbout(*w.store, t.id).back(), "transfer.replanned running");
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));  // the new leg starts now
  const TransferRecord replanned = *w.provisioner->transfer(t.id);
  ASSERT_EQ(replanned.legs.size(), 2u);
  EXPECT_LE(replanned.finish, request.deadline);
  std::vector<LegStatus> legs;
  for (const TransferLegRecord& l : replanned.legs)
    legs.push_back(legStatusOf(*w.provisioner->get(l.connection)));
  EXPECT_GE(progressOf(replanned, legs, w.clock.now()).expected, request.bytes * (1 - 1e-9));
  EXPECT_TRUE(w.provisioner->check().empty()) << w.provisioner->check().front();

  for (TimePoint end = w.clock.now() + hours(2); w.clock.now() < end;) {
    w.clock.advance(minutes(5));
    ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  }
  legs.clear();
  for (const TransferLegRecord& l : replanned.legs) {
    const Connection c = *w.provisioner->get(l.connection);
    EXPECT_EQ(c.state(), ConnectionState::Terminated);
    legs.push_back(legStatusOf(c));
  }
  const TransferProgress done = progressOf(replanned, legs, w.clock.now());
  EXPECT_GE(done.delivered, request.bytes * (1 - 1e-9));
  // The devices counted the same: the leg's first half hour, nothing while its node was down
  // (its services were removed), then both legs to their ends.
  EXPECT_NEAR(countedBytes(w, t.id), done.delivered, 1e3);
  EXPECT_EQ(eventsAbout(*w.store, t.id).back(), "transfer.stateChanged completed");
  EXPECT_EQ(w.ledger->holdCount(), 0u);
}

TEST(Transfers, WhatDoesNotFitHoldsNothingAndCancellingGivesAllBack) {
  World w;
  TransferRequest big{.a_end = "dc-ashburn-p1",
                      .z_end = "dc-hillsboro-p1",
                      .bytes = 1e15,
                      .deadline = w.clock.now() + hours(2)};
  auto refused = w.provisioner->orderTransfer("acme", big, "key:1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  const auto when = w.provisioner->earliestTransferFinish(big);
  ASSERT_TRUE(when);
  big.deadline = *when;
  auto t = w.provisioner->orderTransfer("acme", big, "key:1");
  ASSERT_TRUE(t) << t.error().toString();
  EXPECT_GT(w.ledger->holdCount(), 0u);
  auto ending = w.provisioner->cancelTransfer(t->id, "key:1");
  ASSERT_TRUE(ending);
  EXPECT_EQ(ending->size(), t->legs.size());
  for (const std::string& id : *ending) ASSERT_TRUE(w.provisioner->terminate(id, "key:1").isOk());
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  EXPECT_TRUE(w.provisioner->transfer(t->id)->cancelled.has_value());
  EXPECT_EQ(w.provisioner->transfer("xfer_none").error().code(), StatusCode::NotFound);
  EXPECT_TRUE(w.provisioner->check().empty());
  // Cancelled once, said once, however often asked.
  ASSERT_TRUE(w.provisioner->cancelTransfer(t->id, "key:1"));
  EXPECT_EQ(
      eventsAbout(*w.store, t->id),
      (std::vector<std::string>{"transfer.created scheduled", "transfer.stateChanged cancelled"}));
}

// Legs ended before the plan has run (ended one by one, not by cancelling the transfer): the
// bytes will not be delivered, and the transfer says so once the last leg has ended.
TEST(Transfers, LegsEndedEarlyFailTheTransfer) {
  World w;
  const TransferRequest request{.a_end = "dc-ashburn-p1",
                                .z_end = "dc-hillsboro-p1",
                                .bytes = 200e12,
                                .earliest = w.clock.now() + hours(1),
                                .deadline = w.clock.now() + hours(4)};
  auto t = w.provisioner->orderTransfer("acme", request, "key:1");
  ASSERT_TRUE(t) << t.error().toString();
  ASSERT_GE(t->legs.size(), 1u);
  for (const TransferLegRecord& leg : t->legs)
    ASSERT_TRUE(w.provisioner->terminate(leg.connection, "key:1").isOk());
  EXPECT_EQ(
      eventsAbout(*w.store, t->id),
      (std::vector<std::string>{"transfer.created scheduled", "transfer.stateChanged failed"}));
  std::vector<ConnectionState> states(t->legs.size(), ConnectionState::Terminated);
  EXPECT_EQ(transferState(*t, states, w.clock.now()), "failed");
  EXPECT_EQ(transferState(*t, states, t->finish), "completed");
}

// A stored transfer that cannot be read is an error naming it, whatever is wrong with it.
TEST(Transfers, AnUnreadableStoredTransferIsAnErrorNamingIt) {
  for (const char* text : {"[1, 2]", "null", R"({"id": "xfer_1", "legs": 5})",
                           R"({"id": "xfer_2", "tenant": "a", "a_end": "p", "z_end": "q",
                               "bytes": 1, "deadline": "tomorrow"})"}) {
    auto t = transferFromJson(nlohmann::json::parse(text));
    ASSERT_FALSE(t) << text;
    EXPECT_EQ(t.error().code(), StatusCode::Internal);
    EXPECT_NE(t.error().message().find("stored transfer"), std::string::npos);
  }
  EXPECT_NE(transferFromJson(nlohmann::json::parse(R"({"id": "xfer_1", "legs": 5})"))
                .error()
                .message()
                .find("xfer_1"),
            std::string::npos);
}

}  // namespace
}  // namespace lightpath
