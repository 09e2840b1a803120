// Status and Result<T>: how Lightpath reports expected failures. Our code does not throw;
// a function that can fail returns a Status (no value) or a Result<T> (a value or a Status).
//
//   LP_ASSIGN_OR_RETURN(Topology t, readTopology(path));   // propagate a failure
//   LP_RETURN_IF_ERROR(validate(t));
//   return notFound(fmt::format("no node '{}'", id));      // a factory per code
//
// Both are [[nodiscard]]: a failure cannot be dropped by accident; `(void)` says it is on purpose.
//
// The codes are few on purpose; api/ maps each to exactly one HTTP status.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace lightpath {

enum class StatusCode {
  Ok,
  InvalidArgument,
  NotFound,
  AlreadyExists,
  FailedPrecondition,
  ResourceExhausted,
  Aborted,
  Unavailable,
  PermissionDenied,
  Unauthenticated,
  Internal,
};

std::string_view toString(StatusCode code);

// A code plus an operator-readable message (lower-case, with the values that matter).
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }

  bool isOk() const { return code_ == StatusCode::Ok; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: fibers[3]: length_km must be positive, got -2"
  std::string toString() const;

  // Prefix the message with where it happened: "demo.yaml:12: " + message.
  Status withContext(std::string_view where) const;

  bool operator==(const Status&) const = default;

 private:
  StatusCode code_ = StatusCode::Ok;
  std::string message_;
};

inline Status invalidArgument(std::string message) {
  return {StatusCode::InvalidArgument, std::move(message)};
}
inline Status notFound(std::string message) { return {StatusCode::NotFound, std::move(message)}; }
inline Status alreadyExists(std::string message) {
  return {StatusCode::AlreadyExists, std::move(message)};
}
inline Status failedPrecondition(std::string message) {
  return {StatusCode::FailedPrecondition, std::move(message)};
}
inline Status internalError(std::string message) {
  return {StatusCode::Internal, std::move(message)};
}
inline Status unavailable(std::string message) {
  return {StatusCode::Unavailable, std::move(message)};
}
inline Status resourceExhausted(std::string message) {
  return {StatusCode::ResourceExhausted, std::move(message)};
}
inline Status aborted(std::string message) { return {StatusCode::Aborted, std::move(message)}; }
inline Status permissionDenied(std::string message) {
  return {StatusCode::PermissionDenied, std::move(message)};
}
inline Status unauthenticated(std::string message) {
  return {StatusCode::Unauthenticated, std::move(message)};
}

// A value of T, or the Status saying why there is none: tl::expected, made must-check.
template <typename T>
class [[nodiscard]] Result : public tl::expected<T, Status> {
 public:
  using tl::expected<T, Status>::expected;
  // Implicit on purpose: a Result is a tl::expected, made must-check.
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(const tl::expected<T, Status>& e) : tl::expected<T, Status>(e) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(tl::expected<T, Status>&& e) : tl::expected<T, Status>(std::move(e)) {}
};

// The Status of a Result: ok, or its error (for code that only cares whether it worked).
template <typename T>
Status statusOf(const Result<T>& result) {
  return result ? Status::ok() : result.error();
}

// Lets `return invalidArgument("...");` work in a function returning Result<T>.
inline tl::unexpected<Status> fail(Status status) {
  return tl::unexpected<Status>(std::move(status));
}

namespace internal {
// Converts to Status or to any Result<T>, so one macro serves both kinds of function.
struct ErrorReturn {
  Status status;
  operator Status() const { return status; }  // NOLINT(google-explicit-constructor)
  template <typename T>
  operator Result<T>() const {  // NOLINT(google-explicit-constructor)
    return tl::unexpected<Status>(status);
  }
};
}  // namespace internal

}  // namespace lightpath

#define LP_STATUS_CONCAT_INNER(a, b) a##b
#define LP_STATUS_CONCAT(a, b) LP_STATUS_CONCAT_INNER(a, b)

// Evaluates `expr` (a Result<T>); on failure returns its Status from the current function (which
// returns Status or Result<U>), else assigns the value to `lhs` (a declaration or a variable).
#define LP_ASSIGN_OR_RETURN(lhs, expr) \
  LP_ASSIGN_OR_RETURN_IMPL(LP_STATUS_CONCAT(lp_result_, __LINE__), lhs, expr)
// `lhs` may be a declaration ("auto x"), so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define LP_ASSIGN_OR_RETURN_IMPL(result, lhs, expr)                                  \
  auto result = (expr);                                                              \
  if (!result) return ::lightpath::internal::ErrorReturn{std::move(result).error()}; \
  lhs = std::move(*result)
// NOLINTEND(bugprone-macro-parentheses)

// Returns a failed Status from the current function (which returns Status or Result<T>).
#define LP_RETURN_IF_ERROR(expr)                                                   \
  do {                                                                             \
    const ::lightpath::Status& lp_status_ = (expr);                                \
    if (!lp_status_.isOk()) return ::lightpath::internal::ErrorReturn{lp_status_}; \
  } while (false)
