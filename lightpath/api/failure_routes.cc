// Failures of the network (operators): record one and see what Lightpath did, list them, record
// the repair, and ask what a failure would do (orchestrator/restoration.h).
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

// The stored record with what it did at the top level ({"id", "hit", "switched", ...}).
json failureView(const std::string& stored) {
  json j = json::parse(stored, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return json::object();
  if (j.contains("effect")) {
    for (auto& [key, value] : j.at("effect").items()) j[key] = value;
    j.erase("effect");
  }
  return j;
}

// {"fiber": ID} | {"srlg": ID} | {"node": ID}, with an optional reason.
Result<std::pair<FailureTarget, std::string>> targetOf(const std::string& body) {
  LP_ASSIGN_OR_RETURN(json j, parseObject(body));
  LP_RETURN_IF_ERROR(onlyFields(j, {"fiber", "srlg", "node", "reason"}));
  std::optional<FailureTarget> target;
  for (auto kind :
       {FailureTarget::Kind::Fiber, FailureTarget::Kind::Srlg, FailureTarget::Kind::Node}) {
    const std::string key(toString(kind));
    if (!j.contains(key)) continue;
    if (target) return fail(invalidArgument("give one of fiber, srlg or node"));
    const json& id = j.at(key);
    if (!id.is_string() || id.get<std::string>().empty() || id.get<std::string>().size() > 200)
      return fail(invalidArgument(fmt::format("{}: an id (1-200 characters)", key)));
    target = FailureTarget{kind, id.get<std::string>()};
  }
  if (!target) return fail(invalidArgument("fiber, srlg or node: required"));
  std::string reason;
  if (j.contains("reason")) {
    if (!j.at("reason").is_string() || j.at("reason").get<std::string>().size() > 500)
      return fail(invalidArgument("reason: text of at most 500 characters"));
    reason = j.at("reason").get<std::string>();
  }
  return std::pair{*target, reason};
}

}  // namespace

Result<HttpResponse> Api::Impl::createFailure(Context& ctx) {
  LP_ASSIGN_OR_RETURN(auto asked, targetOf(ctx.request.body));
  HttpResponse reply;
  reply.status = 201;
  auto record = deps.provisioner->recordFailure(
      asked.first, asked.second, ctx.who.key_id,
      [&](StoreTransaction& tx) { return this->record(tx, ctx, reply); });
  if (!record) return fail(record.error());
  ctx.recorded = true;
  ctx.subject = record->id;
  reply = jsonReply(201, failureView(failureToJson(*record)));
  reply.headers.emplace_back("Location", "/v1/failures/" + record->id);
  return reply;
}

Result<HttpResponse> Api::Impl::listFailures(Context& ctx) {
  return documentPage(*deps.store, ctx.request, cursors, viewerOf(ctx.who),
                      {.kind = "failure", .newest_first = true},
                      [](DocumentRecord& d) { return dumpJson(failureView(d.body)); });
}

Result<HttpResponse> Api::Impl::getFailure(Context& ctx) {
  LP_ASSIGN_OR_RETURN(DocumentRecord doc,
                      visibleDocument(ctx, "failure", ctx.params[0], "failure"));
  return jsonReply(200, failureView(doc.body));
}

Result<HttpResponse> Api::Impl::repairFailure(Context& ctx) {
  HttpResponse reply;
  reply.status = 200;
  ctx.subject = ctx.params[0];
  auto record = deps.provisioner->repairFailure(
      ctx.params[0], ctx.who.key_id,
      [&](StoreTransaction& tx) { return this->record(tx, ctx, reply); });
  if (!record) return fail(record.error());
  ctx.recorded = true;
  return jsonReply(200, failureView(failureToJson(*record)));
}

Result<HttpResponse> Api::Impl::analyzeFailure(Context& ctx) {
  LP_ASSIGN_OR_RETURN(auto asked, targetOf(ctx.request.body));
  LP_ASSIGN_OR_RETURN(FailureEffect effect, deps.provisioner->analyzeFailure(asked.first));
  json body = json::parse(effectToJson(effect));
  body[std::string(toString(asked.first.kind))] = asked.first.id;
  return jsonReply(200, body);
}

}  // namespace lightpath
