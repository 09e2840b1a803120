// Lists in a stable order: ids sort by when they were made, a cursor that does not shift when
// connections are added, newest first on request, and a creation window.
#include "lightpath/base/ids.h"
#include "lightpath/service/connection_json.h"
#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

std::vector<std::string> idsOf(const Reply& page) {
  std::vector<std::string> ids;
  for (const json& c : page.body["items"]) ids.push_back(c.value("id", ""));
  return ids;
}

TEST_F(ApiFixture, ListsPageInCreationOrderWithACursorThatDoesNotShift) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  std::vector<std::string> made;
  std::string middle;  // a time between the second and the third
  for (int i = 0; i < 5; ++i) {
    if (i == 2) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      middle = formatTime(std::chrono::time_point_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now()));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    Reply r = call("POST", "/v1/connections", acme,
                   ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 50));
    ASSERT_EQ(r.status, 201) << r.raw;
    made.push_back(r.body.value("id", ""));
    EXPECT_TRUE(isId(made.back(), "conn")) << made.back();
    EXPECT_EQ(made.back().size(), 31u) << "time-sortable: conn_ and 26 characters";
  }
  EXPECT_TRUE(std::is_sorted(made.begin(), made.end())) << "ids sort by when they were made";

  Reply first = call("GET", "/v1/connections", acme, "", "/v1/connections?limit=2");
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(idsOf(first), (std::vector<std::string>{made[0], made[1]}));
  EXPECT_EQ(first.body.value("total", 0), 5);
  const std::string cursor = first.body.value("next_cursor", "");
  EXPECT_EQ(cursor, made[1]);
  // A new connection arrives between two pages: the next page is what followed, unshifted.
  Reply late =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 50));
  made.push_back(late.body.value("id", ""));
  Reply second =
      call("GET", "/v1/connections", acme, "", "/v1/connections?limit=2&after=" + cursor);
  EXPECT_EQ(idsOf(second), (std::vector<std::string>{made[2], made[3]})) << second.raw;
  EXPECT_EQ(second.body.value("total", 0), 6);
  Reply last = call("GET", "/v1/connections", acme, "",
                    "/v1/connections?limit=5&after=" + second.body.value("next_cursor", ""));
  EXPECT_EQ(idsOf(last), (std::vector<std::string>{made[4], made[5]}));
  EXPECT_FALSE(last.body.contains("next_cursor")) << "the last page has no cursor";

  // Newest first, with its own cursor.
  Reply newest =
      call("GET", "/v1/connections", acme, "", "/v1/connections?limit=2&sort=-created_at");
  EXPECT_EQ(idsOf(newest), (std::vector<std::string>{made[5], made[4]}));
  Reply older = call(
      "GET", "/v1/connections", acme, "",
      "/v1/connections?limit=2&sort=-created_at&after=" + newest.body.value("next_cursor", ""));
  EXPECT_EQ(idsOf(older), (std::vector<std::string>{made[3], made[2]}));

  // A creation window.
  Reply since = call("GET", "/v1/connections", acme, "", "/v1/connections?created_after=" + middle);
  EXPECT_EQ(idsOf(since), (std::vector<std::string>(made.begin() + 2, made.end()))) << middle;
  Reply before =
      call("GET", "/v1/connections", acme, "", "/v1/connections?created_before=" + middle);
  EXPECT_EQ(idsOf(before), (std::vector<std::string>{made[0], made[1]}));

  // Bad input, each named.
  for (const char* query : {"after=conn_nope", "sort=price", "created_after=yesterday",
                            "after=" /* empty */, "offset=1&after="}) {
    Reply bad = call("GET", "/v1/connections", acme, "", std::string("/v1/connections?") + query);
    EXPECT_EQ(bad.status, 400) << query << ": " << bad.raw;
  }
  Reply both =
      call("GET", "/v1/connections", acme, "", "/v1/connections?offset=1&after=" + made[0]);
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(both.body.value("field", ""), "after");
}

// Filters by kind, end and tag, read from the store's index of each connection's terms: they
// follow a change of tags, combine with each other and with the state, stay within the
// caller's tenant, and leave the total out (it would be a count of every match).
TEST_F(ApiFixture, ListsByKindEndAndTag) {
  start();
  const std::string acme =
      addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1", "dc-ashburn-p2", "dc-abilene-p1"});
  const std::string globex = addTenant("globex", {"dc-ashburn-p3", "dc-hillsboro-p3"});
  std::vector<std::string> made;
  for (const auto& [a, z] :
       {std::pair{"dc-ashburn-p1", "dc-hillsboro-p1"}, std::pair{"dc-ashburn-p2", "dc-abilene-p1"},
        std::pair{"dc-ashburn-p1", "dc-abilene-p1"}}) {
    Reply r = call("POST", "/v1/connections", acme, ethernetOrder(a, z, 50));
    ASSERT_EQ(r.status, 201) << r.raw;
    made.push_back(r.body.value("id", ""));
  }
  ASSERT_EQ(
      call("POST", "/v1/connections", globex, ethernetOrder("dc-ashburn-p3", "dc-hillsboro-p3", 50))
          .status,
      201);
  for (const std::string& id : made) ASSERT_EQ(waitFor(acme, id, "active"), "active");
  // The second retagged.
  Reply second = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + made[1]);
  ASSERT_EQ(call("PATCH", "/v1/connections/{id}", acme, R"({"tags":{"team":"infra","env":"prod"}})",
                 "/v1/connections/" + made[1], {{"If-Match", second.header("ETag")}})
                .status,
            200);
  auto list = [&](const std::string& query) {
    Reply r = call("GET", "/v1/connections", acme, "", "/v1/connections?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.raw;
    EXPECT_FALSE(r.body.contains("total")) << query;
    return idsOf(r);
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(list("kind=ethernet"), made);
  EXPECT_EQ(list("kind=wavelength"), Ids{});
  EXPECT_EQ(list("end=dc-ashburn-p1"), (Ids{made[0], made[2]}));
  EXPECT_EQ(list("end=dc-abilene-p1&sort=-created_at"), (Ids{made[2], made[1]}));
  EXPECT_EQ(list("tag=team%3Dml"), (Ids{made[0], made[2]}));
  EXPECT_EQ(list("tag=team%3Dinfra&tag=env%3Dprod&kind=ethernet"), (Ids{made[1]}));
  EXPECT_EQ(list("end=dc-abilene-p1&tag=team%3Dml&state=active"), (Ids{made[2]}));
  EXPECT_EQ(list("end=dc-abilene-p1&state=terminated"), Ids{});
  EXPECT_EQ(list("end=dc-ashburn-p1&limit=1&after=" + made[0]), (Ids{made[2]}));
  // Another tenant's connections are not found by their end, but an operator finds them.
  EXPECT_EQ(list("end=dc-ashburn-p3"), Ids{});
  Reply theirs = call("GET", "/v1/connections", operator_key_, "",
                      "/v1/connections?end=dc-ashburn-p3&tenant=globex");
  EXPECT_EQ(theirs.body["items"].size(), 1u) << theirs.raw;
  // Bad input, each named.
  for (const char* query : {"kind=dwdm", "tag=team", "end="}) {
    Reply bad = call("GET", "/v1/connections", acme, "", std::string("/v1/connections?") + query);
    EXPECT_EQ(bad.status, 400) << query << ": " << bad.raw;
  }
}

TEST_F(ApiFixture, DocumentListsPageByACursorOfTheirOwn) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string globex = addTenant("globex", {});
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(
        call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 50))
            .status,
        201);
  }
  // Orders, newest first: a page, then a new order, then the page after the cursor is what
  // followed the first page (an offset would show the first page's last order again).
  Reply first = call("GET", "/v1/orders", acme, "", "/v1/orders?limit=2");
  ASSERT_EQ(first.body["items"].size(), 2u) << first.raw;
  const std::string cursor = first.body.value("next_cursor", "");
  ASSERT_FALSE(cursor.empty()) << first.raw;
  ASSERT_EQ(
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 50))
          .status,
      201);
  Reply next = call("GET", "/v1/orders", acme, "", "/v1/orders?limit=2&after=" + cursor);
  ASSERT_EQ(next.body["items"].size(), 1u) << next.raw;
  EXPECT_NE(next.body["items"][0].value("id", ""), first.body["items"][1].value("id", ""));
  EXPECT_FALSE(next.body.contains("next_cursor"));
  EXPECT_EQ(next.body.value("total", 0), 4);
  // A cursor is its viewer's and its list's own.
  EXPECT_EQ(call("GET", "/v1/orders", globex, "", "/v1/orders?after=" + cursor).status, 400);
  EXPECT_EQ(call("GET", "/v1/api-keys", acme, "", "/v1/api-keys?after=" + cursor).status, 400);
  EXPECT_EQ(call("GET", "/v1/orders", acme, "", "/v1/orders?offset=1&after=" + cursor).status, 400);
}

}  // namespace
}  // namespace lightpath::testing
