// Counters and histograms for /metrics in the Prometheus text format. Routes are known up front,
// so recording a request touches only atomics.
//
//   Metrics m({"GET /v1/connections/{id}", ...});
//   m.recordRequest(route, 200, seconds);
//   std::string text = m.render();
//
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lightpath {

class Histogram {
 public:
  static constexpr std::array<double, 14> kBounds{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  void observe(double seconds);
  // Lines of `name`_bucket/_sum/_count with `labels` ("route=\"...\"", may be empty).
  void render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_ns_{0};
};

class Metrics {
 public:
  explicit Metrics(std::vector<std::string> routes);

  void recordRequest(std::size_t route, int status, double seconds);
  void recordWorkflow(const std::string& job, bool ok, double seconds);
  // Gauges computed when scraped (ledger utilization, connections by state), appended as given.
  void setGauges(std::function<std::string()> gauges) { gauges_ = std::move(gauges); }
  std::string render() const;

 private:
  struct Route {
    std::string name;
    std::array<std::atomic<std::uint64_t>, 500> by_status{};  // index: status - 100
    Histogram latency;
  };
  struct Workflow {
    std::atomic<std::uint64_t> ok{0}, failed{0};
    Histogram duration;
  };
  std::vector<std::unique_ptr<Route>> routes_;
  std::array<Workflow, 4> workflows_;  // activate, terminate, modify, other
  std::function<std::string()> gauges_;
};

}  // namespace lightpath
