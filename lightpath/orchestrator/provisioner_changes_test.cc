// Bandwidth steps, roles, prices, cloud hand-offs, quotes, tags, ends, changes under restarts
// and concurrency, and the workflow runner.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "lightpath/orchestrator/provisioner.h"
#include "lightpath/orchestrator/testing/world.h"
#include "lightpath/orchestrator/workflow_runner.h"
#include "lightpath/service/connection_json.h"
#include "lightpath/southbound/drivers/sim/sim_device.h"

namespace lightpath {
namespace {
using testing::ethernet;
using testing::World;
TEST(Provisioner, BandwidthStepsOnASchedule) {
  World w;
  const TimePoint t0 = w.clock.now();
  auto at = [&](std::chrono::minutes m) { return t0 + m; };
  using std::chrono::minutes;
  ConnectionSpec spec = ethernet(1'000);
  spec.steps = {{at(minutes(60)), 100'000}, {at(minutes(120)), 2'000}};
  auto c = w.provisioner->order("acme", spec, "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  EXPECT_EQ(c->current().holds.size(), 4u);  // the VLAN, then one per step
  std::uint32_t port = 0;
  while (w.topology->ports()[port].id != "dc-ashburn-p1") ++port;
  const ResourceId r{ResourceKind::PortBandwidth, port};
  auto held = [&](minutes from, minutes to) {
    return w.ledger->capacity(r) - w.ledger->freeQuantity(r, {at(from), at(to)});
  };
  EXPECT_EQ(held(minutes(0), minutes(60)), 1'000u);
  EXPECT_EQ(held(minutes(60), minutes(120)), 100'000u);
  EXPECT_EQ(held(minutes(120), minutes(600)), 2'000u);
  // The 400G port has room for three more 100G circuits during the step, and not a fourth.
  for (int i = 0; i < 3; ++i) {
    ConnectionSpec other = ethernet(100'000);
    other.start = at(minutes(60));
    other.end = at(minutes(120));
    ASSERT_TRUE(w.provisioner->order("acme", other, "key:1")) << i;
  }
  ConnectionSpec fourth = ethernet(100'000);
  fourth.start = at(minutes(90));
  fourth.end = at(minutes(180));
  auto refused = w.provisioner->order("acme", fourth, "key:1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::ResourceExhausted) << refused.error().toString();

  ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
  auto mbps = [&](const std::string& node) {
    auto running = w.devices[node]->running();
    for (const ConfigEntry& e : *running) {
      if (e.owner == c->id()) return e.values.at("mbps");
    }
    return std::string("none");
  };
  const std::string node = c->current().nodes.front();
  EXPECT_EQ(mbps(node), "1000");
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  EXPECT_EQ(mbps(node), "1000");
  w.clock.advance(minutes(60));
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  EXPECT_EQ(mbps(node), "100000");
  EXPECT_EQ(w.provisioner->modifyBandwidth(c->id(), 5'000, "key:1").code(),
            StatusCode::FailedPrecondition);
  // A restart rebuilds the step holds; the first tick after it tells the devices the step
  // that came meanwhile.
  w.clock.advance(minutes(61));
  w.restart();  // recovers
  EXPECT_EQ(held(minutes(121), minutes(600)), 2'000u);
  EXPECT_EQ(mbps(node), "100000");
  ASSERT_TRUE(w.provisioner->runSchedule(w.clock.now()));
  EXPECT_EQ(mbps(node), "2000");
  EXPECT_TRUE(w.provisioner->check().empty());
  ASSERT_TRUE(w.provisioner->terminate(c->id(), "key:1").isOk());
  EXPECT_EQ(held(minutes(121), minutes(600)), 0u);
}

// A device that stores configuration but plays no role (as a driver for a box of another kind).
class RolelessDevice final : public Device {
 public:
  explicit RolelessDevice(std::shared_ptr<SimDevice> inner) : inner_(std::move(inner)) {}
  const std::string& name() const override { return inner_->name(); }
  Status validate(const DeviceChange& change) const override { return inner_->validate(change); }
  Status prepare(const DeviceChange& change) override { return inner_->prepare(change); }
  Status apply(const std::string& transaction) override { return inner_->apply(transaction); }
  Status abort(const std::string& transaction) override { return inner_->abort(transaction); }
  Result<std::vector<ConfigEntry>> running() override { return inner_->running(); }
  Result<std::vector<ConfigEntry>> read(const std::vector<std::string>& keys) override {
    return inner_->read(keys);
  }

 private:
  std::shared_ptr<SimDevice> inner_;
};

TEST(Provisioner, ANodeWhoseDriverLacksTheRoleFailsTheConnectionCleanly) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c);
  const std::string node = c->current().nodes.at(1);
  w.fleet.add(node, std::make_shared<RolelessDevice>(w.devices[node]));
  Status s = w.provisioner->activate(c->id());
  EXPECT_EQ(s.code(), StatusCode::FailedPrecondition);
  EXPECT_NE(
      s.message().find("node '" + node + "' (" + c->id() + ") cannot carry an Ethernet service"),
      std::string::npos)
      << s.message();
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::Failed);
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  for (auto& [n, d] : w.devices) EXPECT_TRUE(d->running()->empty()) << n;
  EXPECT_TRUE(w.provisioner->check().empty());
}

TEST(Provisioner, OrdersArePricedByThePriceBook) {
  World w;
  ConnectionSpec spec = ethernet(10'000);
  spec.term = "12";
  auto c = w.provisioner->order("acme", spec, "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  ASSERT_TRUE(c->current().price.has_value());
  // The same function a quote uses, on the values the order was routed with.
  auto quote = priceConnection(w.book, {.kind = ConnectionKind::Ethernet,
                                        .bandwidth_mbps = 10'000,
                                        .route_km = c->current().km,
                                        .term = "12"});
  ASSERT_TRUE(quote);
  EXPECT_EQ(c->current().price->monthly, quote->monthly);
  EXPECT_EQ(c->current().price->term, "12");
  EXPECT_GT(c->current().price->monthly, 0.0);
  EXPECT_EQ(w.provisioner->get(c->id())->current().price, c->current().price);  // stored with it
  ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
  ASSERT_TRUE(w.provisioner->modifyBandwidth(c->id(), 40'000, "key:1").isOk());
  EXPECT_GT(w.provisioner->get(c->id())->current().price->monthly,
            c->current().price->monthly);  // re-priced

  ConnectionSpec wavelength{.kind = ConnectionKind::Wavelength,
                            .a_end = "dc-ashburn",
                            .z_end = "dc-santa-clara",
                            .bandwidth_mbps = 200'000};
  auto plain = w.provisioner->order("acme", wavelength, "key:1");
  wavelength.protection = Protection::OnePlusOne;
  auto protected_ = w.provisioner->order("acme", wavelength, "key:1");
  ASSERT_TRUE(plain && protected_);
  EXPECT_GT(protected_->current().protection_km, 0.0);
  EXPECT_GT(protected_->current().price->monthly, plain->current().price->monthly);

  spec.term = "7";
  auto bad = w.provisioner->order("acme", spec, "key:1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "term: hourly, 1, 12, 24 or 36 (months), got '7'");
}

TEST(Provisioner, CloudConnectionsWaitForTheProvider) {
  World w;
  ConnectionSpec spec{.kind = ConnectionKind::Cloud,
                      .a_end = "dc-ashburn-p2",
                      .z_end = "aws-ashburn-p3",
                      .bandwidth_mbps = 10'000,
                      .cloud_provider = "aws",
                      .cloud_key = "123456789012"};
  auto c = w.provisioner->order("acme", spec, "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::AwaitingCounterparty);
  // The on-ramp's interconnect carries it (operators see each on-ramp's use).
  std::uint32_t site = 0;
  while (w.topology->sites()[site].id != "aws-ashburn") ++site;
  EXPECT_GT(w.ledger->utilization({ResourceKind::OnrampCapacity, site}, w.clock.now()), 0.0);
  // The on-ramp's device holds the attachment with the provider's key.
  auto attachment = w.devices[c->current().nodes.back()]->read({"cloud/" + c->id()});
  ASSERT_TRUE(attachment && attachment->size() == 1u);
  EXPECT_EQ(attachment->front().values.at("key"), "123456789012");
  ASSERT_TRUE(w.provisioner->acceptCounterparty(c->id()).isOk());
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::Active);
  spec.cloud_provider = "azure";
  spec.cloud_key = "3e13dedd-3bf9-437c-9804-3f675352967f";
  auto wrong = w.provisioner->order("acme", spec, "key:1");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message().find("is a aws on-ramp, not azure"), std::string::npos)
      << wrong.error().message();
}

TEST(Provisioner, AQuoteHoldsNothingAndNamesWhatBinds) {
  World w;
  auto quote = w.provisioner->quote(ethernet());
  ASSERT_TRUE(quote) << quote.error().toString();
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  EXPECT_TRUE(quote->price.has_value());
  EXPECT_FALSE(quote->nodes.empty());
  ConnectionSpec tight = ethernet();
  tight.max_latency = Micros(1000);
  auto refused = w.provisioner->quote(tight);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::FailedPrecondition);
  EXPECT_NE(refused.error().message().find("within 1.00 ms"), std::string::npos)
      << refused.error().message();
  // The order it quoted gets the same route and price.
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->current().nodes, quote->nodes);
  EXPECT_EQ(c->current().price, quote->price);
}

TEST(Provisioner, QuotesRunInParallelAndAgreeWithOneAtATime) {
  World w;
  ConnectionSpec wavelength{.kind = ConnectionKind::Wavelength,
                            .a_end = "dc-ashburn",
                            .z_end = "dc-hillsboro",
                            .bandwidth_mbps = 200'000,
                            .protection = Protection::OnePlusOne};
  auto alone = w.provisioner->quote(wavelength);
  ASSERT_TRUE(alone) << alone.error().toString();
  std::atomic<int> differ{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto q = w.provisioner->quote(wavelength);
        if (!q || q->nodes != alone->nodes || q->protection_nodes != alone->protection_nodes ||
            q->price != alone->price) {
          ++differ;
        }
      }
    });
  }
  // Orders elsewhere meanwhile (they plan under their own lock).
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(w.provisioner->order("acme", ethernet(100 + i), "key:1"));
  for (auto& t : threads) t.join();
  EXPECT_EQ(differ.load(), 0);
}

TEST(Provisioner, TagsChangeOnlyAtTheVersionSeenAndTerminationBeginsOnce) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(), "key:1");
  ASSERT_TRUE(c);
  auto stale = w.provisioner->setTags(c->id(), {{"team", "ml"}}, c->version() + 7, "key:1");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code(), StatusCode::Aborted);
  auto tagged = w.provisioner->setTags(c->id(), {{"team", "ml"}}, c->version(), "key:1");
  ASSERT_TRUE(tagged) << tagged.error().toString();
  EXPECT_EQ(w.provisioner->get(c->id())->requested().tags.at("team"), "ml");
  auto begun = w.provisioner->beginTerminate(c->id(), "key:1");
  ASSERT_TRUE(begun);
  EXPECT_EQ(begun->state(), ConnectionState::Deprovisioning);
  auto again = w.provisioner->beginTerminate(c->id(), "key:1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->version(), begun->version()) << "beginning twice must not change it again";
  ASSERT_TRUE(w.provisioner->terminate(c->id(), "key:1").isOk());
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  EXPECT_FALSE(w.provisioner->setTags(c->id(), {}, std::nullopt, "key:1"));
}

TEST(Provisioner, TheEndMovesOnlyWhereTheCapacityIsFree) {
  World w;
  const TimePoint now = w.clock.now();
  ConnectionSpec first = ethernet();
  first.vlan = 100;
  first.end = now + std::chrono::hours(1);
  auto a = w.provisioner->order("acme", first, "key:1");
  ASSERT_TRUE(a) << a.error().toString();
  ConnectionSpec later = first;
  later.start = now + std::chrono::hours(1);
  later.end = now + std::chrono::hours(2);
  auto b = w.provisioner->order("acme", later, "key:1");  // the same VLAN right after it
  ASSERT_TRUE(b) << b.error().toString();
  auto blocked = w.provisioner->setEnd(a->id(), now + std::chrono::hours(3), std::nullopt, "key:1");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code(), StatusCode::ResourceExhausted) << blocked.error().toString();
  EXPECT_EQ(w.ledger->hold(a->current().holds.front())->window.end, now + std::chrono::hours(1))
      << "kept as it was";
  auto shorter =
      w.provisioner->setEnd(a->id(), now + std::chrono::minutes(30), std::nullopt, "key:1");
  ASSERT_TRUE(shorter) << shorter.error().toString();
  EXPECT_EQ(shorter->requested().end, now + std::chrono::minutes(30));
  EXPECT_EQ(w.provisioner->setEnd(a->id(), now - std::chrono::minutes(1), std::nullopt, "key:1")
                .error()
                .code(),
            StatusCode::InvalidArgument);
  // Durable: a restart rebuilds the ledger with the new window.
  w.restart();
  EXPECT_EQ(w.ledger->hold(a->current().holds.front())->window.end, now + std::chrono::minutes(30));
  EXPECT_TRUE(w.provisioner->check().empty());
}

TEST(Provisioner, ARestartDuringAChangeKeepsTheConnectionAsItWas) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(1000), "key:1");
  ASSERT_TRUE(c && w.provisioner->activate(c->id()).isOk());
  // The process dies mid-change: the connection was stored as modifying and one device had
  // already taken the new rate.
  Connection stored = *w.provisioner->get(c->id());
  const std::uint64_t before = stored.version();
  ASSERT_TRUE(
      stored
          .transition(ConnectionState::Modifying, w.clock.now(), "key:1", "bandwidth 1000 -> 5000")
          .isOk());
  ASSERT_TRUE(w.store
                  ->transact([&](StoreTransaction& tx) {
                    return tx.putConnection({stored.id(), stored.tenant(), "modifying",
                                             stored.version(), connectionToJson(stored)},
                                            before);
                  })
                  .isOk());
  const std::string node = stored.current().nodes.front();
  ConfigEntry changed = w.devices[node]->running()->front();
  changed.values["mbps"] = "5000";
  w.devices[node]->tamper(changed);
  w.restart();
  auto after = w.provisioner->get(c->id());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->state(), ConnectionState::Active)
      << "a restart must not leave it modifying forever";
  EXPECT_EQ(after->requested().bandwidth_mbps, 1000u);
  EXPECT_EQ(w.devices[node]->running()->front().values.at("mbps"), "1000");
  EXPECT_TRUE(w.provisioner->check().empty());
  EXPECT_TRUE(w.provisioner->modifyBandwidth(c->id(), 2000, "key:1").isOk())
      << "and it can change again";
}

TEST(Provisioner, ConcurrentChangesToOneConnectionNeverSplitLedgerAndStore) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(1000), "key:1");
  ASSERT_TRUE(c && w.provisioner->activate(c->id()).isOk());
  for (int round = 0; round < 20; ++round) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        switch (t % 3) {
          case 0:
            (void)w.provisioner->modifyBandwidth(c->id(), 1000 + 100 * (round * 6 + t), "key:1");
            break;
          case 1:
            (void)w.provisioner->setTags(c->id(), {{"round", std::to_string(round)}}, std::nullopt,
                                         "key:1");
            break;
          default:
            (void)w.provisioner->setEnd(c->id(), w.clock.now() + std::chrono::hours(100 + t),
                                        std::nullopt, "key:1");
        }
      });
    }
    for (auto& t : threads) t.join();
    const auto now = w.provisioner->get(c->id());
    ASSERT_TRUE(now);
    ASSERT_EQ(now->state(), ConnectionState::Active);
    const auto problems = w.provisioner->check();
    ASSERT_TRUE(problems.empty()) << "round " << round << ": " << problems.front();
    // The ledger holds what the store says was ordered.
    const auto hold = w.ledger->hold(now->current().holds.front());
    for (const Claim& claim : hold->claims) {
      if (!isDiscrete(claim.resource.kind)) {
        EXPECT_EQ(claim.count, now->requested().bandwidth_mbps) << "round " << round;
      }
    }
  }
}

TEST(WorkflowRunner, RunsEachConnectionsJobsInOrderAndConnectionsInParallel) {
  World w;
  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> ran;
  std::size_t failed = 0;
  WorkflowRunner runner(
      *w.provisioner, w.clock, {.threads = 3, .tick = std::chrono::milliseconds(0)},
      [&](const std::string& id, const char* job, const Status& result, std::chrono::microseconds) {
        std::lock_guard lock(mutex);
        ran[id].push_back(job);
        if (!result.isOk()) ++failed;
      });
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto c = w.provisioner->order("acme", ethernet(100 + i), "key:1");
    ASSERT_TRUE(c) << c.error().toString();
    ids.push_back(c->id());
    runner.activate(c->id());
    runner.terminate(c->id(), "key:1");  // queued behind its activation, never beside it
  }
  runner.drain();
  EXPECT_EQ(runner.pending(), 0u);
  EXPECT_EQ(failed, 0u);
  for (const std::string& id : ids) {
    EXPECT_EQ(ran[id], (std::vector<std::string>{"activate", "terminate"})) << id;
    EXPECT_EQ(w.provisioner->get(id)->state(), ConnectionState::Terminated);
  }
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  EXPECT_TRUE(w.provisioner->check().empty());
  runner.stop();
  runner.activate(ids[0]);  // after stop: dropped, not run
  EXPECT_EQ(runner.pending(), 0u);
}

// The drift watch runs on a timer of its own (a sweep of a large book takes minutes and must not
// hold up the schedule): once the interval has passed, drift on a device is put right.
TEST(WorkflowRunner, WatchesForDriftAndRepairsIt) {
  World w;
  auto c = w.provisioner->order("acme", ethernet(100), "key:1");
  ASSERT_TRUE(c && w.provisioner->activate(c->id()).isOk());
  SimDevice& roadm = *w.devices.at("chicago-roadm");
  const std::size_t entries = roadm.running()->size();
  roadm.tamper({"conn/conn_ghost/working", "conn_ghost", {}});
  WorkflowRunner runner(*w.provisioner, w.clock,
                        {.threads = 1, .tick = std::chrono::milliseconds(5)});
  // The interval (300 s) passes on the manual clock at each wait, until the ghost is gone.
  for (int i = 0; i < 2000 && roadm.running()->size() != entries; ++i) {
    w.clock.advance(std::chrono::seconds(400));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(roadm.running()->size(), entries);
  runner.stop();
  EXPECT_TRUE(w.provisioner->check().empty());
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::Active);
}

TEST(WorkflowRunner, TriesATerminationAgainUntilTheDeviceTakesIt) {
  World w;
  std::atomic<int> failed = 0;
  WorkflowRunner runner(
      *w.provisioner, w.clock,
      {.threads = 2, .tick = std::chrono::milliseconds(5), .retry = std::chrono::milliseconds(20)},
      [&](const std::string&, const char*, const Status& result, std::chrono::microseconds) {
        if (result.code() == StatusCode::Unavailable) ++failed;
      });
  auto c = w.provisioner->order("acme", ethernet(100), "key:1");
  ASSERT_TRUE(c) << c.error().toString();
  ASSERT_TRUE(w.provisioner->activate(c->id()).isOk());
  SimDevice* device = w.devices.at(w.provisioner->get(c->id())->current().nodes.front()).get();
  device->setFaults({.fail_at = "prepare"});  // the device does not answer
  runner.terminate(c->id(), "key:1");
  for (int i = 0; i < 2000 && failed < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_GE(failed, 3);  // asked again and again
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::Deprovisioning);
  device->setFaults({});  // back: the next attempt removes it
  for (int i = 0; i < 2000 && w.provisioner->get(c->id())->state() != ConnectionState::Terminated;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(w.provisioner->get(c->id())->state(), ConnectionState::Terminated);
  EXPECT_TRUE(device->running()->empty());
  EXPECT_EQ(w.ledger->holdCount(), 0u);
  runner.stop();
}

}  // namespace
}  // namespace lightpath
