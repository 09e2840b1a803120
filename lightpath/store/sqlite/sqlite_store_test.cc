#include "lightpath/store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "lightpath/store/sqlite/checkpointer.h"
#include "lightpath/store/testing/store_conformance.h"

namespace lightpath {
namespace {

using testing::StoreConformance;

INSTANTIATE_TEST_SUITE_P(
    Sqlite, StoreConformance,
    ::testing::Values(testing::StoreFactory{
        "sqlite", [](const std::string& dir) { return openSqliteStore(dir + "/lightpath.db"); }}),
    [](const auto& info) { return info.param.name; });

// An empty directory of this process's own under the system's temporary one.
std::filesystem::path freshDirectory(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(SqliteStore, RefusesANewerSchemaAndGarbage) {
  const auto dir = freshDirectory("lightpath-sqlite-schema-test");
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

// The store copies its write-ahead log back while open, and the log starts over once copied
// (not only at the writer's bound) however long commits stream.
TEST(SqliteStore, CheckpointsTheLogWhileOpen) {
  const auto dir = freshDirectory("lightpath-sqlite-checkpoint-test");
  const auto db = dir / "a.db";
  auto store = openSqliteStore(db.string());
  ASSERT_TRUE(store);
  const auto empty = std::filesystem::file_size(db);
  const std::string body = "{\"pad\":\"" + std::string(3000, 'x') + "\"}";
  for (int i = 0; i < 6000; ++i) {  // some 30,000 pages of log: past the writer's bound too
    ASSERT_TRUE((*store)
                    ->transact([&](StoreTransaction& tx) {
                      return tx.putDocument({"pad", std::to_string(i), "", body, 0});
                    })
                    .isOk());
  }
  // The thread runs when the log has grown; give it the time a loaded machine may need.
  for (int i = 0; i < 600 && std::filesystem::file_size(db) < empty + 4'000'000; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GT(std::filesystem::file_size(db), empty + 4'000'000);
  // The log was started over soon after kRestartPages, long before the writer's bound (frames
  // of a 4 KiB page + 24): grown all along, it would hold the 30,000 pages.
  EXPECT_LT(std::filesystem::file_size(dir / "a.db-wal"),
            (Checkpointer::kRestartPages + Checkpointer::kPages) * 4120u);
  store->reset();
  std::filesystem::remove_all(dir);
}

// A raw database in WAL mode with one table, written by one connection: the checkpointer alone.
class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = freshDirectory(std::string("lightpath-checkpointer-") +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    path_ = (dir_ / "raw.db").string();
    ASSERT_EQ(sqlite3_open(path_.c_str(), &writer_), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(writer_, "PRAGMA journal_mode = WAL; CREATE TABLE t(k INTEGER PRIMARY KEY, v)",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
  }
  void TearDown() override {
    sqlite3_close(writer_);
    std::filesystem::remove_all(dir_);
  }
  // One commit of a row of `bytes` random bytes.
  void insert(int bytes) {
    const std::string sql = "INSERT INTO t(v) VALUES (randomblob(" + std::to_string(bytes) + "))";
    ASSERT_EQ(sqlite3_exec(writer_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  }

  std::filesystem::path dir_;
  std::string path_;
  sqlite3* writer_ = nullptr;
};

// Commits never wait for a checkpoint below the writer's bound: the thread copies the log back.
TEST_F(CheckpointerTest, CopiesTheLogOffTheCommitPath) {
  auto checkpointer = Checkpointer::start(writer_, path_);
  ASSERT_TRUE(checkpointer);
  // 4,000 commits of a row in a page of its own: some 12,000 pages of log.
  for (int i = 0; i < 4000; ++i) ASSERT_NO_FATAL_FAILURE(insert(3000));
  for (int i = 0; i < 600 && (*checkpointer)->checkpointsByThread() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GT((*checkpointer)->checkpointsByThread(), 0);
  // SQLite's own would have checkpointed in the commit every 1,000 pages: some 12 times.
  EXPECT_EQ((*checkpointer)->checkpointsByWriter(), 0);
}

// Once the thread has copied a long log, one commit copies the rest and the log starts over:
// the log stays near kRestartPages rather than at the writer's bound, four times longer.
TEST_F(CheckpointerTest, StartsTheLogOverOnceTheThreadHasCopiedIt) {
  {
    auto checkpointer = Checkpointer::start(writer_, path_);
    ASSERT_TRUE(checkpointer);
    // Rows of four overflow pages: up to some 50,000 pages of log, short of kWriterPages.
    for (int i = 0; i < 9000 && (*checkpointer)->logRestarts() == 0; ++i)
      ASSERT_NO_FATAL_FAILURE(insert(15000));
    EXPECT_GE((*checkpointer)->logRestarts(), 1);
    EXPECT_GE((*checkpointer)->checkpointsByWriter(), 1);  // the last pages, by a commit
  }
  // Frames of a 4 KiB page and 24 bytes: the log's longest, kept by the file.
  EXPECT_LT(std::filesystem::file_size(path_ + "-wal"),
            (Checkpointer::kRestartPages + 2 * Checkpointer::kPages) * 4120u);
}

}  // namespace
}  // namespace lightpath
