// A `lightpath serve` in-process on a free port, its data in a temporary directory, and a
// client that checks every reply against the OpenAPI description the server serves.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "lightpath/server/server.h"
#include "test/integration/api/openapi_check.h"

namespace lightpath::testing {

using nlohmann::json;

struct Reply {
  int status = 0;
  std::string raw;
  json body;  // parsed when JSON
  httplib::Headers headers;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("lightpath-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.stack.data_dir = dir_.string();
    config_.master_key_file = dir_.string() + ".master.key";  // beside, not in, the data
    config_.http.port = 0;
    config_.http.threads = 2;
    config_.http.read_timeout = std::chrono::seconds(2);
    config_.schedule_tick = std::chrono::milliseconds(50);
    config_.log_level = "warn";
    config_.limits.requests_per_second = 100000;
    config_.limits.burst = 100000;
    config_.limits.tenant_requests_per_second = 100000;
    config_.limits.unauthenticated_per_second = 100000;
    config_.webhooks.allow_private_addresses = true;  // the test receivers listen on loopback
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
    std::filesystem::remove(config_.master_key_file);
  }

  void start() {
    std::ostringstream out;
    auto server = Server::start(config_, out);
    ASSERT_TRUE(server) << server.error().toString();
    server_ = std::move(*server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
    std::ifstream key(dir_ / "operator.key");
    std::getline(key, operator_key_);
    start_output_ = out.str();
    if (openapi_.is_null()) {
      auto doc = client_->Get("/v1/openapi.json");
      ASSERT_TRUE(doc);
      openapi_ = json::parse(doc->body);
    }
  }
  void restart() {
    server_.reset();
    start();
  }

  // `route` is the path template of the description ("/v1/connections/{id}"); `path` the real
  // one (defaults to the template). Every reply is checked against the description.
  Reply call(const std::string& method, const std::string& route, const std::string& key,
             const std::string& body = "", const std::string& path = "",
             httplib::Headers headers = {}) {
    if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
    const std::string target = path.empty() ? route : path;
    httplib::Result r =
        method == "GET"     ? client_->Get(target, headers)
        : method == "POST"  ? client_->Post(target, headers, body, "application/json")
        : method == "PATCH" ? client_->Patch(target, headers, body, "application/json")
        : method == "PUT"   ? client_->Put(target, headers, body, "application/json")
                            : client_->Delete(target, headers, body, "application/json");
    Reply reply;
    if (!r) {
      ADD_FAILURE() << method << " " << target << ": no reply (" << httplib::to_string(r.error())
                    << ")";
      return reply;
    }
    reply.status = r->status;
    reply.raw = r->body;
    reply.headers = r->headers;
    reply.body = json::parse(r->body, nullptr, false);
    checkContract(method, route, reply);
    return reply;
  }

  void checkContract(const std::string& method, const std::string& route, const Reply& reply) {
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    const auto& paths = openapi_["paths"];
    if (!paths.contains(route)) {
      // Unknown routes answer 404/405 problems.
      EXPECT_TRUE(reply.status == 404 || reply.status == 405) << route;
      return;
    }
    if (!paths[route].contains(lower)) {
      EXPECT_EQ(reply.status, 405) << method << " " << route;
      return;
    }
    const auto& responses = paths[route][lower]["responses"];
    const std::string code = std::to_string(reply.status);
    ASSERT_TRUE(responses.contains(code))
        << method << " " << route << " answered " << code
        << ", which the description does not list: " << reply.raw.substr(0, 300);
    const auto& documented = responses[code];
    if (!documented.contains("content")) return;
    if (reply.header("Content-Type").find("json") == std::string::npos) return;  // e.g. CSV
    for (const auto& [type, media] : documented["content"].items()) {
      if (type.find("json") == std::string::npos) continue;
      std::vector<std::string> errors;
      checkSchema(reply.body, media["schema"], openapi_, "$", errors);
      for (const std::string& e : errors)
        ADD_FAILURE() << method << " " << route << " " << code << ": " << e;
    }
  }

  // A tenant with an admin key and the given ports; returns the admin key's secret.
  std::string addTenant(const std::string& id, const std::vector<std::string>& ports,
                        const std::string& role = "admin") {
    Reply made =
        call("POST", "/v1/tenants", operator_key_, json{{"id", id}, {"name", id + " inc"}}.dump());
    EXPECT_TRUE(made.status == 201 || made.status == 409) << made.raw;
    for (const std::string& port : ports) {
      EXPECT_EQ(call("PATCH", "/v1/ports/{id}", operator_key_, json{{"tenant", id}}.dump(),
                     "/v1/ports/" + port)
                    .status,
                200);
    }
    Reply key = call("POST", "/v1/api-keys", operator_key_,
                     json{{"tenant", id}, {"role", role}, {"name", "test"}}.dump());
    EXPECT_EQ(key.status, 201) << key.raw;
    return key.body.value("secret", "");
  }

  // Polls until the connection is in `state` (or 10 s pass); returns the last state seen.
  std::string waitFor(const std::string& key, const std::string& id, const std::string& state) {
    std::string seen;
    for (int i = 0; i < 1000; ++i) {
      Reply r = call("GET", "/v1/connections/{id}", key, "", "/v1/connections/" + id);
      seen = r.body.value("state", "");
      if (seen == state) return seen;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return seen;
  }

  std::filesystem::path dir_;
  ServeConfig config_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
  std::string operator_key_;
  std::string start_output_;
  json openapi_;
};

// Ethernet between two of the tenant's data-center ports.
inline std::string ethernetOrder(const std::string& a, const std::string& z, int mbps = 1000) {
  return json{{"kind", "ethernet"},
              {"a_end", a},
              {"z_end", z},
              {"bandwidth_mbps", mbps},
              {"tags", {{"team", "ml"}}}}
      .dump();
}

}  // namespace lightpath::testing
