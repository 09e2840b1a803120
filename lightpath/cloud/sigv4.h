// AWS Signature Version 4: what signs a request to AWS (the Direct Connect adapter) and what a
// simulated AWS endpoint reads back from a request the stock AWS CLI signed.
//
//   SigV4Request r{"POST", "/", {}, {{"host", "directconnect.us-east-1.amazonaws.com"},
//                  {"content-type", "application/x-amz-json-1.1"}, ...}, body};
//   signSigV4(r, {"AKIA...", "secret"}, "us-east-1", "directconnect", now);  // adds x-amz-date,
//                                                                          // authorization
// The algorithm: docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv4.html.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"

namespace lightpath {

struct SigV4Request {
  std::string method;
  std::string path;                            // as sent, without the query ("/" at least)
  std::map<std::string, std::string> query;    // decoded names and values
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

struct SigV4Credentials {
  std::string access_key_id;
  std::string secret_access_key;
};

// The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=...` header.
struct SigV4Authorization {
  std::string access_key_id;
  std::string date;  // yyyymmdd
  std::string region, service;
  std::vector<std::string> signed_headers;  // lower case, sorted
  std::string signature;                    // 64 hex digits
};

// Signs `request` in place: sets x-amz-date (from `at`), x-amz-content-sha256 when asked, and
// authorization over every header it carries.
void signSigV4(SigV4Request& request, const SigV4Credentials& credentials,
               const std::string& region, const std::string& service, TimePoint at);
// The signature of `request` with `secret` under `authorization`'s scope and signed headers.
std::string sigV4Signature(const SigV4Request& request, const SigV4Authorization& authorization,
                           const std::string& secret, const std::string& amz_date);
// The header read strictly: InvalidArgument says which part is malformed.
Result<SigV4Authorization> parseSigV4Authorization(const std::string& header);
// The canonical request (exposed for the test vectors).
std::string sigV4CanonicalRequest(const SigV4Request& request,
                                  const std::vector<std::string>& signed_headers);
// RFC 3986 encoding as SigV4 wants it (unreserved characters kept; '/' kept when `keep_slash`).
std::string sigV4Encode(const std::string& text, bool keep_slash);

}  // namespace lightpath
