// HTTP as plain values: what the API's handler takes and gives, independent of the server that
// carries it (RESTinio in http_server.h; tests and the fuzz target call the handler directly).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lightpath {

struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // "/v1/connections/conn_..." (decoded, no query)
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote;  // "127.0.0.1:53412"

  const std::string* header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? nullptr : &it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  const std::string* header(const std::string& name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return &v;
    }
    return nullptr;
  }
};

}  // namespace lightpath
