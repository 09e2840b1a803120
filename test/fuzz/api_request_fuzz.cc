// libFuzzer target for the API's request handling: any request line, headers and body, sent
// with an operator's, a tenant admin's or no key, must get an answer in 2xx-4xx with a JSON
// body: never a crash, a hang or a 5xx. Input: "METHOD PATH?QUERY\n" then the body; the first
// byte picks the key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

#include "lightpath/api/api.h"
#include "lightpath/server/stack.h"

namespace {

using namespace lightpath;

struct World {
  std::unique_ptr<Stack> stack;
  std::unique_ptr<Api> api;
  std::string operator_key, tenant_key;
};

HttpResponse send(Api& api, std::string method, std::string path, std::string body,
                  const std::string& key) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  r.headers["content-type"] = "application/json";
  if (!key.empty()) r.headers["authorization"] = "Bearer " + key;
  return api.handle(r);
}

World& world() {
  static World* w = [] {
    auto* w = new World();
    const auto dir = std::filesystem::temp_directory_path() /
                     ("lightpath-api-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto stack = buildStack({.data_dir = dir.string()});
    if (!stack) std::abort();
    w->stack = std::move(*stack);
    Stack& s = *w->stack;
    auto api = Api::create({.provisioner = s.provisioner.get(),
                            .workflows = nullptr,
                            .store = s.store.get(),
                            .topology = s.topology,
                            .ledger = s.ledger.get(),
                            .clock = &s.clock},
                           {.requests_per_second = 1e9, .burst = 1e9});
    if (!api) std::abort();
    w->api = std::move(*api);
    w->operator_key = *w->api->ensureOperatorKey();
    send(*w->api, "POST", "/v1/tenants", R"({"id":"acme"})", w->operator_key);
    send(*w->api, "PATCH", "/v1/ports/dc-ashburn-p1", R"({"tenant":"acme"})", w->operator_key);
    send(*w->api, "PATCH", "/v1/ports/dc-hillsboro-p1", R"({"tenant":"acme"})", w->operator_key);
    HttpResponse key = send(*w->api, "POST", "/v1/api-keys", R"({"tenant":"acme","role":"admin"})",
                            w->operator_key);
    w->tenant_key = nlohmann::json::parse(key.body).value("secret", "");
    if (w->tenant_key.empty()) std::abort();
    return w;
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  World& w = world();
  const std::string key = data[0] % 3 == 0 ? w.operator_key : data[0] % 3 == 1 ? w.tenant_key : "";
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto line_end = text.find('\n');
  const std::string_view line = text.substr(0, line_end);
  const std::string body(line_end == std::string_view::npos ? std::string_view()
                                                            : text.substr(line_end + 1));
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return 0;
  HttpRequest r;
  r.method = std::string(line.substr(0, space));
  std::string_view target = line.substr(space + 1);
  const auto question = target.find('?');
  r.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    // name=value&... (no decoding: the server decodes before the handler)
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const auto eq = pair.find('=');
      r.query[std::string(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  r.body = body;
  r.headers["content-type"] = "application/json";
  if (!key.empty()) r.headers["authorization"] = "Bearer " + key;
  if (data[0] & 0x80) r.headers["idempotency-key"] = "fuzz";
  const HttpResponse response = w.api->handle(r);
  if (response.status < 200 || response.status >= 500) std::abort();
  if (response.status != 204 && response.header("Content-Type") &&
      response.header("Content-Type")->find("json") != std::string::npos &&
      nlohmann::json::parse(response.body, nullptr, false).is_discarded()) {
    std::abort();
  }
  return 0;
}
