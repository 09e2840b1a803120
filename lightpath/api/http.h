// HTTP as plain values: what the API's handler takes and gives, independent of the server that
// carries it (RESTinio in http_server.h; tests and the fuzz target call the handler directly).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lightpath {

// ASCII lower case: HTTP's case-insensitive tokens (schemes, media types; RFC 9110).
inline std::string asciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The media type of a Content-Type value or of one Accept element: lower case, without
// parameters or surrounding blanks ("Application/JSON; charset=utf-8" -> "application/json").
inline std::string mediaType(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return asciiLower(value);
}

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
  // Whether Accept lists `type` (lower case) by name.
  bool accepts(std::string_view type) const {
    const std::string* accept = header("accept");
    if (!accept) return false;
    std::string_view rest = *accept;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      if (mediaType(rest.substr(0, comma)) == type) return true;
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return false;
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
