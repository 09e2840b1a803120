#include "lightpath/base/status.h"

#include <gtest/gtest.h>

namespace lightpath {
namespace {

Result<int> half(int x) {
  if (x % 2 != 0) return fail(invalidArgument("odd number " + std::to_string(x)));
  return x / 2;
}

Result<int> quarter(int x) {
  auto h = half(x);
  if (!h) return fail(h.error().withContext("quarter"));
  return half(*h);
}

TEST(Status, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.isOk());
  EXPECT_EQ(s.toString(), "ok");
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = notFound("no node 'x'");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), StatusCode::NotFound);
  EXPECT_EQ(s.toString(), "not_found: no node 'x'");
}

TEST(Result, PropagatesErrorsWithContext) {
  EXPECT_EQ(*quarter(8), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "odd number 3");
  auto r2 = quarter(5);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().message(), "quarter: odd number 5");
}

}  // namespace
}  // namespace lightpath
