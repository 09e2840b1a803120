// The API from the command line: one HTTP client of a running `lightpath serve` (its URL and key
// from flags or the environment), errors printed as the server explains them, and the exit code
// they mean (exit_codes.h); plus the table printer the client commands share.
#pragma once

#include <httplib.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exit_codes.h"

namespace lightpath::cli {

struct ClientFlags {
  std::string server, api_key;
  // The server certificate's SHA-256 fingerprint ("AB:CD:...", as serve prints it): trusted
  // instead of certificate authorities (a self-signed certificate).
  std::string pin;
  std::string profile;       // of the config file (cli_config.h)
  std::string output;        // table, json or yaml
  bool json_output = false;  // json or yaml: documents, not tables
};

// --server, --api-key, --pin, --profile, --output, --json on `command`.
void addServerFlags(CLI::App* command, ClientFlags& flags);
// Fills what the flags left out from LIGHTPATH_URL / LIGHTPATH_API_KEY / LIGHTPATH_PIN, then the
// config file's profile (cli_config.h), then the defaults. A profile that cannot be had, or an
// unknown output format, ends the process with the reason (exit 2).
void resolveServerFlags(ClientFlags& flags);

struct Answer {
  int exit = kExitOk;  // kExitOk for 2xx
  int status = 0;
  nlohmann::json body;
};

// A server URL as scheme://host:port and the path before the API's: the URL `serve` prints
// works with or without a trailing slash or /v1 ("http://h:8080/v1/" -> {"http://h:8080", ""}).
std::pair<std::string, std::string> splitServerUrl(const std::string& url);

struct PinCheck;

class Client {
 public:
  explicit Client(const ClientFlags& f) : Client(f, splitServerUrl(f.server)) {}
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  // One request; a 4xx/5xx is printed to stderr (title, detail, field) and mapped to an exit code.
  Answer call(const std::string& method, const std::string& path, const std::string& body = "",
              httplib::Headers headers = {});
  // A GET whose body keeps coming (Server-Sent Events): each piece to `receive` (false stops).
  // Returns when the server ends it or the connection drops; the exit code as for call().
  int stream(const std::string& path, httplib::Headers headers,
             const std::function<bool(std::string_view)>& receive);

 private:
  Client(const ClientFlags& f, std::pair<std::string, std::string> origin_and_prefix);
  const ClientFlags& flags_;
  std::string prefix_;  // a path the URL puts before the API's ("/lightpath" behind a proxy)
  httplib::Client http_;
  std::string seen_fingerprint_;  // the server certificate's, when a pin is checked
  std::unique_ptr<PinCheck> pin_check_;
};

// A fresh Idempotency-Key for one POST (its retry on a dropped connection reuses it).
std::string newIdempotencyKey();
// Columns padded to their widest cell.
void printTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace lightpath::cli
