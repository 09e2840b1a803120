#include "lightpath/cloud/sigv4.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "lightpath/base/crypto.h"

namespace lightpath {
namespace {

// Header values are trimmed and inner runs of blanks folded to one (the canonical form).
std::string canonicalValue(const std::string& value) {
  std::string out;
  bool blank = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

std::string scope(const SigV4Authorization& a) {
  return fmt::format("{}/{}/{}/aws4_request", a.date, a.region, a.service);
}

}  // namespace

std::string sigV4Encode(const std::string& text, bool keep_slash) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/'))
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string sigV4CanonicalRequest(const SigV4Request& request,
                                  const std::vector<std::string>& signed_headers) {
  std::string query;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [k, v] : request.query)
    pairs.emplace_back(sigV4Encode(k, false), sigV4Encode(v, false));
  std::sort(pairs.begin(), pairs.end());
  for (const auto& [k, v] : pairs) query += fmt::format("{}{}={}", query.empty() ? "" : "&", k, v);
  std::string headers;
  for (const std::string& name : signed_headers) {
    auto it = request.headers.find(name);
    headers += name + ":" + (it == request.headers.end() ? "" : canonicalValue(it->second)) + "\n";
  }
  std::string names;
  for (const std::string& name : signed_headers) names += (names.empty() ? "" : ";") + name;
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method,
                     sigV4Encode(request.path.empty() ? "/" : request.path, true), query, headers,
                     names, sha256Hex(request.body));
}

std::string sigV4Signature(const SigV4Request& request, const SigV4Authorization& authorization,
                           const std::string& secret, const std::string& amz_date) {
  const std::string to_sign =
      fmt::format("AWS4-HMAC-SHA256\n{}\n{}\n{}", amz_date, scope(authorization),
                  sha256Hex(sigV4CanonicalRequest(request, authorization.signed_headers)));
  std::string key = hmacSha256("AWS4" + secret, authorization.date);
  key = hmacSha256(key, authorization.region);
  key = hmacSha256(key, authorization.service);
  key = hmacSha256(key, "aws4_request");
  return hmacSha256Hex(key, to_sign);
}

void signSigV4(SigV4Request& request, const SigV4Credentials& credentials,
               const std::string& region, const std::string& service, TimePoint at) {
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(at);
  const std::string amz_date = fmt::format("{:%Y%m%dT%H%M%SZ}", seconds);
  request.headers["x-amz-date"] = amz_date;
  request.headers.erase("authorization");
  SigV4Authorization a{.access_key_id = credentials.access_key_id,
                       .date = amz_date.substr(0, 8),
                       .region = region,
                       .service = service,
                       .signed_headers = {},
                       .signature = {}};
  for (const auto& [name, value] : request.headers) a.signed_headers.push_back(name);
  a.signature = sigV4Signature(request, a, credentials.secret_access_key, amz_date);
  std::string names;
  for (const std::string& name : a.signed_headers) names += (names.empty() ? "" : ";") + name;
  request.headers["authorization"] =
      fmt::format("AWS4-HMAC-SHA256 Credential={}/{}, SignedHeaders={}, Signature={}",
                  a.access_key_id, scope(a), names, a.signature);
}

Result<SigV4Authorization> parseSigV4Authorization(const std::string& header) {
  constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256 ";
  if (header.rfind(kAlgorithm, 0) != 0)
    return fail(invalidArgument("Authorization: not AWS4-HMAC-SHA256"));
  std::map<std::string, std::string> parts;
  std::string_view rest = std::string_view(header).substr(kAlgorithm.size());
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos)
      return fail(invalidArgument(
          fmt::format("Authorization: '{}' is not name=value", std::string(part.substr(0, 40)))));
    parts[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  for (const char* name : {"Credential", "SignedHeaders", "Signature"}) {
    if (!parts.count(name)) return fail(invalidArgument(fmt::format("Authorization: no {}", name)));
  }
  SigV4Authorization a;
  // Credential=AKID/yyyymmdd/region/service/aws4_request
  std::vector<std::string> scope_parts;
  std::string_view credential = parts["Credential"];
  while (true) {
    const std::size_t slash = credential.find('/');
    scope_parts.emplace_back(credential.substr(0, slash));
    if (slash == std::string_view::npos) break;
    credential.remove_prefix(slash + 1);
  }
  if (scope_parts.size() != 5 || scope_parts[4] != "aws4_request" || scope_parts[1].size() != 8 ||
      scope_parts[1].find_first_not_of("0123456789") != std::string::npos ||
      scope_parts[0].empty() || scope_parts[2].empty() || scope_parts[3].empty()) {
    return fail(invalidArgument(
        "Authorization: Credential must be KEY/yyyymmdd/region/service/aws4_request"));
  }
  a.access_key_id = scope_parts[0];
  a.date = scope_parts[1];
  a.region = scope_parts[2];
  a.service = scope_parts[3];
  std::string_view names = parts["SignedHeaders"];
  while (!names.empty()) {
    const std::size_t semi = names.find(';');
    a.signed_headers.emplace_back(names.substr(0, semi));
    names = semi == std::string_view::npos ? std::string_view() : names.substr(semi + 1);
  }
  if (a.signed_headers.empty() ||
      !std::is_sorted(a.signed_headers.begin(), a.signed_headers.end()) ||
      std::find(a.signed_headers.begin(), a.signed_headers.end(), "host") ==
          a.signed_headers.end()) {
    return fail(invalidArgument("Authorization: SignedHeaders must be sorted and include host"));
  }
  a.signature = parts["Signature"];
  if (a.signature.size() != 64 ||
      a.signature.find_first_not_of("0123456789abcdef") != std::string::npos)
    return fail(invalidArgument("Authorization: Signature must be 64 lower-case hex digits"));
  return a;
}

}  // namespace lightpath
