// The API's small pieces on their own: problem documents, metrics text, static files, crypto.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/api/metrics.h"
#include "lightpath/api/problem.h"
#include "lightpath/api/static_files.h"
#include "lightpath/base/crypto.h"
#include "lightpath/base/ids.h"
#include "lightpath/events/webhooks.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

TEST(Problem, MapsEveryCodeToOneStatusAndNamesTheField) {
  EXPECT_EQ(httpStatusOf(StatusCode::InvalidArgument), 400);
  EXPECT_EQ(httpStatusOf(StatusCode::Aborted), 409);
  EXPECT_EQ(httpStatusOf(StatusCode::ResourceExhausted), 422);
  EXPECT_EQ(httpStatusOf(StatusCode::Unavailable), 503);
  const HttpResponse r = problemOf(invalidArgument("steps[2].at: not a time"));
  EXPECT_EQ(r.status, 400);
  const auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["field"], "steps[2].at");
  EXPECT_EQ(doc["type"], "/problems/invalid-argument");
  EXPECT_EQ(doc["title"], "Bad Request");
  // A message that does not start with a field names none; bad bytes in it do not break JSON.
  const auto plain = nlohmann::json::parse(problemOf(invalidArgument("Something: \xff odd")).body);
  EXPECT_FALSE(plain.contains("field"));
  EXPECT_FALSE(nlohmann::json::parse(problemOf(notFound("x: y")).body).contains("field"))
      << "only bad input names fields";
}

TEST(ConnectionView, DropsOnlyTheLedgerHoldsWhateverTheTagsSay) {
  // Tags that spell the member to drop, in keys and values, must come through untouched.
  const std::map<std::string, std::string> tags{
      {"holds", "[1,2]"}, {"note", "\"holds\":[3]"}, {"z", "holds"}};
  Connection c = Connection::draft("conn_v", "acme",
                                   {.kind = ConnectionKind::Ethernet,
                                    .a_end = "p1",
                                    .z_end = "p2",
                                    .bandwidth_mbps = 100,
                                    .tags = tags},
                                   TimePoint(std::chrono::seconds(1'800'000'000)), "key_1");
  for (const std::vector<std::uint64_t>& holds :
       {std::vector<std::uint64_t>{}, std::vector<std::uint64_t>{7},
        std::vector<std::uint64_t>{7, 8, 9}}) {
    c.setCurrent({.nodes = {"a", "b"}, .fibers = {"ab"}, .km = 12.5, .holds = holds});
    const nlohmann::json stored = nlohmann::json::parse(connectionToJson(c));
    const nlohmann::json shown = nlohmann::json::parse(connectionView(c));
    ASSERT_TRUE(stored["current"].contains("holds"));
    EXPECT_FALSE(shown["current"].contains("holds")) << shown.dump();
    nlohmann::json expected = stored;
    expected["current"].erase("holds");
    EXPECT_EQ(shown, expected);
    const auto shown_tags = shown["requested"]["tags"].get<std::map<std::string, std::string>>();
    EXPECT_EQ(shown_tags, tags);
  }
  // The order is the first history entry and comes from nowhere.
  EXPECT_FALSE(nlohmann::json::parse(connectionView(c))["history"][0].contains("from"));
}

TEST(Http, MediaTypesAndAcceptAreReadWhateverTheirCase) {
  EXPECT_EQ(mediaType(" Application/JSON ; charset=utf-8"), "application/json");
  EXPECT_EQ(mediaType("text/csv"), "text/csv");
  HttpRequest request;
  EXPECT_FALSE(request.accepts("text/csv"));
  request.headers["accept"] = "application/json;q=0.9, Text/CSV;q=1";
  EXPECT_TRUE(request.accepts("text/csv"));
  EXPECT_TRUE(request.accepts("application/json"));
  request.headers["accept"] = "text/csvx, application/json";
  EXPECT_FALSE(request.accepts("text/csv"));
}

TEST(Metrics, CountsByRouteAndCodeAndFillsCumulativeBuckets) {
  Metrics m({"GET /a", "POST /b"});
  m.recordRequest(0, 200, 0.0003);
  m.recordRequest(0, 200, 0.002);
  m.recordRequest(1, 422, 0.5);
  m.recordRequest(7, 200, 0.1);  // an unknown route is ignored
  m.recordWorkflow("activate", true, 0.004);
  const std::string text = m.render();
  EXPECT_NE(text.find("lightpath_http_requests_total{route=\"GET /a\",code=\"200\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("lightpath_http_requests_total{route=\"POST /b\",code=\"422\"} 1"),
            std::string::npos);
  EXPECT_NE(
      text.find("lightpath_http_request_duration_seconds_bucket{route=\"GET /a\",le=\"0.0005\"} 1"),
      std::string::npos);
  EXPECT_NE(
      text.find("lightpath_http_request_duration_seconds_bucket{route=\"GET /a\",le=\"0.0025\"} 2"),
      std::string::npos);
  EXPECT_NE(text.find("lightpath_http_request_duration_seconds_count{route=\"GET /a\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("lightpath_workflows_total{job=\"activate\",result=\"ok\"} 1"),
            std::string::npos);
}

TEST(StaticFiles, ServesOnlyWhatIsInTheDirectory) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("lightpath-static-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "maps");
  EXPECT_FALSE(StaticFiles::load(dir.string())) << "no index.html";
  std::ofstream(dir / "index.html") << "<!doctype html>";
  std::ofstream(dir / "maps" / "us.json") << "{}";
  auto files = StaticFiles::load(dir.string());
  ASSERT_TRUE(files) << files.error().toString();
  EXPECT_EQ(files->count(), 2u);
  auto index = files->get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(*index->header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index->header("Content-Security-Policy")->find("default-src 'self'"),
            std::string::npos);
  EXPECT_EQ(*files->get("/maps/us.json")->header("Content-Type"), "application/json");
  for (const char* outside :
       {"/../index.html", "/maps/../index.html", "/etc/passwd", "/maps", "//index.html"}) {
    EXPECT_FALSE(files->get(outside)) << outside;
  }
  std::filesystem::remove_all(dir);
}

TEST(Crypto, HashesAndSignaturesMatchKnownValues) {
  EXPECT_EQ(sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  EXPECT_EQ(
      hmacSha256Hex("key", "The quick brown fox jumps over the lazy dog"),
      "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");  // the widely published
                                                                            // example value
  EXPECT_EQ(randomHex(32).size(), 64u);
  // Ids anyone sees come from the cryptographic generator, in the usual format.
  const std::string a = secureId("conn"), b = secureId("conn");
  EXPECT_TRUE(isId(a, "conn")) << a;
  EXPECT_NE(a, b);
  EXPECT_NE(randomHex(16), randomHex(16));
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_EQ(webhookSignature("s", 10, "{}"), "t=10,v1=" + hmacSha256Hex("s", "10.{}"));
  // RFC 4648's test vectors.
  for (const auto& [plain, encoded] : std::vector<std::pair<std::string, std::string>>{
           {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foobar", "Zm9vYmFy"}}) {
    EXPECT_EQ(base64Encode(plain), encoded);
    if (!plain.empty()) {
      EXPECT_EQ(base64Decode(encoded), plain);
    }
  }
  EXPECT_FALSE(base64Decode("Zm9"));   // not a multiple of 4
  EXPECT_FALSE(base64Decode("Zm!v"));  // not the alphabet
  EXPECT_EQ(randomBytes(24).size(), 24u);
}

TEST(Crypto, StandardWebhooksSignaturesMatchTheSpecificationsExample) {
  // The example of the Standard Webhooks specification and its libraries' tests.
  EXPECT_EQ(standardWebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                     "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                     R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // A secret the subscriber chose that is not base64 keys the HMAC with its own bytes.
  EXPECT_EQ(standardWebhookSignature("my own secret!!!", "m", 1, "{}"),
            "v1," + base64Encode(hmacSha256("my own secret!!!", "m.1.{}")));
}

TEST(WebhookUrl, KnowsPrivateAddresses) {
  for (const char* ip : {"127.0.0.1", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1",
                         "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1",
                         "::", "fe80::1", "fd00::1", "ff02::1", "::ffff:10.0.0.1"}) {
    EXPECT_TRUE(isPrivateAddress(ip)) << ip;
  }
  for (const char* ip : {"8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                         "::ffff:1.1.1.1", "example.com", ""}) {
    EXPECT_FALSE(isPrivateAddress(ip)) << ip;
  }
  // Loopback and private written the other ways resolvers read them, IPv6 forms that carry a
  // private IPv4 address, and the special-purpose ranges.
  for (const char* ip : {"127.1",
                         "2130706433",
                         "0x7f000001",
                         "0177.0.0.1",
                         "10.1",
                         "0xa9fea9fe",
                         "::ffff:0:127.0.0.1",
                         "::127.0.0.1",
                         "64:ff9b::7f00:1",
                         "64:ff9b::a00:1",
                         "64:ff9b:1::1",
                         "2002:7f00:1::1",
                         "2002:a00:1::",
                         "2001:0:4136:e378:8000:63bf:80ff:fffe",
                         "100::1",
                         "2001:db8::1",
                         "fec0::1",
                         "192.0.2.1",
                         "198.51.100.7",
                         "203.0.113.9",
                         "198.18.0.1",
                         "192.0.0.8",
                         "255.255.255.255"}) {
    EXPECT_TRUE(isPrivateAddress(ip)) << ip;
  }
  for (const char* ip : {"134744072" /* 8.8.8.8 */, "0x08080808", "64:ff9b::808:808",
                         "2002:808:808::1", "2606:4700:4700::1111"}) {
    EXPECT_FALSE(isPrivateAddress(ip)) << ip;
  }
  for (const char* host : {"localhost", "LOCALHOST.", "api.localhost", "127.1"}) {
    EXPECT_TRUE(isPrivateHost(host)) << host;
  }
  for (const char* host : {"localhost.example.com", "hooks.example.com", "deadbeef.cafe"}) {
    EXPECT_FALSE(isPrivateHost(host)) << host;
  }
  EXPECT_EQ(parseWebhookUrl("http://[::1]:8080/x")->host, "::1");
  EXPECT_EQ(parseWebhookUrl("https://hooks.example.com:8443/x")->host, "hooks.example.com");
  auto refused = resolveReceiver("localhost", false);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("private address"), std::string::npos);
  EXPECT_TRUE(resolveReceiver("localhost", true));
}

TEST(WebhookUrl, TakesHttpAndHttpsOnly) {
  auto ok = parseWebhookUrl("https://hooks.example.com:8443/lightpath?x=1");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->scheme_host_port, "https://hooks.example.com:8443");
  EXPECT_EQ(ok->path, "/lightpath?x=1");
  EXPECT_EQ(parseWebhookUrl("http://example.com")->path, "/");
  for (const char* bad : {"ftp://x/y", "example.com/x", "http://", "http://user@host/x",
                          "http://a b/x", "javascript:alert(1)"}) {
    EXPECT_FALSE(parseWebhookUrl(bad)) << bad;
  }
}

}  // namespace
}  // namespace lightpath
