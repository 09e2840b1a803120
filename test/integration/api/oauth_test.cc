// OAuth2 client credentials end to end: a tenant admin makes a client, trades its secret for
// access tokens (HTTP Basic or form fields), and the API takes them as it takes keys, with the
// scope's role; tokens are checked against the published keys by an independent verifier
// (OpenSSL from the JWKS), refused when forged, expired or of a revoked client.
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "lightpath/base/crypto.h"
#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

std::string fromBase64Url(std::string text) {
  for (char& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  text.append((4 - text.size() % 4) % 4, '=');
  return base64Decode(text).value_or("");
}

// Verifies an ES256 JWT with the key of `jwks` its header names, as a resource server would.
bool verifiedByJwks(const std::string& token, const json& jwks) {
  const auto dot1 = token.find('.');
  const auto dot2 = token.rfind('.');
  const json header = json::parse(fromBase64Url(token.substr(0, dot1)), nullptr, false);
  for (const json& k : jwks.value("keys", json::array())) {
    if (k.value("kid", "") != header.value("kid", "")) continue;
    std::string point = "\x04" + fromBase64Url(k.value("x", "")) + fromBase64Url(k.value("y", ""));
    OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
    OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
    EVP_PKEY_CTX* from = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* key = nullptr;
    EVP_PKEY_fromdata_init(from);
    EVP_PKEY_fromdata(from, &key, EVP_PKEY_PUBLIC_KEY, params);
    const std::string raw = fromBase64Url(token.substr(dot2 + 1));
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(sig, &der);
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    const std::string input = token.substr(0, dot2);
    const bool ok =
        key && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(md, der, length, reinterpret_cast<const unsigned char*>(input.data()),
                         input.size()) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(from);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(build);
    return ok;
  }
  return false;
}

class OAuthTest : public ApiFixture {
 protected:
  // POST /oauth/token with a form body (and Basic credentials when given).
  Reply token(const std::string& form, const std::string& basic = "") {
    httplib::Headers headers;
    if (!basic.empty()) headers.emplace("Authorization", "Basic " + base64Encode(basic));
    auto r = client_->Post("/oauth/token", headers, form, "application/x-www-form-urlencoded");
    Reply reply;
    if (!r) {
      ADD_FAILURE() << "no reply";
      return reply;
    }
    reply.status = r->status;
    reply.raw = r->body;
    reply.headers = r->headers;
    reply.body = json::parse(r->body, nullptr, false);
    checkContract("POST", "/oauth/token", reply);
    return reply;
  }
};

TEST_F(OAuthTest, ClientsTradeTheirSecretForTokensTheApiTakesAsKeys) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string globex = addTenant("globex", {"dc-santa-clara-p1", "dc-elk-grove-p1"});
  Reply made = call("POST", "/v1/oauth-clients", acme, R"({"role":"admin","name":"terraform"})");
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("client_id", "");
  const std::string secret = made.body.value("client_secret", "");
  ASSERT_EQ(id.rfind("cli_", 0), 0u) << made.raw;
  EXPECT_EQ(made.header("Cache-Control"), "no-store");
  // The client's secret is no API key.
  EXPECT_EQ(call("GET", "/v1/connections", secret).status, 401);

  Reply issued = token("grant_type=client_credentials", id + ":" + secret);
  ASSERT_EQ(issued.status, 200) << issued.raw;
  EXPECT_EQ(issued.body.value("token_type", ""), "Bearer");
  EXPECT_EQ(issued.body.value("scope", ""), "admin");
  EXPECT_EQ(issued.header("Cache-Control"), "no-store");
  const std::string admin_token = issued.body.value("access_token", "");
  const json jwks = call("GET", "/.well-known/jwks.json", "").body;
  EXPECT_TRUE(verifiedByJwks(admin_token, jwks)) << jwks.dump();

  // The token works as the client's role, in the client's tenant only.
  EXPECT_EQ(call("GET", "/v1/me", admin_token).body.value("tenant", ""), "acme");
  Reply ordered = call("POST", "/v1/connections", admin_token,
                       ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(ordered.status, 201) << ordered.raw;
  const std::string conn = ordered.body.value("id", "");
  EXPECT_EQ(call("GET", "/v1/connections/{id}", globex, "", "/v1/connections/" + conn).status, 404);
  EXPECT_EQ(call("GET", "/v1/connections", admin_token).body.value("total", 0), 1);

  // Form fields instead of Basic, narrowed to a read-only scope.
  Reply viewer = token("grant_type=client_credentials&scope=viewer&client_id=" + id +
                       "&client_secret=" + secret);
  ASSERT_EQ(viewer.status, 200) << viewer.raw;
  const std::string viewer_token = viewer.body.value("access_token", "");
  EXPECT_EQ(call("GET", "/v1/connections", viewer_token).status, 200);
  EXPECT_EQ(call("POST", "/v1/connections", viewer_token,
                 ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 200))
                .status,
            403);

  // What is refused, with OAuth's error names.
  EXPECT_EQ(token("grant_type=client_credentials", id + ":wrong").body.value("error", ""),
            "invalid_client");
  EXPECT_EQ(token("grant_type=password", id + ":" + secret).body.value("error", ""),
            "unsupported_grant_type");
  EXPECT_EQ(token("grant_type=client_credentials&scope=operator", id + ":" + secret)
                .body.value("error", ""),
            "invalid_scope");
  EXPECT_EQ(token("grant_type=client_credentials&grant_type=client_credentials", id + ":" + secret)
                .body.value("error", ""),
            "invalid_request");
  // A forged token: the claims changed, the signature kept.
  const auto dot1 = admin_token.find('.');
  const auto dot2 = admin_token.rfind('.');
  json claims = json::parse(fromBase64Url(admin_token.substr(dot1 + 1, dot2 - dot1 - 1)));
  claims["tenant"] = "globex";
  std::string forged_claims = base64Encode(claims.dump());
  for (char& c : forged_claims) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (forged_claims.back() == '=') forged_claims.pop_back();
  const std::string forged =
      admin_token.substr(0, dot1 + 1) + forged_claims + admin_token.substr(dot2);
  EXPECT_EQ(call("GET", "/v1/connections", forged).status, 401);

  // Clients are listed without secrets; revoking one ends its tokens at once.
  Reply listed = call("GET", "/v1/oauth-clients", acme);
  ASSERT_EQ(listed.body.value("total", 0), 1);
  EXPECT_FALSE(listed.body["items"][0].contains("hash"));
  EXPECT_EQ(call("GET", "/v1/oauth-clients", globex).body.value("total", 0), 0);
  EXPECT_EQ(call("DELETE", "/v1/oauth-clients/{id}", globex, "", "/v1/oauth-clients/" + id).status,
            404);
  EXPECT_EQ(call("DELETE", "/v1/oauth-clients/{id}", acme, "", "/v1/oauth-clients/" + id).status,
            204);
  EXPECT_EQ(call("GET", "/v1/connections", admin_token).status, 401);
  EXPECT_EQ(token("grant_type=client_credentials", id + ":" + secret).status, 401);
}

TEST_F(OAuthTest, TokensSurviveARestartAndExpire) {
  config_.limits.access_token_lifetime = std::chrono::seconds(4);  // a slow restart fits in it
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  Reply made = call("POST", "/v1/oauth-clients", acme, R"({"role":"viewer"})");
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string credentials =
      made.body.value("client_id", "") + ":" + made.body.value("client_secret", "");
  const std::string access =
      token("grant_type=client_credentials", credentials).body.value("access_token", "");
  restart();  // the signing key is in the store (sealed): the token still verifies
  EXPECT_EQ(call("GET", "/v1/connections", access).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(4100));
  EXPECT_EQ(call("GET", "/v1/connections", access).status, 401);
}

}  // namespace
}  // namespace lightpath::testing
