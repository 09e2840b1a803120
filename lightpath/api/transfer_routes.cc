// Bulk transfers: "these bytes there by then" (orchestrator/transfers.h). An order is admitted
// with a plan that meets its deadline, held whole, or refused with why and when it could be done.
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

Result<TimePoint> timeField(const json& body, const char* field) {
  if (!body.contains(field) || !body.at(field).is_string())
    return fail(invalidArgument(fmt::format("{}: a UTC time, RFC 3339", field)));
  auto t = parseTime(body.at(field).get<std::string>());
  if (!t) return fail(invalidArgument(fmt::format("{}: {}", field, t.error().message())));
  return *t;
}

Result<std::string> portField(const json& body, const char* field) {
  if (!body.contains(field) || !body.at(field).is_string() ||
      body.at(field).get<std::string>().empty())
    return fail(invalidArgument(fmt::format("{}: a port id (GET /v1/ports)", field)));
  return body.at(field).get<std::string>();
}

}  // namespace

std::vector<LegStatus> Api::Impl::legStatuses(const TransferRecord& t) const {
  std::vector<LegStatus> legs;
  for (const TransferLegRecord& l : t.legs) {
    auto c = deps.provisioner->get(l.connection);
    legs.push_back(c ? legStatusOf(*c) : LegStatus{.state = ConnectionState::Failed});
  }
  return legs;
}

json Api::Impl::transferJson(const TransferRecord& t,
                             const std::vector<LegStatus>& statuses) const {
  const TimePoint now = deps.clock->now();
  json legs = json::array();
  for (std::size_t i = 0; i < t.legs.size(); ++i) {
    const TransferLegRecord& l = t.legs[i];
    const ConnectionState state = statuses.at(i).state;
    legs.push_back({{"connection", l.connection},
                    {"state", toString(state)},
                    {"start", formatTime(l.leg.start)},
                    {"end", formatTime(l.leg.end)},
                    {"nodes", l.leg.nodes},
                    {"fibers", l.leg.fibers},
                    {"steps", stepsToJson(l.leg.steps)}});
  }
  std::vector<ConnectionState> states;
  for (const LegStatus& l : statuses) states.push_back(l.state);
  const std::string state = transferState(t, states, now);
  const TransferProgress progress = progressOf(t, statuses, now);
  // The devices' count once read (a minute behind at most), else what the plan carried.
  const double delivered = progress.counted.value_or(progress.delivered);
  json j{{"id", t.id},
         {"tenant", t.tenant},
         {"a_end", t.request.a_end},
         {"z_end", t.request.z_end},
         {"bytes", t.request.bytes},
         {"deadline", formatTime(t.request.deadline)},
         {"state", state},
         {"created", formatTime(t.created)},
         {"finish", formatTime(t.finish)},
         {"price", {{"total", t.price}, {"currency", t.currency}}},
         {"progress",
          {{"delivered_bytes", delivered},
           {"source", progress.counted ? "devices" : "plan"},
           {"planned_bytes", progress.delivered},
           {"fraction", t.request.bytes > 0 ? delivered / t.request.bytes : 0.0},
           {"expected_bytes", progress.expected},
           // A little slack: the plan's rates are whole Mb/s and its times whole microseconds.
           {"on_track", state != "cancelled" && state != "failed" &&
                            progress.expected >= t.request.bytes * (1 - 1e-9)}}},
         {"legs", std::move(legs)}};
  if (t.request.earliest) j["earliest"] = formatTime(*t.request.earliest);
  if (t.cancelled) j["cancelled"] = formatTime(*t.cancelled);
  if (progress.counted) j["progress"]["counted_at"] = formatTime(*t.counted_at);
  return j;
}

Result<HttpResponse> Api::Impl::createTransfer(Context& ctx) {
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  LP_RETURN_IF_ERROR(
      onlyFields(body, {"a_end", "z_end", "bytes", "deadline", "earliest", "max_price", "tenant"}));
  TransferRequest request;
  LP_ASSIGN_OR_RETURN(request.a_end, portField(body, "a_end"));
  LP_ASSIGN_OR_RETURN(request.z_end, portField(body, "z_end"));
  if (!body.contains("bytes") || !body.at("bytes").is_number())
    return fail(invalidArgument("bytes: a number, 1 to 10^18"));
  request.bytes = body.at("bytes").get<double>();
  LP_ASSIGN_OR_RETURN(request.deadline, timeField(body, "deadline"));
  if (body.contains("earliest")) {
    LP_ASSIGN_OR_RETURN(request.earliest, timeField(body, "earliest"));
  }
  std::optional<double> max_price;
  if (body.contains("max_price")) {
    if (!body.at("max_price").is_number() || !(body.at("max_price").get<double>() >= 0))
      return fail(invalidArgument("max_price: a price, at least 0"));
    max_price = body.at("max_price").get<double>();
  }
  LP_ASSIGN_OR_RETURN(const std::string tenant, orderingTenant(ctx, body));
  if (!ctx.isOperator()) {
    for (const auto& [port, field] :
         {std::pair{request.a_end, "a_end"}, {request.z_end, "z_end"}}) {
      auto owner = portOwner(port);
      if (!owner || *owner != ctx.who.tenant)
        return fail(invalidArgument(fmt::format("{}: no port '{}'", field, port.substr(0, 80))));
    }
  }
  ctx.owner = tenant;
  HttpResponse reply;
  auto created = deps.provisioner->orderTransfer(
      tenant, request, ctx.who.key_id, [&](StoreTransaction& tx, const TransferRecord& t) {
        if (max_price && t.price > *max_price) {
          return failedPrecondition(fmt::format(
              "max_price: the plan that meets the deadline costs {:.2f} {}", t.price, t.currency));
        }
        // Inside the transaction: the legs are as just ordered.
        reply = jsonReply(201, transferJson(t, std::vector<LegStatus>(t.legs.size())));
        reply.headers.emplace_back("Location", "/v1/transfers/" + t.id);
        ctx.subject = t.id;
        ctx.recorded = true;
        return record(tx, ctx, reply);
      });
  if (!created) {
    ctx.recorded = false;
    ctx.subject.clear();
    if (created.error().code() != StatusCode::ResourceExhausted) return fail(created.error());
    // Refused for capacity: say when it could be done.
    HttpResponse refused = problemOf(created.error());
    json problem = json::parse(refused.body, nullptr, false);
    if (auto when = deps.provisioner->earliestTransferFinish(request)) {
      problem["earliest_deadline"] = formatTime(*when);
      problem["detail"] = problem.value("detail", "") + "; the earliest deadline it can meet is " +
                          formatTime(*when);
    }
    refused.body = dumpJson(problem);
    return refused;
  }
  return reply;
}

Result<HttpResponse> Api::Impl::listTransfers(Context& ctx) {
  DocumentQuery query{.kind = std::string(kTransferKind), .newest_first = true};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, cursors, viewerOf(ctx.who), query,
                      [this](DocumentRecord& d) {
                        auto t = transferFromJson(json::parse(d.body, nullptr, false));
                        return t ? dumpJson(transferJson(*t, legStatuses(*t))) : d.body;
                      });
}

Result<HttpResponse> Api::Impl::getTransfer(Context& ctx) {
  LP_ASSIGN_OR_RETURN(DocumentRecord doc,
                      visibleDocument(ctx, std::string(kTransferKind), ctx.params[0], "transfer"));
  LP_ASSIGN_OR_RETURN(TransferRecord t, transferFromJson(json::parse(doc.body, nullptr, false)));
  return jsonReply(200, transferJson(t, legStatuses(t)));
}

// Cancels: every leg not ended yet is terminated (its capacity given back); what has been
// carried stays carried.
Result<HttpResponse> Api::Impl::deleteTransfer(Context& ctx) {
  const std::string& id = ctx.params[0];
  LP_ASSIGN_OR_RETURN(DocumentRecord doc,
                      visibleDocument(ctx, std::string(kTransferKind), id, "transfer"));
  ctx.subject = id;
  ctx.owner = doc.tenant;
  LP_ASSIGN_OR_RETURN(TransferRecord before,
                      transferFromJson(json::parse(doc.body, nullptr, false)));
  const std::vector<LegStatus> legs = legStatuses(before);
  HttpResponse reply;
  auto ending = deps.provisioner->cancelTransfer(
      id, ctx.who.key_id, [&](StoreTransaction& tx, const TransferRecord& t) {
        reply = jsonReply(202, transferJson(t, legs));
        ctx.recorded = true;
        return record(tx, ctx, reply);
      });
  if (!ending) {
    ctx.recorded = false;
    return fail(ending.error());
  }
  for (const std::string& leg : *ending) {
    if (deps.workflows) {
      deps.workflows->terminate(leg, ctx.who.key_id);
    } else {
      (void)deps.provisioner->terminate(leg, ctx.who.key_id);
    }
  }
  return reply;
}

}  // namespace lightpath
