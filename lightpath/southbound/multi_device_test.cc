#include "lightpath/southbound/multi_device.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "lightpath/southbound/call_pool.h"
#include "lightpath/southbound/drivers/sim/sim_device.h"

namespace lightpath {
namespace {

struct Fleet {
  DeviceFleet fleet;
  std::vector<std::shared_ptr<SimDevice>> devices;
  Fleet() {
    for (const char* n : {"a", "b", "c"}) {
      devices.push_back(std::make_shared<SimDevice>(std::string(n) + "-roadm"));
      fleet.add(n, devices.back());
    }
  }
  std::vector<NodeChange> crossConnects(const std::string& owner, const std::string& tx) {
    std::vector<NodeChange> changes;
    for (const char* n : {"a", "b", "c"}) {
      changes.push_back({n, {tx + "/" + n, {{"xc/" + owner, owner, {{"slots", "120+6"}}}}, {}}});
    }
    return changes;
  }
  std::vector<std::vector<ConfigEntry>> snapshot() {
    std::vector<std::vector<ConfigEntry>> out;
    for (auto& d : devices) out.push_back(*d->running());
    return out;
  }
};

TEST(MultiDevice, AppliesEverywhere) {
  Fleet f;
  ASSERT_TRUE(applyAcrossDevices(f.fleet, f.crossConnects("conn_1", "t1")).isOk());
  for (auto& d : f.devices) {
    auto running = *d->running();
    ASSERT_EQ(running.size(), 1u);
    EXPECT_EQ(running[0].owner, "conn_1");
    EXPECT_EQ(d->preparedCount(), 0u);
  }
}

TEST(MultiDevice, AFailedPrepareLeavesNothingStaged) {
  Fleet f;
  ASSERT_TRUE(applyAcrossDevices(f.fleet, f.crossConnects("conn_0", "t0")).isOk());
  const auto before = f.snapshot();
  f.devices[2]->setFaults({.fail_at = "prepare"});
  Status s = applyAcrossDevices(f.fleet, f.crossConnects("conn_1", "t1"));
  EXPECT_EQ(s.code(), StatusCode::Unavailable);
  EXPECT_EQ(s.message(), "c: c-roadm: prepare failed (injected)");
  EXPECT_EQ(f.snapshot(), before);
  for (auto& d : f.devices) EXPECT_EQ(d->preparedCount(), 0u);
}

TEST(MultiDevice, AFailedApplyPutsTheOthersBack) {
  Fleet f;
  ASSERT_TRUE(applyAcrossDevices(f.fleet, f.crossConnects("conn_0", "t0")).isOk());
  // conn_0 is replaced on every device by the next change, which fails on the last one.
  std::vector<NodeChange> change = f.crossConnects("conn_0", "t1");
  for (auto& c : change) c.change.set[0].values["slots"] = "200+6";
  const auto before = f.snapshot();
  f.devices[2]->setFaults({.fail_at = "apply"});
  Status s = applyAcrossDevices(f.fleet, change);
  EXPECT_EQ(s.code(), StatusCode::Unavailable);
  EXPECT_EQ(f.snapshot(), before);  // a and b are back on 120+6
  for (auto& d : f.devices) EXPECT_EQ(d->preparedCount(), 0u);
}

TEST(MultiDevice, PrepareIsIdempotentAndUnknownNodesAreRefused) {
  Fleet f;
  DeviceChange change{"tx", {{"evc/conn_9", "conn_9", {}}}, {}};
  ASSERT_TRUE(f.devices[0]->prepare(change).isOk());
  ASSERT_TRUE(f.devices[0]->prepare(change).isOk());
  EXPECT_EQ(f.devices[0]->preparedCount(), 1u);
  ASSERT_TRUE(f.devices[0]->abort("tx").isOk());
  EXPECT_EQ(f.devices[0]->preparedCount(), 0u);
  Status s = applyAcrossDevices(f.fleet, {{"zz", change}});
  EXPECT_EQ(s.code(), StatusCode::NotFound);
  DeviceChange twice{"tx2", {{"k", "o", {}}, {"k", "o", {}}}, {}};
  EXPECT_EQ(f.devices[0]->validate(twice).code(), StatusCode::InvalidArgument);
}

TEST(MultiDevice, HungDevicesTimeOutAndEndAsTheyWere) {
  for (const char* step : {"prepare", "apply"}) {
    Fleet f;
    ASSERT_TRUE(applyAcrossDevices(f.fleet, f.crossConnects("conn_0", "t0")).isOk());
    const auto before = f.snapshot();
    f.devices[1]->setFaults({.hang_at = step, .hang = std::chrono::milliseconds(300), .hangs = 1});
    DeviceCallPool pool(4);
    std::vector<NodeChange> change = f.crossConnects("conn_0", "t1");
    for (auto& c : change) c.change.set[0].values["slots"] = "200+6";
    const auto started = std::chrono::steady_clock::now();
    Status s = applyAcrossDevices(f.fleet, change, {&pool, std::chrono::milliseconds(50)});
    EXPECT_EQ(s.code(), StatusCode::Unavailable) << step;
    EXPECT_NE(s.message().find(std::string("b: ") + step + " timed out after 50 ms"),
              std::string::npos)
        << s.message();
    // The caller was not held for the hang...
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1500));
    // ...and once the hung call finishes, the queued compensation puts the device back.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    f.devices[1]->setFaults({});
    EXPECT_EQ(f.snapshot(), before) << step;
    for (auto& d : f.devices) EXPECT_EQ(d->preparedCount(), 0u) << step;
  }
}

TEST(DeviceCallPool, CallsToOneDeviceRunInOrderOthersInParallel) {
  std::mutex mutex;
  std::vector<std::string> order;
  auto note = [&](std::string what, int sleep_ms) {
    return [&, what, sleep_ms] {
      std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
      std::lock_guard lock(mutex);
      order.push_back(what);
      return Status::ok();
    };
  };
  {
    DeviceCallPool pool(4);
    auto a1 = pool.submit("a", note("a1", 200));
    auto a2 = pool.submit("a", note("a2", 0));
    auto b1 = pool.submit("b", note("b1", 0));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (auto* p : {&a1, &a2, &b1})
      EXPECT_TRUE(DeviceCallPool::wait(*p, deadline, std::chrono::seconds(10), "x").isOk());
    // Timed out: the caller hears so at once; the call still runs, before the next one to "a".
    Status late = pool.call("a", note("a3", 300), std::chrono::milliseconds(20), "a: apply");
    EXPECT_EQ(late.code(), StatusCode::Unavailable);
    EXPECT_EQ(late.message(), "a: apply timed out after 20 ms");
    EXPECT_TRUE(pool.call("a", note("a4", 0), std::chrono::seconds(10), "a: undo").isOk());
  }
  EXPECT_EQ(order, (std::vector<std::string>{"b1", "a1", "a2", "a3", "a4"}));
}

TEST(SimDevice, RandomFailuresAreSeededAndTablesFill) {
  SimDevice d("x", {.failure_rate = 0.5}, 7);
  int failures = 0;
  for (int i = 0; i < 200; ++i) {
    failures +=
        !d.prepare({"t" + std::to_string(i), {{"k" + std::to_string(i), "o", {}}}, {}}).isOk();
  }
  EXPECT_GT(failures, 60);
  EXPECT_LT(failures, 140);
  SimDevice small("y", {.max_entries = 1});
  ASSERT_TRUE(small.prepare({"a", {{"k1", "o", {}}}, {}}).isOk());
  ASSERT_TRUE(small.apply("a").isOk());
  EXPECT_EQ(small.prepare({"b", {{"k2", "o", {}}}, {}}).code(), StatusCode::FailedPrecondition);
}

}  // namespace
}  // namespace lightpath
