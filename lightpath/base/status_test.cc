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

// The macros in both kinds of function, with a declaration and with an existing variable.
Result<int> eighth(int x) {
  LP_ASSIGN_OR_RETURN(int q, quarter(x));
  int e = 0;
  LP_ASSIGN_OR_RETURN(e, half(q));
  return e;
}

Status checkEighth(int x, int& out) {
  LP_ASSIGN_OR_RETURN(out, eighth(x));
  LP_RETURN_IF_ERROR(out > 100 ? failedPrecondition("too big") : Status::ok());
  return Status::ok();
}

TEST(Result, AssignOrReturnPropagatesAndAssigns) {
  EXPECT_EQ(*eighth(16), 2);
  EXPECT_EQ(eighth(12).error().message(), "odd number 3");
  int out = -1;
  EXPECT_TRUE(checkEighth(24, out).isOk());
  EXPECT_EQ(out, 3);
  EXPECT_EQ(checkEighth(10, out).message(), "odd number 5");
  EXPECT_EQ(checkEighth(8000, out).code(), StatusCode::FailedPrecondition);
}

TEST(Status, AFactoryForEveryCode) {
  EXPECT_EQ(resourceExhausted("x").code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(aborted("x").code(), StatusCode::Aborted);
  EXPECT_EQ(permissionDenied("x").code(), StatusCode::PermissionDenied);
  EXPECT_EQ(unauthenticated("x").code(), StatusCode::Unauthenticated);
  EXPECT_EQ(unavailable("x").code(), StatusCode::Unavailable);
  EXPECT_EQ(alreadyExists("x").code(), StatusCode::AlreadyExists);
  EXPECT_EQ(internalError("x").code(), StatusCode::Internal);
}

}  // namespace
}  // namespace lightpath
