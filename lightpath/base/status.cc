// Names of status codes and message formatting.
#include "lightpath/base/status.h"

namespace lightpath {

std::string_view toString(StatusCode code) {
  switch (code) {
    case StatusCode::Ok:
      return "ok";
    case StatusCode::InvalidArgument:
      return "invalid_argument";
    case StatusCode::NotFound:
      return "not_found";
    case StatusCode::AlreadyExists:
      return "already_exists";
    case StatusCode::FailedPrecondition:
      return "failed_precondition";
    case StatusCode::ResourceExhausted:
      return "resource_exhausted";
    case StatusCode::Aborted:
      return "aborted";
    case StatusCode::Unavailable:
      return "unavailable";
    case StatusCode::PermissionDenied:
      return "permission_denied";
    case StatusCode::Unauthenticated:
      return "unauthenticated";
    case StatusCode::Internal:
      return "internal";
  }
  return "unknown";
}

std::string Status::toString() const {
  if (isOk()) return "ok";
  return std::string(lightpath::toString(code_)) + ": " + message_;
}

Status Status::withContext(std::string_view where) const {
  if (isOk()) return *this;
  return {code_, std::string(where) + ": " + message_};
}

}  // namespace lightpath
