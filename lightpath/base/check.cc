// Reporting of failed LP_CHECKs.
#include "lightpath/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace lightpath::internal {

void checkFailed(const char* condition, const char* why, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", file, line, condition, why);
  std::abort();
}

}  // namespace lightpath::internal
