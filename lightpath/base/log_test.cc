#include "lightpath/base/log.h"

#include <gtest/gtest.h>

namespace lightpath {
namespace {

TEST(Log, PrintableWritesControlCharactersAsEscapes) {
  // A path with %0a decoded into it must not start a line of its own in the log.
  EXPECT_EQ(printable("/v1/x\n2026-11-26 [info] forged"), "/v1/x\\x0a2026-11-26 [info] forged");
  EXPECT_EQ(printable(std::string("a\r\x1b[31m\x7f\0b", 10)), "a\\x0d\\x1b[31m\\x7f\\x00b");
  EXPECT_EQ(printable("plain /v1/connections?state=active é"),
            "plain /v1/connections?state=active é");
}

}  // namespace
}  // namespace lightpath
