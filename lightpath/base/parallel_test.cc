#include "lightpath/base/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace lightpath {
namespace {

TEST(ParallelFor, RunsEveryIndexOnce) {
  std::vector<std::atomic<int>> runs(10'000);
  ASSERT_TRUE(parallelFor(runs.size(), [&](std::size_t i) {
                ++runs[i];
                return Status::ok();
              }).isOk());
  for (std::size_t i = 0; i < runs.size(); ++i) ASSERT_EQ(runs[i].load(), 1) << i;
  EXPECT_TRUE(parallelFor(0, [](std::size_t) { return invalidArgument("never"); }).isOk());
}

// The error is the one a loop in order would have stopped at, whichever thread met it first.
TEST(ParallelFor, AnswersTheLowestFailingIndex) {
  for (int round = 0; round < 50; ++round) {
    const Status s = parallelFor(1000, [](std::size_t i) -> Status {
      if (i == 700 || i == 300 || i == 999) return invalidArgument("item " + std::to_string(i));
      return Status::ok();
    });
    ASSERT_EQ(s.message(), "item 300");
  }
}

}  // namespace
}  // namespace lightpath
