// The conformance suite on PostgreSQL, each case in a schema of its own, and what is particular
// to a server: instances sharing one database, a server restart, a password never shown.
// Runs under `scripts/postgres.sh run`, which starts a throwaway server and names it in
// LIGHTPATH_TEST_POSTGRES; skipped without one.
#include "lightpath/store/postgres/postgres_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <thread>

#include "lightpath/store/testing/store_conformance.h"

namespace lightpath {
namespace {

using testing::StoreConformance;

std::string server() {
  const char* url = std::getenv("LIGHTPATH_TEST_POSTGRES");
  return url ? url : "";
}

// The data of `dir` lives in a schema named after it: reopening the dir reopens the data.
PostgresOptions inSchemaOf(const std::string& dir) {
  return {.url = server(), .schema = fmt::format("t{}", std::hash<std::string>{}(dir))};
}

INSTANTIATE_TEST_SUITE_P(
    Postgres, StoreConformance,
    ::testing::Values(testing::StoreFactory{
        "postgres", [](const std::string& dir) { return openPostgresStore(inSchemaOf(dir)); },
        server().empty() ? "LIGHTPATH_TEST_POSTGRES is not set (scripts/postgres.sh run)" : ""}),
    [](const auto& info) { return info.param.name; });

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (server().empty()) GTEST_SKIP() << "LIGHTPATH_TEST_POSTGRES is not set";
  }
};

TEST_F(PostgresStoreTest, TwoInstancesShareTheDataAndTheVersionCheck) {
  const PostgresOptions where = inSchemaOf("two-instances");
  auto a = openPostgresStore(where);
  auto b = openPostgresStore(where);
  ASSERT_TRUE(a) << a.error().toString();
  ASSERT_TRUE(b) << b.error().toString();
  const ConnectionRecord first{"conn_x", "acme", "active", 1, "{}"};
  ASSERT_TRUE(
      (*a)->transact([&](StoreTransaction& tx) { return tx.putConnection(first, 0); }).isOk());
  // Both read version 1 and write version 2: exactly one wins, whichever instance it is on.
  std::atomic<int> won = 0, lost = 0;
  std::vector<std::thread> writers;
  for (Store* store : {a->get(), b->get(), a->get(), b->get()}) {
    writers.emplace_back([&, store] {
      ConnectionRecord next = first;
      next.version = 2;
      Status s = store->transact([&](StoreTransaction& tx) { return tx.putConnection(next, 1); });
      if (s.isOk()) {
        ++won;
      } else {
        ++lost;
        EXPECT_EQ(s.code(), StatusCode::Aborted) << s.toString();
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(lost, 3);
  // Events of both instances share one cursor sequence.
  for (Store* store : {a->get(), b->get()}) {
    ASSERT_TRUE(store
                    ->transact([](StoreTransaction& tx) {
                      return statusOf(tx.appendEvent({0, "x", "conn_x", "acme", 1, "{}"}));
                    })
                    .isOk());
  }
  ASSERT_TRUE((*b)->read([](StoreTransaction& tx) -> Status {
                    auto events = tx.eventsAfter(0, 10);
                    EXPECT_EQ(events->size(), 2u);
                    EXPECT_EQ((*events)[0].cursor + 1, (*events)[1].cursor);
                    return Status::ok();
                  })
                  .isOk());
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailableAndThePasswordIsNotShown) {
  auto none = openPostgresStore(
      {.url = "postgresql://lightpath:s3cret-word@127.0.0.1:1/lightpath?connect_timeout=2"});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), StatusCode::Unavailable);
  EXPECT_NE(none.error().message().find("cannot connect"), std::string::npos);
  EXPECT_EQ(none.error().message().find("s3cret-word"), std::string::npos)
      << none.error().message();
  EXPECT_EQ(redactedUrl("host=db password='a b' user=x"), "host=db password=*** user=x");
  EXPECT_EQ(redactedUrl("postgresql://u:p@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(redactedUrl("postgresql://h/db"), "postgresql://h/db");
}

TEST_F(PostgresStoreTest, AServerRestartIsUnavailableThenServedAgain) {
  const char* restart = std::getenv("LIGHTPATH_TEST_POSTGRES_RESTART");
  if (!restart) GTEST_SKIP() << "LIGHTPATH_TEST_POSTGRES_RESTART is not set";
  auto store = openPostgresStore(inSchemaOf("restart"));
  ASSERT_TRUE(store) << store.error().toString();
  auto write = [&](const std::string& id) {
    return (*store)->transact([&](StoreTransaction& tx) {
      return tx.putConnection({id, "acme", "active", 1, "{}"}, 0);
    });
  };
  auto count = [&] {
    std::size_t total = 0;
    Status s =
        (*store)->read([&](StoreTransaction& tx) { return statusOf(tx.connections({}, &total)); });
    return s.isOk() ? static_cast<int>(total) : -1;
  };
  ASSERT_TRUE(write("conn_before").isOk());
  EXPECT_EQ(count(), 1);
  ASSERT_EQ(std::system(restart), 0);
  // The kept connections are dead: the first use of each says so, the next one reconnects.
  Status first = write("conn_after");
  if (!first.isOk()) {
    EXPECT_EQ(first.code(), StatusCode::Unavailable) << first.toString();
    ASSERT_TRUE(write("conn_after").isOk());
  }
  int seen = count();
  if (seen < 0) seen = count();
  EXPECT_EQ(seen, 2);
}

TEST_F(PostgresStoreTest, ANewerSchemaIsRefused) {
  const PostgresOptions where = inSchemaOf("newer");
  {
    auto store = openPostgresStore(where);
    ASSERT_TRUE(store) << store.error().toString();
  }
  // Pretend a later Lightpath migrated it, through a connection of our own.
  auto raw = openPostgresStore(where);
  ASSERT_TRUE(raw);
  const std::string cmd =
      fmt::format("psql '{}' -qc 'UPDATE {}.lightpath_schema SET version = 99' >/dev/null 2>&1",
                  server(), where.schema);
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "no psql";
  auto newer = openPostgresStore(where);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code(), StatusCode::FailedPrecondition);
  EXPECT_NE(newer.error().message().find("schema version 99 is newer"), std::string::npos);
}

}  // namespace
}  // namespace lightpath
