#include "lightpath/cloud/sigv4.h"

#include <gtest/gtest.h>

#include "lightpath/base/crypto.h"
#include "lightpath/cloud/provider.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

// AWS's published example (IAM ListUsers, IAM User Guide "Signature Version 4 signing"): the
// canonical request's hash and the signature are theirs.
SigV4Request listUsers() {
  return {.method = "GET",
          .path = "/",
          .query = {{"Action", "ListUsers"}, {"Version", "2010-05-08"}},
          .headers = {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
                      {"host", "iam.amazonaws.com"},
                      {"x-amz-date", "20150830T123600Z"}},
          .body = ""};
}

TEST(SigV4Test, MatchesAwsPublishedExample) {
  const SigV4Request r = listUsers();
  const std::vector<std::string> signed_headers{"content-type", "host", "x-amz-date"};
  EXPECT_EQ(sha256Hex(sigV4CanonicalRequest(r, signed_headers)),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  const SigV4Authorization a{.access_key_id = "AKIDEXAMPLE",
                             .date = "20150830",
                             .region = "us-east-1",
                             .service = "iam",
                             .signed_headers = signed_headers,
                             .signature = {}};
  EXPECT_EQ(sigV4Signature(r, a, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830T123600Z"),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4Test, SignedRequestsParseAndVerify) {
  SigV4Request r = listUsers();
  r.headers.erase("x-amz-date");
  signSigV4(r, {"123456789012", "s3cret"}, "us-west-2", "directconnect",
            parseTime("2026-11-27T10:00:00Z").value());
  EXPECT_EQ(r.headers["x-amz-date"], "20261127T100000Z");
  auto a = parseSigV4Authorization(r.headers["authorization"]);
  ASSERT_TRUE(a) << a.error().toString();
  EXPECT_EQ(a->access_key_id, "123456789012");
  EXPECT_EQ(a->region, "us-west-2");
  EXPECT_EQ(a->service, "directconnect");
  EXPECT_EQ(a->signature, sigV4Signature(r, *a, "s3cret", r.headers["x-amz-date"]));
  r.body = "tampered";
  EXPECT_NE(a->signature, sigV4Signature(r, *a, "s3cret", r.headers["x-amz-date"]));
}

TEST(SigV4Test, MalformedHeadersAreNamed) {
  for (const char* bad : {"Bearer x", "AWS4-HMAC-SHA256 Credential=a/b/c",
                          "AWS4-HMAC-SHA256 Credential=K/20261127/r/s/aws4_request, "
                          "SignedHeaders=x-amz-date;host, Signature=00",
                          "AWS4-HMAC-SHA256 Credential=K/20261127/r/s/aws4_request, "
                          "SignedHeaders=host, Signature=XYZ"}) {
    auto a = parseSigV4Authorization(bad);
    ASSERT_FALSE(a) << bad;
    EXPECT_NE(a.error().message().find("Authorization"), std::string::npos);
  }
}

TEST(HostedBandwidthTest, ProvidersSpellings) {
  EXPECT_EQ(awsBandwidth(50), "50Mbps");
  EXPECT_EQ(awsBandwidth(10000), "10Gbps");
  EXPECT_EQ(parseAwsBandwidth("1Gbps"), 1000u);
  EXPECT_FALSE(parseAwsBandwidth("3Gbps"));
  EXPECT_EQ(googleBandwidth(500), "BPS_500M");
  EXPECT_EQ(parseGoogleBandwidth("BPS_2G"), 2000u);
  EXPECT_EQ(hostedBandwidths("azure").size(), 8u);
}

}  // namespace
}  // namespace lightpath
