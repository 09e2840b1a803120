// Service levels: one connection's availability, latency and credit over its time in service,
// and a tenant's month (JSON or CSV), from the outages the restoration records
// (service/sla.h).
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"
#include "lightpath/service/sla.h"

namespace lightpath {

Result<HttpResponse> Api::Impl::getConnectionSla(Context& ctx) {
  LP_ASSIGN_OR_RETURN(ConnectionRecord record, visibleConnection(ctx, ctx.params[0]));
  LP_ASSIGN_OR_RETURN(Connection c, connectionFromJson(record.body));
  const TimePoint now = deps.clock->now();
  const SlaReport r = measureSla(deps.price_book, c, TimePoint::min(), now, now);
  return jsonReply(200, slaToJson(r));
}

Result<HttpResponse> Api::Impl::getSlaReport(Context& ctx) {
  std::optional<std::string> tenant;
  if (!ctx.isOperator()) tenant = ctx.who.tenant;
  std::string month;
  bool csv = false;
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "month") {
      month = value;
    } else if (key == "format" && (value == "json" || value == "csv")) {
      csv = value == "csv";
    } else if (key == "tenant" && ctx.isOperator()) {
      tenant = value;
    } else {
      return fail(
          invalidArgument(fmt::format("{}: unknown parameter (known: month, format=json|csv{})",
                                      key.substr(0, 40), ctx.isOperator() ? ", tenant" : "")));
    }
  }
  if (ctx.request.accepts("text/csv")) csv = true;
  // The month: [first day, first day of the next) in UTC.
  int year = 0, mon = 0;
  char tail = 0;
  if (month.size() != 7 || std::sscanf(month.c_str(), "%4d-%2d%c", &year, &mon, &tail) != 2 ||
      mon < 1 || mon > 12 || year < 2000 || year > 2999) {
    return fail(invalidArgument("month: YYYY-MM, e.g. 2026-11"));
  }
  LP_ASSIGN_OR_RETURN(TimePoint from,
                      parseTime(fmt::format("{:04d}-{:02d}-01T00:00:00Z", year, mon)));
  LP_ASSIGN_OR_RETURN(
      TimePoint to, parseTime(fmt::format("{:04d}-{:02d}-01T00:00:00Z", mon == 12 ? year + 1 : year,
                                          mon == 12 ? 1 : mon + 1)));
  const TimePoint now = deps.clock->now();
  std::vector<SlaReport> reports;
  LP_RETURN_IF_ERROR(deps.store->read([&](StoreTransaction& tx) -> Status {
    ConnectionQuery query{.tenant = tenant, .limit = 1000};
    for (;;) {
      LP_ASSIGN_OR_RETURN(auto page, tx.connections(query, nullptr));
      for (const ConnectionRecord& record : page) {
        LP_ASSIGN_OR_RETURN(Connection c, connectionFromJson(record.body));
        SlaReport r = measureSla(deps.price_book, c, from, std::min(to, now), now);
        if (r.in_service) reports.push_back(std::move(r));
      }
      if (page.size() < query.limit) return Status::ok();
      query.after_id = page.back().id;
    }
  }));
  if (csv) {
    HttpResponse r;
    r.headers.emplace_back("Content-Type", "text/csv; charset=utf-8");
    r.body = slaCsvHeader();
    for (const SlaReport& report : reports) r.body += slaCsvRow(report);
    return r;
  }
  double credits = 0;
  std::string items = "[";
  for (const SlaReport& report : reports) {
    items += (items.size() > 1 ? "," : "") + slaToJson(report);
    credits += report.credit_amount;
  }
  items += "]";
  return jsonReply(200, fmt::format(R"({{"month":"{}","items":{},"credit_total":{:.2f}}})", month,
                                    items, credits));
}

}  // namespace lightpath
