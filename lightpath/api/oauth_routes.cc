// OAuth2 client credentials (RFC 6749 4.4): clients made and revoked like API keys, the token
// endpoint, and the public keys that verify the tokens (RFC 7517).
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/base/crypto.h"

namespace lightpath {
namespace {

// RFC 6749 5.2: {"error", "error_description"}, never cached.
HttpResponse oauthError(int status, std::string_view error, std::string_view description) {
  HttpResponse reply =
      jsonReply(status, json{{"error", error}, {"error_description", description}});
  reply.headers.emplace_back("Cache-Control", "no-store");
  if (status == 401) reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"lightpath\"");
  return reply;
}

// application/x-www-form-urlencoded: '+' is a space, %XX a byte.
std::optional<std::string> formDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(text[i + 2])))
        return std::nullopt;
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

// The form's fields; none when it is malformed or names a field twice (RFC 6749 3.2).
std::optional<std::map<std::string, std::string>> parseForm(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = formDecode(pair.substr(0, eq));
    auto value = formDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!name || !value || !fields.emplace(*name, *value).second) return std::nullopt;
  }
  return fields;
}

}  // namespace

Result<HttpResponse> Api::Impl::createOAuthClient(Context& ctx) {
  return createCredential(ctx, clients, "/v1/oauth-clients/", "client_secret",
                          limits.max_oauth_clients_per_tenant);
}

Result<HttpResponse> Api::Impl::listOAuthClients(Context& ctx) {
  DocumentQuery query{.kind = kOAuthClients.document};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, cursors, viewerOf(ctx.who), query,
                      [](DocumentRecord& d) { return dumpJson(ApiKeys::shown(d)); });
}

Result<HttpResponse> Api::Impl::deleteOAuthClient(Context& ctx) {
  const std::string& id = ctx.params[0];
  LP_ASSIGN_OR_RETURN(DocumentRecord doc,
                      visibleDocument(ctx, kOAuthClients.document, id, "OAuth client"));
  const json body = json::parse(doc.body, nullptr, false);
  ctx.subject = id;
  ctx.owner = doc.tenant;
  HttpResponse reply;
  reply.status = 204;
  LP_RETURN_IF_ERROR(commit(ctx, reply, [&](StoreTransaction& tx) {
    return tx.deleteDocument(kOAuthClients.document, id);
  }));
  clients.forget(body.is_object() ? body.value("hash", "") : "");  // its tokens stop at once
  return reply;
}

Result<HttpResponse> Api::Impl::issueToken(Context& ctx) {
  // Every try counts against the caller's address: guessing client secrets is slow.
  const std::string address = addressOf(ctx.request.remote);
  if (double wait = takeToken(BucketKind::Address, address, limits.unauthenticated_per_second,
                              2 * limits.unauthenticated_per_second)) {
    return slowDown(wait, fmt::format("more than {:.0f} token requests a second from this address",
                                      limits.unauthenticated_per_second));
  }
  const std::string* type = ctx.request.header("content-type");
  if (!type || mediaType(*type) != "application/x-www-form-urlencoded")
    return oauthError(400, "invalid_request", "send application/x-www-form-urlencoded");
  auto form = parseForm(ctx.request.body);
  if (!form) return oauthError(400, "invalid_request", "the form is malformed or repeats a field");
  auto field = [&](const char* name) {
    auto it = form->find(name);
    return it == form->end() ? std::string() : it->second;
  };
  // The client: HTTP Basic (its parts form-encoded, RFC 6749 2.3.1) or the form's fields, not both.
  std::string client_id = field("client_id");
  std::string client_secret = field("client_secret");
  if (const std::string* auth = ctx.request.header("authorization")) {
    if (!client_secret.empty())
      return oauthError(400, "invalid_request", "authenticate the client one way, not two");
    if (auth->size() < 6 || asciiLower(auth->substr(0, 6)) != "basic ")
      return oauthError(401, "invalid_client", "use HTTP Basic with the client id and secret");
    const auto decoded = base64Decode(std::string_view(*auth).substr(6));
    const std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
    auto id = colon == std::string::npos ? std::nullopt : formDecode(decoded->substr(0, colon));
    auto secret =
        colon == std::string::npos ? std::nullopt : formDecode(decoded->substr(colon + 1));
    if (!id || !secret)
      return oauthError(401, "invalid_client", "malformed HTTP Basic credentials");
    client_id = *id;
    client_secret = *secret;
  }
  if (field("grant_type") != "client_credentials") {
    return oauthError(400,
                      field("grant_type").empty() ? "invalid_request" : "unsupported_grant_type",
                      "grant_type: client_credentials");
  }
  auto who = clients.authenticate(client_secret);
  if (!who || who->key_id != client_id) {
    noteFailedAuthentication(ctx);
    return oauthError(401, "invalid_client", "unknown client or wrong secret");
  }
  // A scope may narrow the client's role (an admin client asking for a read-only token).
  if (const std::string scope = field("scope"); !scope.empty() && scope != toString(who->role)) {
    if (scope != "viewer" || who->role != Role::Admin) {
      return oauthError(400, "invalid_scope",
                        fmt::format("this client may ask for the scope {}{}", toString(who->role),
                                    who->role == Role::Admin ? " or viewer" : ""));
    }
    who->role = Role::Viewer;
  }
  LP_ASSIGN_OR_RETURN(AccessTokens::Issued issued, tokens.issue(*who));
  HttpResponse reply = jsonReply(200, json{{"access_token", issued.token},
                                           {"token_type", "Bearer"},
                                           {"expires_in", issued.expires_in.count()},
                                           {"scope", toString(who->role)}});
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.headers.emplace_back("Pragma", "no-cache");
  return reply;
}

Result<HttpResponse> Api::Impl::getJwks(Context&) {
  HttpResponse reply = jsonReply(200, tokens.jwks());
  reply.headers.emplace_back("Cache-Control", "public, max-age=300");
  return reply;
}

}  // namespace lightpath
