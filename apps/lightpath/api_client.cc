// The command line's HTTP client of the API.
#include "api_client.h"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "cli_config.h"
#include "lightpath/base/crypto.h"

namespace lightpath::cli {
namespace {

std::string env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// "ab:cd" and "ABCD" are the same fingerprint.
std::string plainHex(std::string_view fingerprint) {
  std::string out;
  for (char c : fingerprint) {
    if (std::isxdigit(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

struct PinCheck {
  std::string pin;    // plain hex
  std::string* seen;  // the certificate's fingerprint, for the error message
};

namespace {

// Replaces the check against certificate authorities: the server's own certificate must be the
// pinned one. (The host name is still checked against the certificate's names.)
int checkPin(X509_STORE_CTX* store, void* arg) {
  const auto* check = static_cast<const PinCheck*>(arg);
  X509* cert = X509_STORE_CTX_get0_cert(store);
  unsigned char* der = nullptr;
  const int length = cert ? i2d_X509(cert, &der) : 0;
  if (length <= 0) return 0;
  *check->seen = certificateFingerprint(std::string_view(reinterpret_cast<char*>(der), length));
  OPENSSL_free(der);
  if (plainHex(*check->seen) == check->pin) return 1;
  X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_UNTRUSTED);
  return 0;
}

}  // namespace

void addServerFlags(CLI::App* command, ClientFlags& flags) {
  command->add_option("--server", flags.server,
                      "API URL (env LIGHTPATH_URL; default http://127.0.0.1:8080)");
  command->add_option("--api-key", flags.api_key, "API key (env LIGHTPATH_API_KEY)");
  command->add_option("--pin", flags.pin,
                      "trust the server certificate with this SHA-256 fingerprint, as serve "
                      "prints it (env LIGHTPATH_PIN)");
  command->add_option("--profile", flags.profile,
                      "settings of this profile of ~/.config/lightpath/config.yaml (env "
                      "LIGHTPATH_PROFILE)");
  command->add_option("--output,-o", flags.output, "table, json or yaml");
  command->add_flag("--json", flags.json_output, "JSON output for scripts (--output json)");
}

void resolveServerFlags(ClientFlags& flags) {
  if (flags.json_output && flags.output.empty()) flags.output = "json";
  if (flags.server.empty()) flags.server = env("LIGHTPATH_URL", "");
  if (flags.api_key.empty()) flags.api_key = env("LIGHTPATH_API_KEY", "");
  if (flags.pin.empty()) flags.pin = env("LIGHTPATH_PIN", "");
  if (Status s = applyProfile(flags); !s.isOk()) {
    std::cerr << "lightpath: " << s.message() << "\n";
    std::exit(kExitUsage);
  }
  if (flags.server.empty()) flags.server = "http://127.0.0.1:8080";
  if (flags.output.empty()) flags.output = "table";
  if (flags.output != "table" && flags.output != "json" && flags.output != "yaml") {
    std::cerr << fmt::format("lightpath: --output: table, json or yaml, not '{}'\n", flags.output);
    std::exit(kExitUsage);
  }
  flags.json_output = flags.output != "table";
}

std::pair<std::string, std::string> splitServerUrl(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return {url, ""};
  std::string prefix = url.substr(path);
  auto trim = [&] {
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  };
  trim();
  if (prefix.ends_with("/v1")) prefix.resize(prefix.size() - 3);
  trim();
  return {url.substr(0, path), prefix};
}

Client::Client(const ClientFlags& f, std::pair<std::string, std::string> origin_and_prefix)
    : flags_(f), prefix_(std::move(origin_and_prefix.second)), http_(origin_and_prefix.first) {
  http_.set_connection_timeout(5, 0);
  http_.set_read_timeout(30, 0);
  http_.set_keep_alive(true);
  if (!flags_.pin.empty()) {
    if (SSL_CTX* ctx = http_.ssl_context()) {
      pin_check_ = std::make_unique<PinCheck>(PinCheck{plainHex(flags_.pin), &seen_fingerprint_});
      SSL_CTX_set_cert_verify_callback(ctx, checkPin, pin_check_.get());
    }
  }
}

Client::~Client() = default;

int Client::stream(const std::string& path, httplib::Headers headers,
                   const std::function<bool(std::string_view)>& receive) {
  if (!flags_.api_key.empty()) headers.emplace("Authorization", "Bearer " + flags_.api_key);
  http_.set_read_timeout(60, 0);  // the server speaks at least every 15 s on an open stream
  int status = 0;
  httplib::Result r = http_.Get(
      prefix_ + path, headers,
      [&](const httplib::Response& response) {
        status = response.status;
        return true;
      },
      [&](const char* data, std::size_t size) {
        return status >= 400 || receive(std::string_view(data, size));
      });
  if (status >= 400) {
    std::cerr << fmt::format("lightpath: {} on {}\n", status, path);
    return status == 401 || status == 403 ? kExitDenied : kExitRejected;
  }
  if (!r && r.error() != httplib::Error::Canceled && r.error() != httplib::Error::Read) {
    std::cerr << fmt::format("lightpath: cannot reach {}: {}\n", flags_.server,
                             httplib::to_string(r.error()));
    return kExitUnavailable;
  }
  return kExitOk;
}

Answer Client::call(const std::string& method, const std::string& path, const std::string& body,
                    httplib::Headers headers) {
  if (!flags_.api_key.empty()) headers.emplace("Authorization", "Bearer " + flags_.api_key);
  const std::string target = prefix_ + path;
  auto send = [&] {
    return method == "GET"     ? http_.Get(target, headers)
           : method == "POST"  ? http_.Post(target, headers, body, "application/json")
           : method == "PATCH" ? http_.Patch(target, headers, body, "application/json")
                               : http_.Delete(target, headers);
  };
  httplib::Result r = send();
  if (!r)
    r = send();  // one retry on a dropped keep-alive connection (POSTs carry an Idempotency-Key)
  // Too many requests: the server did nothing; ask again when it says (up to 3 times, 30 s each).
  for (int tries = 0; r && r->status == 429 && tries < 3; ++tries) {
    const std::string after = r->get_header_value("Retry-After");
    const int seconds = after.empty() || after.find_first_not_of("0123456789") != std::string::npos
                            ? 1
                            : std::clamp(std::atoi(after.c_str()), 1, 30);
    std::cerr << fmt::format("lightpath: the server is busy; asking again in {} s\n", seconds);
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    r = send();
  }
  Answer a;
  if (!r) {
    if (r.error() == httplib::Error::SSLServerVerification && !flags_.pin.empty() &&
        !seen_fingerprint_.empty() && plainHex(seen_fingerprint_) != plainHex(flags_.pin)) {
      std::cerr << fmt::format(
          "lightpath: {}: the server's certificate is not the pinned one (its fingerprint: {})\n",
          flags_.server, seen_fingerprint_);
    } else {
      const bool untrusted = r.error() == httplib::Error::SSLServerVerification;
      std::cerr << fmt::format(
          "lightpath: cannot reach {}: {}{}\n", flags_.server, httplib::to_string(r.error()),
          untrusted && flags_.pin.empty()
              ? " (a self-signed certificate? --pin the fingerprint serve printed)"
              : "");
    }
    a.exit = kExitUnavailable;
    return a;
  }
  a.status = r->status;
  a.body = nlohmann::json::parse(r->body, nullptr, false);
  if (r->status >= 400) {
    const std::string detail = a.body.is_object() ? a.body.value("detail", r->body) : r->body;
    std::cerr << fmt::format("lightpath: {} {}: {}{}\n", r->status,
                             a.body.is_object() ? a.body.value("title", "") : "", detail,
                             a.body.is_object() && a.body.contains("field")
                                 ? " (field " + a.body.value("field", "") + ")"
                                 : "");
    a.exit = r->status >= 500 || r->status == 429   ? kExitUnavailable
             : r->status == 401 || r->status == 403 ? kExitDenied
                                                    : kExitRejected;
  }
  return a;
}

std::string newIdempotencyKey() {
  std::random_device random;
  return fmt::format("cli-{:08x}{:08x}", random(), random());
}

void printTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i)
      line += i + 1 < row.size() ? fmt::format("{:<{}}  ", row[i], width[i]) : row[i];
    std::cout << line << "\n";
  }
}

}  // namespace lightpath::cli
