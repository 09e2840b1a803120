// Prometheus text exposition format 0.0.4.
#include "lightpath/api/metrics.h"

#include <fmt/format.h>

namespace lightpath {
namespace {

constexpr std::array<const char*, 4> kJobs{"activate", "terminate", "modify", "other"};

std::size_t jobIndex(const std::string& job) {
  for (std::size_t i = 0; i + 1 < kJobs.size(); ++i) {
    if (job == kJobs[i]) return i;
  }
  return kJobs.size() - 1;
}

}  // namespace

void Histogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e9),
                    std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out +=
        fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, kBounds[i], cumulative);
  }
  cumulative += buckets_[kBounds.size()].load(std::memory_order_relaxed);
  out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, cumulative);
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out +=
      fmt::format("{}_sum{} {:.6f}\n", name, braces, sum_ns_.load(std::memory_order_relaxed) / 1e9);
  out += fmt::format("{}_count{} {}\n", name, braces, count_.load(std::memory_order_relaxed));
}

Metrics::Metrics(std::vector<std::string> routes) {
  for (std::string& name : routes) {
    routes_.push_back(std::make_unique<Route>());
    routes_.back()->name = std::move(name);
  }
}

void Metrics::recordRequest(std::size_t route, int status, double seconds) {
  if (route >= routes_.size()) return;
  Route& r = *routes_[route];
  if (status >= 100 && status < 600)
    r.by_status[static_cast<std::size_t>(status - 100)].fetch_add(1, std::memory_order_relaxed);
  r.latency.observe(seconds);
}

void Metrics::recordWorkflow(const std::string& job, bool ok, double seconds) {
  Workflow& w = workflows_[jobIndex(job)];
  (ok ? w.ok : w.failed).fetch_add(1, std::memory_order_relaxed);
  w.duration.observe(seconds);
}

std::string Metrics::render() const {
  std::string out;
  out +=
      "# HELP lightpath_http_requests_total HTTP requests by route and status code.\n"
      "# TYPE lightpath_http_requests_total counter\n";
  for (const auto& r : routes_) {
    for (std::size_t i = 0; i < r->by_status.size(); ++i) {
      const std::uint64_t n = r->by_status[i].load(std::memory_order_relaxed);
      if (n > 0)
        out += fmt::format("lightpath_http_requests_total{{route=\"{}\",code=\"{}\"}} {}\n",
                           r->name, i + 100, n);
    }
  }
  out +=
      "# HELP lightpath_http_request_duration_seconds Time to answer a request, by route.\n"
      "# TYPE lightpath_http_request_duration_seconds histogram\n";
  for (const auto& r : routes_) {
    r->latency.render(out, "lightpath_http_request_duration_seconds",
                      fmt::format("route=\"{}\"", r->name));
  }
  out +=
      "# HELP lightpath_workflows_total Connection workflows run, by job and result.\n"
      "# TYPE lightpath_workflows_total counter\n";
  for (std::size_t i = 0; i < kJobs.size(); ++i) {
    out += fmt::format("lightpath_workflows_total{{job=\"{}\",result=\"ok\"}} {}\n", kJobs[i],
                       workflows_[i].ok.load());
    out += fmt::format("lightpath_workflows_total{{job=\"{}\",result=\"failed\"}} {}\n", kJobs[i],
                       workflows_[i].failed.load());
  }
  out +=
      "# HELP lightpath_workflow_duration_seconds Time a workflow took (activation = "
      "provisioning).\n"
      "# TYPE lightpath_workflow_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kJobs.size(); ++i) {
    workflows_[i].duration.render(out, "lightpath_workflow_duration_seconds",
                                  fmt::format("job=\"{}\"", kJobs[i]));
  }
  if (gauges_) out += gauges_();
  return out;
}

}  // namespace lightpath
