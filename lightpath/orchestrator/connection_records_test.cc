#include "lightpath/orchestrator/connection_records.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/store/sqlite/sqlite_store.h"

namespace lightpath {
namespace {

// A scan by pages reads each page anew: it sees every connection of the state once, in id
// order, and one stored while it runs (after the pages already read) too.
TEST(ConnectionRecords, ScanByPagesSeesEachConnectionOnceAndWritesBetweenPages) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("lightpath-connection-records-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto store = openSqliteStore((dir / "lightpath.db").string());
    ASSERT_TRUE(store);
    auto put = [&](const std::string& id, const char* state) {
      return (*store)->transact([&](StoreTransaction& tx) {
        return tx.putConnection({id, "t", state, 1, "{}"}, std::nullopt);
      });
    };
    ASSERT_TRUE((*store)
                    ->transact([&](StoreTransaction& tx) -> Status {
                      for (int i = 0; i < 2500; ++i) {  // past two pages of 1,000
                        LP_RETURN_IF_ERROR(tx.putConnection(
                            {fmt::format("c{:05}", i), "t", i % 5 ? "active" : "failed", 1, "{}"},
                            std::nullopt));
                      }
                      return Status::ok();
                    })
                    .isOk());
    SystemClock clock;
    ConnectionRecords records(**store, clock);
    std::vector<std::string> seen;
    ASSERT_TRUE(records
                    .scanByPages("active",
                                 [&](const ConnectionRecord& r) {
                                   seen.push_back(r.id);
                                   // A write while the first page is visited: no read is open.
                                   return seen.size() == 1 ? put("c99999", "active") : Status::ok();
                                 })
                    .isOk());
    ASSERT_EQ(seen.size(), 2001u);  // 2,000 active of 2,500, and the one stored meanwhile
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(seen.front(), "c00001");
    EXPECT_EQ(seen.back(), "c99999");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lightpath
