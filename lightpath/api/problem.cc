// Problem documents; messages may quote bytes of bad input, so they dump with replacement.
#include "lightpath/api/problem.h"

#include <nlohmann/json.hpp>

namespace lightpath {
namespace {

std::string_view slugOf(StatusCode code) {
  switch (code) {
    case StatusCode::InvalidArgument:
      return "invalid-argument";
    case StatusCode::NotFound:
      return "not-found";
    case StatusCode::AlreadyExists:
      return "already-exists";
    case StatusCode::FailedPrecondition:
      return "failed-precondition";
    case StatusCode::ResourceExhausted:
      return "insufficient-capacity";
    case StatusCode::Aborted:
      return "conflict";
    case StatusCode::Unavailable:
      return "unavailable";
    case StatusCode::PermissionDenied:
      return "forbidden";
    case StatusCode::Unauthenticated:
      return "unauthenticated";
    default:
      return "internal";
  }
}

// "requested.a_end: required" -> "requested.a_end"; nothing when the prefix is not a field path.
std::string_view fieldOf(std::string_view message) {
  const auto colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0) return {};
  const std::string_view head = message.substr(0, colon);
  for (char c : head) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '[' ||
          c == ']'))
      return {};
  }
  return head;
}

}  // namespace

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return status < 500 ? "Client Error" : "Internal Server Error";
  }
}

int httpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::Ok:
      return 200;
    case StatusCode::InvalidArgument:
      return 400;
    case StatusCode::Unauthenticated:
      return 401;
    case StatusCode::PermissionDenied:
      return 403;
    case StatusCode::NotFound:
      return 404;
    case StatusCode::AlreadyExists:
    case StatusCode::Aborted:
      return 409;
    case StatusCode::FailedPrecondition:
    case StatusCode::ResourceExhausted:
      return 422;
    case StatusCode::Unavailable:
      return 503;
    case StatusCode::Internal:
      return 500;
  }
  return 500;
}

HttpResponse problem(int status, std::string_view type, std::string_view detail,
                     std::string_view field) {
  nlohmann::json doc{{"type", "/problems/" + std::string(type)},
                     {"title", reasonPhrase(status)},
                     {"status", status},
                     {"detail", detail}};
  if (!field.empty()) doc["field"] = field;
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/problem+json");
  response.body = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

HttpResponse problemOf(const Status& status) {
  const std::string_view field =
      status.code() == StatusCode::InvalidArgument ? fieldOf(status.message()) : "";
  return problem(httpStatusOf(status.code()), slugOf(status.code()), status.message(), field);
}

}  // namespace lightpath
