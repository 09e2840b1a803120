// Bulk transfers through the API: admitted with a plan that meets the deadline (legs held in the
// calendar), refused with the earliest deadline that works, seen only by their tenant, kept
// across a restart, cancelled with every leg's capacity given back.
#include "lightpath/service/connection_json.h"
#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

std::string in(std::chrono::minutes from_now) {
  return formatTime(TimePoint(std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())) +
                    from_now);
}

json transferOrder(double bytes, std::chrono::minutes deadline) {
  return {{"a_end", "dc-ashburn-p1"},
          {"z_end", "dc-hillsboro-p1"},
          {"bytes", bytes},
          {"deadline", in(deadline)}};
}

class TransferTest : public ApiFixture {};

TEST_F(TransferTest, AdmittedWithAPlanThatMeetsTheDeadlineAndCancelledWhole) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string other = addTenant("other", {"dc-ashburn-p2"});
  Reply made =
      call("POST", "/v1/transfers", acme, transferOrder(150e12, std::chrono::hours(3)).dump());
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_EQ(made.header("Location"), "/v1/transfers/" + id);
  EXPECT_EQ(made.body.value("state", ""), "scheduled");
  EXPECT_TRUE(made.body["progress"].value("on_track", false));
  // Not yet read from the devices (once a minute): the plan's figure.
  EXPECT_EQ(made.body["progress"].value("source", ""), "plan");
  EXPECT_FALSE(made.body["progress"].contains("counted_at"));
  EXPECT_GE(made.body["progress"].value("expected_bytes", 0.0), 150e12 * (1 - 1e-9));
  EXPECT_GT(made.body["price"].value("total", 0.0), 0);
  ASSERT_FALSE(made.body["legs"].empty());
  // The legs carry the bytes by the deadline.
  double megabits = 0;
  for (const json& leg : made.body["legs"]) {
    const auto& steps = leg["steps"];
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const TimePoint from = *parseTime(steps[i].value("at", ""));
      const TimePoint to =
          *parseTime(i + 1 < steps.size() ? steps[i + 1].value("at", "") : leg.value("end", ""));
      megabits +=
          steps[i].value("bandwidth_mbps", 0.0) * std::chrono::duration<double>(to - from).count();
    }
    Reply c = call("GET", "/v1/connections/{id}", acme, "",
                   "/v1/connections/" + leg.value("connection", ""));
    ASSERT_EQ(c.status, 200);
    EXPECT_EQ(c.body["requested"]["tags"].value("transfer", ""), id);
    EXPECT_EQ(c.body["requested"]["route"], leg["fibers"]);
  }
  EXPECT_GE(megabits * 1e6 / 8, 150e12);
  EXPECT_LE(*parseTime(made.body.value("finish", "")), *parseTime(made.body.value("deadline", "")));

  // Its tenant sees it; another does not, not even that it exists.
  EXPECT_EQ(call("GET", "/v1/transfers/{id}", acme, "", "/v1/transfers/" + id).status, 200);
  EXPECT_EQ(call("GET", "/v1/transfers/{id}", other, "", "/v1/transfers/" + id).status, 404);
  EXPECT_EQ(call("GET", "/v1/transfers", acme).body["items"].size(), 1u);
  EXPECT_EQ(call("GET", "/v1/transfers", other).body["items"].size(), 0u);
  EXPECT_EQ(call("DELETE", "/v1/transfers/{id}", other, "", "/v1/transfers/" + id).status, 404);

  // Kept across a restart.
  restart();
  Reply again = call("GET", "/v1/transfers/{id}", acme, "", "/v1/transfers/" + id);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body["legs"].size(), made.body["legs"].size());

  // Cancelled: every leg terminated, nothing held.
  Reply cancelled = call("DELETE", "/v1/transfers/{id}", acme, "", "/v1/transfers/" + id);
  ASSERT_EQ(cancelled.status, 202) << cancelled.raw;
  EXPECT_EQ(cancelled.body.value("state", ""), "cancelled");
  EXPECT_FALSE(cancelled.body["progress"].value("on_track", true));
  for (const json& leg : made.body["legs"])
    EXPECT_EQ(waitFor(acme, leg.value("connection", ""), "terminated"), "terminated");
  EXPECT_EQ(server_->stack().ledger->holdCount(), 0u);

  // Its events, to its tenant only (each checked against the API document's Event).
  std::vector<std::string> seen;
  Reply events = call("GET", "/v1/events", acme);
  ASSERT_EQ(events.status, 200) << events.raw;
  for (const json& e : events.body["items"])
    if (e.value("subject", "") == id)
      seen.push_back(e.value("type", "") + " " + e["data"].value("state", ""));
  EXPECT_EQ(seen, (std::vector<std::string>{"transfer.created scheduled",
                                            "transfer.stateChanged cancelled"}));
  // (The reply held in a variable: a range-for over a member of a temporary reads freed memory.)
  const Reply others = call("GET", "/v1/events", other);
  ASSERT_EQ(others.status, 200) << others.raw;
  for (const json& e : others.body["items"]) EXPECT_NE(e.value("subject", ""), id);
}

TEST_F(TransferTest, RefusedWithWhyAndTheEarliestDeadlineThatWorks) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  // 1 PB in an hour is 2.2 Tb/s: more than a 400G port.
  Reply refused =
      call("POST", "/v1/transfers", acme, transferOrder(1e15, std::chrono::hours(1)).dump());
  ASSERT_EQ(refused.status, 422) << refused.raw;
  EXPECT_NE(refused.body.value("detail", "").find("cannot deliver 1000 TB"), std::string::npos);
  const std::string earliest = refused.body.value("earliest_deadline", "");
  ASSERT_FALSE(earliest.empty()) << refused.raw;
  EXPECT_EQ(server_->stack().ledger->holdCount(), 0u);
  // Asked again with that deadline, it is admitted.
  json order = transferOrder(1e15, std::chrono::hours(1));
  order["deadline"] = earliest;
  Reply admitted = call("POST", "/v1/transfers", acme, order.dump());
  EXPECT_EQ(admitted.status, 201) << admitted.raw;
  // Too dear: refused, nothing held beyond what the first holds.
  const std::size_t holds = server_->stack().ledger->holdCount();
  json dear = transferOrder(10e12, std::chrono::hours(6));
  dear["z_end"] = "dc-hillsboro-p1";
  dear["max_price"] = 0.01;
  Reply too_dear = call("POST", "/v1/transfers", acme, dear.dump());
  EXPECT_EQ(too_dear.status, 422) << too_dear.raw;
  EXPECT_NE(too_dear.body.value("detail", "").find("max_price"), std::string::npos);
  EXPECT_EQ(server_->stack().ledger->holdCount(), holds);
}

TEST_F(TransferTest, BadOrdersNameTheField) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  auto field = [&](json order) {
    Reply r = call("POST", "/v1/transfers", acme, order.dump());
    EXPECT_EQ(r.status, 400) << r.raw;
    return r.body.value("field", "");
  };
  json good = transferOrder(1e12, std::chrono::hours(2));
  auto with = [&](const char* key, json value) {
    json order = good;
    order[key] = std::move(value);
    return field(order);
  };
  EXPECT_EQ(with("bytes", 0), "bytes");
  EXPECT_EQ(with("bytes", "lots"), "bytes");
  EXPECT_EQ(with("deadline", in(-std::chrono::minutes(5))), "deadline");
  EXPECT_EQ(with("deadline", "friday"), "deadline");
  EXPECT_EQ(with("deadline", "2999-01-01T00:00:00Z"), "deadline");  // beyond the calendar
  EXPECT_EQ(with("earliest", in(std::chrono::hours(3))), "deadline");
  EXPECT_EQ(with("a_end", "dc-ashburn-p2"), "a_end");  // not acme's
  EXPECT_EQ(with("z_end", 7), "z_end");
  EXPECT_EQ(with("colour", "blue"), "colour");
  EXPECT_EQ(server_->stack().ledger->holdCount(), 0u);
}

}  // namespace
}  // namespace lightpath::testing
