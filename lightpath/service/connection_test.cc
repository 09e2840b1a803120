#include "lightpath/service/connection.h"

#include <gtest/gtest.h>

#include <set>

#include "lightpath/base/ids.h"

namespace lightpath {
namespace {

TimePoint at(long long s) { return TimePoint(std::chrono::seconds(s)); }

ConnectionSpec ethernet() {
  return {.kind = ConnectionKind::Ethernet,
          .a_end = "dc-ashburn-p1",
          .z_end = "aws-ashburn-p1",
          .bandwidth_mbps = 10'000};
}

TEST(Connection, WalksTheLifecycleAndRecordsIt) {
  Connection c = Connection::draft("conn_1", "acme", ethernet(), at(0), "key:1");
  EXPECT_EQ(c.state(), ConnectionState::Draft);
  ASSERT_TRUE(
      c.transition(ConnectionState::Provisioning, at(1), "orchestrator", "capacity reserved")
          .isOk());
  ASSERT_TRUE(
      c.transition(ConnectionState::Active, at(2), "orchestrator", "devices configured").isOk());
  EXPECT_TRUE(stateInfo(c.state()).ready);
  ASSERT_TRUE(c.transition(ConnectionState::Modifying, at(3), "key:1", "bandwidth 20G").isOk());
  EXPECT_TRUE(stateInfo(c.state()).ready);  // traffic flows while it changes
  ASSERT_TRUE(c.transition(ConnectionState::Active, at(4), "orchestrator", "modified").isOk());
  ASSERT_TRUE(c.transition(ConnectionState::Deprovisioning, at(5), "key:1", "deleted").isOk());
  ASSERT_TRUE(c.transition(ConnectionState::Terminated, at(6), "orchestrator", "released").isOk());
  EXPECT_TRUE(stateInfo(c.state()).terminal);
  ASSERT_EQ(c.history().size(), 7u);
  EXPECT_EQ(c.history()[2].from, ConnectionState::Provisioning);
  EXPECT_EQ(c.history()[2].reason, "devices configured");
  EXPECT_EQ(c.history()[2].at, at(2));
  EXPECT_EQ(c.version(), 7u);
}

TEST(Connection, RefusesIllegalTransitionsAndSaysWhatIsLegal) {
  Connection c = Connection::draft("conn_1", "acme", ethernet(), at(0), "key:1");
  Status s = c.transition(ConnectionState::Active, at(1), "x", "skip");
  EXPECT_EQ(s.code(), StatusCode::FailedPrecondition);
  EXPECT_EQ(s.message(),
            "connection conn_1 is draft; it cannot become active (it can become: provisioning, "
            "rejected, cancelled)");
  EXPECT_EQ(c.state(), ConnectionState::Draft);
  EXPECT_EQ(c.history().size(), 1u);
  ASSERT_TRUE(c.transition(ConnectionState::Rejected, at(1), "x", "no capacity").isOk());
  EXPECT_FALSE(c.transition(ConnectionState::Provisioning, at(2), "x", "retry").isOk());
}

TEST(Connection, EveryTerminalStateIsADeadEndAndEveryOtherHasAWayOut) {
  for (int i = 0; i <= static_cast<int>(ConnectionState::Cancelled); ++i) {
    const auto s = static_cast<ConnectionState>(i);
    EXPECT_EQ(stateInfo(s).terminal, nextStates(s).empty()) << toString(s);
    EXPECT_EQ(*parseConnectionState(toString(s)), s);
  }
}

TEST(ConnectionSpec, ValidationNamesTheField) {
  auto error = [](ConnectionSpec s) { return validateSpec(s).message(); };
  EXPECT_TRUE(validateSpec(ethernet()).isOk());
  auto s = ethernet();
  s.bandwidth_mbps = 10;
  EXPECT_EQ(error(s), "bandwidth_mbps: an Ethernet circuit is 50 Mb/s to 100 Gb/s, got 10 Mb/s");
  s = ethernet();
  s.z_end = s.a_end;
  EXPECT_EQ(error(s), "z_end: the same as a_end ('dc-ashburn-p1')");
  s = ethernet();
  s.vlan = 4095;
  EXPECT_EQ(error(s), "vlan: 1 to 4094, got 4095");
  s = ethernet();
  s.kind = ConnectionKind::Wavelength;
  EXPECT_EQ(error(s),
            "bandwidth_mbps: a wavelength is 100, 200, 300, 400 or 800 Gb/s, got 10000 Mb/s");
  s = ethernet();
  s.kind = ConnectionKind::Cloud;
  s.cloud_provider = "oracle";
  EXPECT_EQ(error(s), "cloud.provider: aws, azure or google, got 'oracle'");
  s = ethernet();
  s.start = at(10);
  s.end = at(5);
  EXPECT_EQ(error(s), "end: must come after start");
  s = ethernet();
  s.start = at(0);
  s.end = at(100);
  s.steps = {{at(50), 20'000}, {at(40), 30'000}};
  EXPECT_EQ(error(s), "steps[1]: steps must be in time order");
  s = ethernet();
  for (std::size_t i = 0; i <= kMaxTags; ++i) s.tags["t" + std::to_string(i)] = "v";
  EXPECT_EQ(error(s), "tags: at most 64, got 65");
  s.tags.erase("t0");
  EXPECT_TRUE(validateSpec(s).isOk());
}

TEST(ConnectionSpec, AStartInThePastIsRefusedBeyondClockSkew) {
  auto s = ethernet();
  EXPECT_TRUE(checkWindowAt(s, at(100)).isOk());
  s.start = at(100) - std::chrono::seconds(30);  // clocks differ a little
  EXPECT_TRUE(checkWindowAt(s, at(100)).isOk());
  s.start = at(100) - std::chrono::minutes(5);
  EXPECT_EQ(checkWindowAt(s, at(100)).message(),
            "start: already in the past; leave it out to start now");
  s.start.reset();
  s.end = at(99);
  EXPECT_EQ(checkWindowAt(s, at(100)).message(), "end: already in the past");
}

TEST(Ids, HaveTheirPrefixAndDoNotRepeat) {
  Random random(42);
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = newId("conn", random);
    EXPECT_TRUE(isId(id, "conn")) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
  EXPECT_FALSE(isId("conn_short", "conn"));
  EXPECT_FALSE(isId("ord_0123456789abcdefghjk", "conn"));
}

}  // namespace
}  // namespace lightpath
