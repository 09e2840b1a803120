// Quotes an order can name: the order gets exactly the quoted price, or 409 with the reason when
// the quote lapsed or was for another order; a forged or another tenant's quote id is refused.
#include "lightpath/base/crypto.h"
#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

std::string withQuote(const std::string& order, const std::string& quote_id) {
  json body = json::parse(order);
  body["quote_id"] = quote_id;
  return body.dump();
}

TEST_F(ApiFixture, AnOrderNamingAQuoteGetsItsPriceOrTheReasonWhyNot) {
  config_.limits.quote_validity = std::chrono::seconds(2);
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string globex = addTenant("globex", {"dc-santa-clara-p1", "dc-elk-grove-p1"});
  const std::string order = ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 1000);
  Reply quote = call("POST", "/v1/quotes", acme, order);
  ASSERT_EQ(quote.status, 200) << quote.raw;
  const std::string id = quote.body.value("id", "");
  ASSERT_EQ(id.rfind("quo_", 0), 0u) << quote.raw;
  EXPECT_FALSE(quote.body.value("valid_until", "").empty());

  // The same order naming it (tags may differ): exactly the quoted price.
  json tagged = json::parse(withQuote(order, id));
  tagged["tags"] = {{"team", "ml"}};
  Reply made = call("POST", "/v1/connections", acme, tagged.dump());
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body["current"]["price"], quote.body["price"]) << made.raw;

  // Another order under that quote: refused with the reason, nothing held.
  const std::size_t held = call("GET", "/v1/connections", acme).body.value("total", 0);
  Reply other = call("POST", "/v1/connections", acme,
                     withQuote(ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 2000), id));
  EXPECT_EQ(other.status, 409) << other.raw;
  EXPECT_NE(other.body.value("detail", "").find("another order"), std::string::npos) << other.raw;
  // Another tenant's, or forged (the price changed in the id): not a quote of ours.
  EXPECT_EQ(call("POST", "/v1/connections", globex,
                 withQuote(ethernetOrder("dc-santa-clara-p1", "dc-elk-grove-p1", 1000), id))
                .status,
            400);
  const auto dot = id.rfind('.');
  json claims = json::parse(*base64UrlDecode(id.substr(4, dot - 4)));
  claims["p"] = "USD 1 0.01/mo 0.0000/h 0.00 setup";
  const std::string forged = "quo_" + base64UrlEncode(claims.dump()) + id.substr(dot);
  Reply refused = call("POST", "/v1/connections", acme, withQuote(order, forged));
  EXPECT_EQ(refused.status, 400) << refused.raw;
  EXPECT_EQ(refused.body.value("field", ""), "quote_id") << refused.raw;

  // Lapsed: refused with when it lapsed.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  Reply lapsed = call("POST", "/v1/connections", acme, withQuote(order, id));
  EXPECT_EQ(lapsed.status, 409) << lapsed.raw;
  EXPECT_NE(lapsed.body.value("detail", "").find("lapsed"), std::string::npos) << lapsed.raw;
  EXPECT_EQ(call("GET", "/v1/connections", acme).body.value("total", 0), held);
  // A quote names no quote.
  EXPECT_EQ(call("POST", "/v1/quotes", acme, withQuote(order, id)).status, 400);
}

TEST_F(ApiFixture, AnOrderWhosePriceChangedSinceItsQuoteIsRefusedAndHoldsNothing) {
  start();
  const std::string acme = addTenant("acme", {});
  const std::string order = json{
      {"kind", "wavelength"},
      {"a_end", "dc-ashburn"},
      {"z_end", "dc-hillsboro"},
      {"bandwidth_mbps",
       200000}}.dump();
  Reply quote = call("POST", "/v1/quotes", acme, order);
  ASSERT_EQ(quote.status, 200) << quote.raw;
  // A fiber of the quoted route is cut: the order goes another way, of another length, and a
  // wavelength's price follows its length.
  const std::string fiber = quote.body["fibers"][1].get<std::string>();
  Reply cut = call("POST", "/v1/failures", operator_key_,
                   json{{"fiber", fiber}, {"reason", "backhoe"}}.dump());
  ASSERT_EQ(cut.status, 201) << cut.raw;
  Reply now = call("POST", "/v1/quotes", acme, order);
  ASSERT_NE(now.body["price"], quote.body["price"]) << "the detour costs the same";
  Reply refused =
      call("POST", "/v1/connections", acme, withQuote(order, quote.body.value("id", "")));
  EXPECT_EQ(refused.status, 409) << refused.raw;
  EXPECT_NE(refused.body.value("detail", "").find("no longer the quoted one"), std::string::npos)
      << refused.raw;
  EXPECT_EQ(call("GET", "/v1/connections", acme).body.value("total", -1), 0);
  EXPECT_TRUE(server_->stack().provisioner->check().empty());
  // The new quote's price is had.
  Reply made = call("POST", "/v1/connections", acme, withQuote(order, now.body.value("id", "")));
  EXPECT_EQ(made.status, 201) << made.raw;
}

}  // namespace
}  // namespace lightpath::testing
