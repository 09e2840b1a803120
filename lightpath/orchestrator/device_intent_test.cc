#include "lightpath/orchestrator/device_intent.h"

#include <gtest/gtest.h>

#include "lightpath/southbound/drivers/sim/sim_device.h"

namespace lightpath {
namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

DeviceFleet fleetOf(const std::vector<std::string>& nodes) {
  DeviceFleet fleet;
  for (const std::string& n : nodes) fleet.add(n, std::make_shared<SimDevice>(n));
  return fleet;
}

Connection connection(ConnectionKind kind, Realization r) {
  Connection c = Connection::draft(
      "conn_1", "acme", {.kind = kind, .a_end = "a", .z_end = "c", .bandwidth_mbps = 10'000}, kNow,
      "key");
  c.setCurrent(std::move(r));
  return c;
}

TEST(DeviceIntent, EveryNodeOfEveryLegGetsEntriesOwnedByTheConnection) {
  const DeviceFleet fleet = fleetOf({"a", "b", "c", "d"});
  const Connection c = connection(ConnectionKind::Ethernet, {.nodes = {"a", "b", "c"},
                                                             .fibers = {"ab", "bc"},
                                                             .protection_nodes = {"a", "d", "c"},
                                                             .protection_fibers = {"ad", "dc"},
                                                             .vlan = 100});
  auto changes = deviceIntent(c, fleet, kNow, IntentAction::Apply);
  ASSERT_TRUE(changes) << changes.error().toString();
  ASSERT_EQ(changes->size(), 6u);
  EXPECT_EQ((*changes)[0].node, "a");
  EXPECT_EQ((*changes)[4].node, "d");
  for (const NodeChange& nc : *changes) {
    ASSERT_FALSE(nc.change.set.empty()) << nc.node;
    EXPECT_TRUE(nc.change.remove.empty());
    for (const ConfigEntry& e : nc.change.set) EXPECT_EQ(e.owner, "conn_1") << nc.node;
    EXPECT_NE(nc.change.transaction.find("conn_1"), std::string::npos);
  }
  auto removal = deviceIntent(c, fleet, kNow, IntentAction::Remove);
  ASSERT_TRUE(removal);
  for (std::size_t i = 0; i < removal->size(); ++i) {
    EXPECT_TRUE((*removal)[i].change.set.empty());
    ASSERT_EQ((*removal)[i].change.remove.size(), (*changes)[i].change.set.size());
    EXPECT_EQ((*removal)[i].change.remove[0], (*changes)[i].change.set[0].key);
  }
}

TEST(DeviceIntent, ANodeWithoutADeviceIsNotFound) {
  const DeviceFleet fleet = fleetOf({"a", "b"});
  auto changes = deviceIntent(
      connection(ConnectionKind::Wavelength, {.nodes = {"a", "b", "c"}, .fibers = {"ab", "bc"}}),
      fleet, kNow, IntentAction::Apply);
  ASSERT_FALSE(changes);
  EXPECT_EQ(changes.error().code(), StatusCode::NotFound);
  EXPECT_NE(changes.error().message().find("'c'"), std::string::npos);
}

}  // namespace
}  // namespace lightpath
