// Webhook subscriptions: a tenant's events posted to its receiver (delivery: events/webhooks.h).
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/base/crypto.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

// The subscription as its owner sees it: no secret, and its place in the event log as a cursor
// of that owner's (event_cursors.h).
json webhookJson(const DocumentRecord& d, const EventCursors& cursors) {
  json body = json::parse(d.body, nullptr, false);
  if (body.is_discarded()) body = json::object();
  body.erase("secret");  // shown once, when made
  body["tenant"] = d.tenant;
  const std::uint64_t delivered = body.value("delivered_cursor", std::uint64_t{0});
  body["delivered_cursor"] =
      cursors.encode(delivered, d.tenant.empty() ? std::string(kOperatorViewer) : d.tenant);
  return body;
}

}  // namespace

Result<HttpResponse> Api::Impl::createWebhook(Context& ctx) {
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  LP_RETURN_IF_ERROR(onlyFields(body, {"url", "events", "secret"}));
  if (!body.contains("url") || !body.at("url").is_string())
    return fail(invalidArgument("url: required"));
  const std::string url = body.at("url").get<std::string>();
  LP_ASSIGN_OR_RETURN(WebhookUrl parsed, parseWebhookUrl(url));
  if (deps.webhooks && !deps.webhooks->allowsPrivateAddresses() && isPrivateHost(parsed.host)) {
    return fail(invalidArgument(
        fmt::format("url: {} is a private address: receivers must be public", parsed.host)));
  }
  json events = json::array();
  if (body.contains("events")) {
    const json& e = body.at("events");
    if (!e.is_array() || e.size() > 50)
      return fail(invalidArgument("events: an array of event types"));
    for (const json& type : e) {
      if (!type.is_string() || type.get<std::string>().empty() ||
          type.get<std::string>().size() > 100) {
        return fail(
            invalidArgument("events: event types are strings like connection.stateChanged"));
      }
      events.push_back(type);
    }
  }
  // Standard Webhooks' form: whsec_ and the key's bytes in base64.
  std::string secret = "whsec_" + base64Encode(randomBytes(24));
  if (body.contains("secret")) {
    const json& s = body.at("secret");
    if (!s.is_string() || s.get<std::string>().size() < 16 || s.get<std::string>().size() > 200) {
      return fail(invalidArgument("secret: 16-200 characters (or leave it out to get one)"));
    }
    secret = s.get<std::string>();
  }
  const std::string id = newId("whk");
  ctx.subject = id;
  HttpResponse reply;
  json shown;
  LP_RETURN_IF_ERROR(commit(ctx, reply, [&](StoreTransaction& tx) -> Status {
    LP_RETURN_IF_ERROR(
        checkHolding(tx, "webhook", ctx.who.tenant, limits.max_webhooks_per_tenant, "webhooks"));
    LP_ASSIGN_OR_RETURN(std::uint64_t last, tx.lastEventCursor());  // only what happens from now on
    const json doc{{"id", id},
                   {"url", url},
                   {"events", events},
                   {"secret", sealWebhookSecret(deps.sealer, secret, id)},
                   {"created_at", formatTime(deps.clock->now())},
                   {"delivered_cursor", last},
                   {"failures", 0}};
    const DocumentRecord record_doc{"webhook", id, ctx.who.tenant, dumpJson(doc)};
    LP_RETURN_IF_ERROR(tx.putDocument(record_doc));
    shown = webhookJson(record_doc, cursors);
    reply = jsonReply(201, shown);
    reply.headers.emplace_back("Location", "/v1/webhooks/" + id);
    return Status::ok();
  }));
  // The secret is in this reply only; the idempotency record kept the reply without it.
  shown["secret"] = secret;
  reply.body = dumpJson(shown);
  reply.headers.emplace_back("Cache-Control", "no-store");  // the secret must not be kept anywhere
  if (deps.webhooks) deps.webhooks->wake();
  return reply;
}

Result<HttpResponse> Api::Impl::listWebhooks(Context& ctx) {
  DocumentQuery query{.kind = "webhook"};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, cursors, viewerOf(ctx.who), query,
                      [this](DocumentRecord& d) { return dumpJson(webhookJson(d, cursors)); });
}

Result<HttpResponse> Api::Impl::getWebhook(Context& ctx) {
  LP_ASSIGN_OR_RETURN(DocumentRecord doc,
                      visibleDocument(ctx, "webhook", ctx.params[0], "webhook"));
  return jsonReply(200, webhookJson(doc, cursors));
}

Result<HttpResponse> Api::Impl::deleteWebhook(Context& ctx) {
  const std::string& id = ctx.params[0];
  LP_ASSIGN_OR_RETURN(DocumentRecord doc, visibleDocument(ctx, "webhook", id, "webhook"));
  ctx.subject = id;
  ctx.owner = doc.tenant;
  HttpResponse reply;
  reply.status = 204;
  LP_RETURN_IF_ERROR(
      commit(ctx, reply, [&](StoreTransaction& tx) { return tx.deleteDocument("webhook", id); }));
  return reply;
}

}  // namespace lightpath
