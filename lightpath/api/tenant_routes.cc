// Who calls (/v1/me), tenants, their API keys, and the audit log.
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

Result<HttpResponse> Api::Impl::getMe(Context& ctx) {
  return jsonReply(200,
                   json{{"key_id", ctx.who.key_id},
                        {"role", toString(ctx.who.role)},
                        {"tenant", ctx.who.tenant.empty() ? json(nullptr) : json(ctx.who.tenant)}});
}

Result<HttpResponse> Api::Impl::createTenant(Context& ctx) {
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  LP_RETURN_IF_ERROR(onlyFields(body, {"id", "name"}));
  if (!body.contains("id") || !body.at("id").is_string() ||
      !isTenantId(body.at("id").get<std::string>())) {
    return fail(invalidArgument("id: 1-40 of a-z, 0-9 and '-', starting with a letter"));
  }
  const std::string id = body.at("id").get<std::string>();
  std::string name = id;
  if (body.contains("name")) {
    if (!body.at("name").is_string() || body.at("name").get<std::string>().size() > 200) {
      return fail(invalidArgument("name: a string of at most 200 characters"));
    }
    name = body.at("name").get<std::string>();
  }
  ctx.subject = id;
  ctx.owner = id;
  const json doc{{"id", id}, {"name", name}, {"created_at", formatTime(deps.clock->now())}};
  HttpResponse reply = jsonReply(201, doc);
  reply.headers.emplace_back("Location", "/v1/tenants/" + id);
  LP_RETURN_IF_ERROR(commit(ctx, reply, [&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(auto existing, tx.document("tenant", id));
    if (existing) return alreadyExists(fmt::format("id: tenant '{}' exists", id));
    return tx.putDocument({"tenant", id, id, dumpJson(doc)});
  }));
  return reply;
}

Result<HttpResponse> Api::Impl::listTenants(Context& ctx) {
  DocumentQuery query{.kind = "tenant"};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, cursors, viewerOf(ctx.who), query,
                      [](DocumentRecord& d) { return std::move(d.body); });
}

Result<HttpResponse> Api::Impl::getTenant(Context& ctx) {
  LP_ASSIGN_OR_RETURN(DocumentRecord doc, visibleDocument(ctx, "tenant", ctx.params[0], "tenant"));
  return jsonReply(200, std::move(doc.body));
}

Result<HttpResponse> Api::Impl::createKey(Context& ctx) {
  return createCredential(ctx, keys, "/v1/api-keys/", "secret", limits.max_keys_per_tenant);
}

Result<HttpResponse> Api::Impl::createCredential(Context& ctx, ApiKeys& set, std::string_view path,
                                                 std::string_view secret_field, std::size_t most) {
  const std::string what = set.kind().document == "api_key" ? "keys" : "clients";
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  LP_RETURN_IF_ERROR(onlyFields(body, {"tenant", "role", "name"}));
  Role role = Role::Viewer;
  if (body.contains("role")) {
    if (!body.at("role").is_string())
      return fail(invalidArgument("role: operator, admin or viewer"));
    LP_ASSIGN_OR_RETURN(role, parseRole(body.at("role").get<std::string>()));
  }
  std::string tenant = ctx.who.tenant;
  if (body.contains("tenant")) {
    if (!body.at("tenant").is_string()) return fail(invalidArgument("tenant: a tenant id"));
    tenant = body.at("tenant").get<std::string>();
  }
  std::string name;
  if (body.contains("name")) {
    if (!body.at("name").is_string() || body.at("name").get<std::string>().size() > 200) {
      return fail(invalidArgument("name: a string of at most 200 characters"));
    }
    name = body.at("name").get<std::string>();
  }
  if (!ctx.isOperator()) {
    if (role == Role::Operator)
      return fail(permissionDenied("only operators make operator " + what));
    if (tenant != ctx.who.tenant)
      return fail(invalidArgument(fmt::format("tenant: no tenant '{}'", tenant.substr(0, 40))));
  }
  if (role == Role::Operator && !tenant.empty())
    return fail(invalidArgument("tenant: operator " + what + " belong to no tenant"));
  if (role != Role::Operator) {
    if (tenant.empty())
      return fail(invalidArgument("tenant: required for admin and viewer " + what));
    LP_ASSIGN_OR_RETURN(auto known, readDocument(*deps.store, "tenant", tenant));
    if (!known)
      return fail(invalidArgument(fmt::format("tenant: no tenant '{}'", tenant.substr(0, 40))));
  }
  ctx.owner = tenant;
  HttpResponse reply;
  std::string secret;
  json shown;
  LP_RETURN_IF_ERROR(commit(ctx, reply, [&](StoreTransaction& tx) -> Status {
    // More credentials would multiply what a tenant may ask of the server.
    LP_RETURN_IF_ERROR(checkHolding(tx, set.kind().document, tenant, most,
                                    what == "keys" ? "API keys" : "OAuth clients"));
    LP_ASSIGN_OR_RETURN(ApiKeys::Made made, set.make(tx, tenant, role, name, ctx.who.key_id));
    secret = made.secret;
    ctx.subject = made.id;
    LP_ASSIGN_OR_RETURN(auto doc, tx.document(set.kind().document, made.id));
    if (!doc) return internalError("the new credential was not stored");
    shown = ApiKeys::shown(*doc);
    reply = jsonReply(201, shown);
    reply.headers.emplace_back("Location", std::string(path) + made.id);
    return Status::ok();
  }));
  // The secret is in this reply only; the idempotency record kept the reply without it.
  shown[std::string(secret_field)] = secret;
  reply.body = dumpJson(shown);
  reply.headers.emplace_back("Cache-Control", "no-store");  // the secret must not be kept anywhere
  set.remember(secret, Principal{ctx.subject, tenant, role});
  return reply;
}

Result<HttpResponse> Api::Impl::listKeys(Context& ctx) {
  DocumentQuery query{.kind = "api_key"};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, cursors, viewerOf(ctx.who), query,
                      [](DocumentRecord& d) { return dumpJson(ApiKeys::shown(d)); });
}

Result<HttpResponse> Api::Impl::deleteKey(Context& ctx) {
  const std::string& id = ctx.params[0];
  LP_ASSIGN_OR_RETURN(DocumentRecord doc, visibleDocument(ctx, "api_key", id, "api key"));
  const json body = json::parse(doc.body, nullptr, false);
  const std::string hash = body.is_discarded() ? "" : body.value("hash", "");
  // Operator keys go one at a time, so two deletions of the last two cannot both pass the check.
  std::unique_lock<std::mutex> one_operator_key_at_a_time;
  if (!body.is_discarded() && body.value("role", "") == "operator") {
    one_operator_key_at_a_time = std::unique_lock(operator_keys_mutex);
    if (keys.operatorKeys() <= 1) {
      return fail(failedPrecondition("this is the last operator key: make another first"));
    }
  }
  ctx.subject = id;
  ctx.owner = doc.tenant;
  HttpResponse reply;
  reply.status = 204;
  LP_RETURN_IF_ERROR(
      commit(ctx, reply, [&](StoreTransaction& tx) { return tx.deleteDocument("api_key", id); }));
  keys.forget(hash);
  return reply;
}

Result<HttpResponse> Api::Impl::listAudit(Context& ctx) {
  DocumentQuery query{.kind = "audit", .newest_first = true};
  if (auto it = ctx.request.query.find("tenant"); it != ctx.request.query.end())
    query.tenant = it->second;
  return documentPage(*deps.store, ctx.request, cursors, viewerOf(ctx.who), query,
                      [](DocumentRecord& d) { return std::move(d.body); });
}

}  // namespace lightpath
