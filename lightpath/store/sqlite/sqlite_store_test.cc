#include "lightpath/store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "lightpath/store/testing/store_conformance.h"

namespace lightpath {
namespace {

using testing::StoreConformance;

INSTANTIATE_TEST_SUITE_P(
    Sqlite, StoreConformance,
    ::testing::Values(testing::StoreFactory{
        "sqlite", [](const std::string& dir) { return openSqliteStore(dir + "/lightpath.db"); }}),
    [](const auto& info) { return info.param.name; });

TEST(SqliteStore, RefusesANewerSchemaAndGarbage) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("lightpath-sqlite-schema-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    auto store = openSqliteStore((dir / "a.db").string());
    ASSERT_TRUE(store);
  }
  {
    // Pretend a later Lightpath wrote it.
    std::string cmd =
        "sqlite3 " + (dir / "a.db").string() + " 'PRAGMA user_version = 99' 2>/dev/null";
    if (std::system(cmd.c_str()) == 0) {
      auto newer = openSqliteStore((dir / "a.db").string());
      ASSERT_FALSE(newer);
      EXPECT_EQ(newer.error().code(), StatusCode::FailedPrecondition);
      EXPECT_NE(newer.error().message().find("schema version 99 is newer"), std::string::npos);
    }
  }
  std::ofstream(dir / "garbage.db")
      << "this is not a database, not even close, and it is long enough";
  auto garbage = openSqliteStore((dir / "garbage.db").string());
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code(), StatusCode::Unavailable);
  auto nowhere = openSqliteStore("/nonexistent-dir/x.db");
  ASSERT_FALSE(nowhere);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lightpath
