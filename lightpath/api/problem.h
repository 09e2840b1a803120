// Errors as RFC 9457 problem details: every error the API gives is one of these, with a
// machine-readable `type`, the HTTP status, a human `detail` and, when one input is to blame,
// the offending `field`.
//
//   return problem(400, "invalid-argument", "a_end: required", "a_end");
//   return problemOf(status);   // a Status mapped to its one HTTP status
#pragma once

#include <string_view>

#include "lightpath/api/http.h"
#include "lightpath/base/status.h"

namespace lightpath {

// The reason phrase of an HTTP status ("Not Found"), also the title of its problems.
std::string_view reasonPhrase(int status);

// InvalidArgument 400, Unauthenticated 401, PermissionDenied 403, NotFound 404, AlreadyExists
// and Aborted 409, FailedPrecondition and ResourceExhausted 422, Unavailable 503, Internal 500.
int httpStatusOf(StatusCode code);

// `type` is a short slug ("invalid-argument"); the document carries "/problems/<slug>".
HttpResponse problem(int status, std::string_view type, std::string_view detail,
                     std::string_view field = "");
// The field is the message's leading path when it names one ("requested.a_end: required").
HttpResponse problemOf(const Status& status);

}  // namespace lightpath
