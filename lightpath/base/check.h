// LP_CHECK: asserts for programmer errors (never for input). A failed check logs the
// condition and the reason, then aborts: the process state can no longer be trusted.
#pragma once

namespace lightpath::internal {
[[noreturn]] void checkFailed(const char* condition, const char* why, const char* file, int line);
}  // namespace lightpath::internal

#define LP_CHECK(cond, why)                                                          \
  do {                                                                               \
    if (!(cond)) ::lightpath::internal::checkFailed(#cond, why, __FILE__, __LINE__); \
  } while (false)
