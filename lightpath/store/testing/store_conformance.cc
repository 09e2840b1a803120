// The store conformance cases.
#include "lightpath/store/testing/store_conformance.h"

#include <fmt/format.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

namespace lightpath::testing {

void StoreConformance::SetUp() {
  if (!GetParam().skip.empty()) GTEST_SKIP() << GetParam().skip;
  std::random_device seed;
  dir_ = (std::filesystem::temp_directory_path() / ("lightpath-store-" + std::to_string(seed())))
             .string();
  std::filesystem::create_directories(dir_);
}

void StoreConformance::TearDown() {
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

std::unique_ptr<Store> StoreConformance::open() {
  auto store = GetParam().open(dir_);
  EXPECT_TRUE(store) << store.error().toString();
  return store ? std::move(*store) : nullptr;
}

namespace {

ConnectionRecord record(std::string id, std::string tenant, std::uint64_t version = 1) {
  return {std::move(id), std::move(tenant), "provisioning", version, R"({"bandwidth_mbps":10000})"};
}

TEST_P(StoreConformance, WritesAndReadsBackInOneTransaction) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(
      store
          ->transact([](StoreTransaction& tx) -> Status {
            LP_RETURN_IF_ERROR(tx.putConnection(record("conn_a", "acme"), 0));
            LP_RETURN_IF_ERROR(tx.putHold({7, "conn_a", R"({"claims":[]})"}));
            return statusOf(tx.appendEvent({0, "connection.created", "conn_a", "acme", 123, "{}"}));
          })
          .isOk());
  ASSERT_TRUE(store
                  ->transact([](StoreTransaction& tx) -> Status {
                    auto c = tx.connection("conn_a");
                    if (!c || !*c) return internalError("connection missing");
                    EXPECT_EQ(**c, record("conn_a", "acme"));
                    auto holds = tx.holds();
                    EXPECT_EQ(holds->size(), 1u);
                    auto events = tx.eventsAfter(0, 10);
                    EXPECT_EQ(events->size(), 1u);
                    EXPECT_EQ((*events)[0].subject, "conn_a");
                    EXPECT_FALSE(*tx.connection("conn_none"));
                    return Status::ok();
                  })
                  .isOk());
}

TEST_P(StoreConformance, AFailedTransactionLeavesNoTrace) {
  auto store = open();
  ASSERT_TRUE(store);
  Status s = store->transact([](StoreTransaction& tx) -> Status {
    LP_RETURN_IF_ERROR(tx.putConnection(record("conn_a", "acme"), 0));
    LP_RETURN_IF_ERROR(
        statusOf(tx.appendEvent({0, "connection.created", "conn_a", "acme", 1, "{}"})));
    return Status(StatusCode::ResourceExhausted, "no spectrum");
  });
  EXPECT_EQ(s.code(), StatusCode::ResourceExhausted);
  ASSERT_TRUE(store
                  ->transact([](StoreTransaction& tx) -> Status {
                    EXPECT_FALSE(*tx.connection("conn_a"));
                    EXPECT_TRUE(tx.eventsAfter(0, 10)->empty());
                    return Status::ok();
                  })
                  .isOk());
}

TEST_P(StoreConformance, OptimisticVersionsCatchLostUpdates) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store
                  ->transact([](StoreTransaction& tx) -> Status {
                    return tx.putConnection(record("conn_a", "acme", 1), 0);
                  })
                  .isOk());
  // Creating it again as new fails; updating from the right version works; from a stale one not.
  Status again = store->transact([](StoreTransaction& tx) -> Status {
    return tx.putConnection(record("conn_a", "acme", 1), 0);
  });
  EXPECT_EQ(again.code(), StatusCode::Aborted);
  EXPECT_TRUE(store
                  ->transact([](StoreTransaction& tx) -> Status {
                    return tx.putConnection(record("conn_a", "acme", 2), 1);
                  })
                  .isOk());
  Status stale = store->transact([](StoreTransaction& tx) -> Status {
    return tx.putConnection(record("conn_a", "acme", 3), 1);
  });
  EXPECT_EQ(stale.code(), StatusCode::Aborted);
  EXPECT_NE(stale.message().find("version 1 expected, 2 stored"), std::string::npos)
      << stale.message();
}

TEST_P(StoreConformance, ListsByTenantAndStateWithPaging) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store
                  ->transact([](StoreTransaction& tx) -> Status {
                    for (int i = 0; i < 25; ++i) {
                      ConnectionRecord r =
                          record("conn_" + std::string(1, static_cast<char>('a' + i)),
                                 i % 2 ? "acme" : "globex");
                      if (i % 5 == 0) r.state = "active";
                      LP_RETURN_IF_ERROR(tx.putConnection(r, 0));
                    }
                    return Status::ok();
                  })
                  .isOk());
  ASSERT_TRUE(store
                  ->transact([](StoreTransaction& tx) -> Status {
                    std::size_t total = 0;
                    auto page = tx.connections({.tenant = "acme", .offset = 5, .limit = 5}, &total);
                    EXPECT_EQ(total, 12u);
                    EXPECT_EQ(page->size(), 5u);
                    for (const auto& r : *page) EXPECT_EQ(r.tenant, "acme");
                    EXPECT_LT((*page)[0].id, (*page)[1].id);
                    auto active = tx.connections({.state = "active"}, &total);
                    EXPECT_EQ(total, 5u);
                    auto all = tx.connections({.limit = 1000}, &total);
                    EXPECT_EQ(all->size(), 25u);
                    // Keyset paging: everything after an id, in order.
                    auto after = tx.connections({.after_id = (*all)[9].id, .limit = 1000}, &total);
                    EXPECT_EQ(after->size(), 15u);
                    EXPECT_EQ(total, 15u);
                    EXPECT_EQ(after->front().id, (*all)[10].id);
                    // Between two ids, and newest (greatest id) first.
                    auto between = tx.connections(
                        {.after_id = (*all)[9].id, .before_id = (*all)[15].id, .limit = 1000},
                        &total);
                    EXPECT_EQ(total, 5u);
                    EXPECT_EQ(between->front().id, (*all)[10].id);
                    auto newest = tx.connections(
                        {.before_id = (*all)[15].id, .newest_first = true, .limit = 3}, &total);
                    EXPECT_EQ(total, 15u);
                    EXPECT_EQ(newest->size(), 3u);
                    if (newest->size() == 3) {
                      EXPECT_EQ((*newest)[0].id, (*all)[14].id);
                      EXPECT_EQ((*newest)[2].id, (*all)[12].id);
                    }
                    return Status::ok();
                  })
                  .isOk());
}

// A list's total is kept by the writes (no scan of the book): it follows every change of state
// or tenant, a write that changes neither, a transaction rolled back, and new connections.
TEST_P(StoreConformance, TotalsFollowEveryWrite) {
  auto store = open();
  ASSERT_TRUE(store);
  auto totals = [&](std::optional<std::string> tenant, std::optional<std::string> state) {
    std::size_t total = 0;
    EXPECT_TRUE(
        store
            ->read([&](StoreTransaction& tx) -> Status {
              return statusOf(tx.connections(
                  {.tenant = std::move(tenant), .state = std::move(state), .limit = 1}, &total));
            })
            .isOk());
    return total;
  };
  auto write = [&](ConnectionRecord r, std::uint64_t expected) {
    return store->transact([&](StoreTransaction& tx) { return tx.putConnection(r, expected); });
  };
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(write(record("conn_" + std::to_string(i), i < 4 ? "acme" : "globex"), 0).isOk());
  EXPECT_EQ(totals(std::nullopt, std::nullopt), 6u);
  EXPECT_EQ(totals("acme", "provisioning"), 4u);
  ConnectionRecord r = record("conn_1", "acme", 2);
  r.state = "active";
  ASSERT_TRUE(write(r, 1).isOk());
  r.version = 3;  // the same state again: no change in count
  ASSERT_TRUE(write(r, 2).isOk());
  EXPECT_EQ(totals("acme", "active"), 1u);
  EXPECT_EQ(totals("acme", "provisioning"), 3u);
  EXPECT_EQ(totals(std::nullopt, "provisioning"), 5u);
  EXPECT_EQ(totals("acme", std::nullopt), 4u);
  // A stale write and a transaction that fails after a write change nothing.
  r.state = "terminated";
  EXPECT_FALSE(write(r, 1).isOk());
  EXPECT_FALSE(store
                   ->transact([&](StoreTransaction& tx) -> Status {
                     r.version = 4;
                     LP_RETURN_IF_ERROR(tx.putConnection(r, 3));
                     return aborted("changed my mind");
                   })
                   .isOk());
  EXPECT_EQ(totals(std::nullopt, "terminated"), 0u);
  EXPECT_EQ(totals("acme", "active"), 1u);
  // Moved to another tenant (an operator's correction): counted there.
  ConnectionRecord moved = record("conn_5", "acme", 2);
  ASSERT_TRUE(write(moved, 1).isOk());
  EXPECT_EQ(totals("acme", std::nullopt), 5u);
  EXPECT_EQ(totals("globex", std::nullopt), 1u);
  EXPECT_EQ(totals("initech", std::nullopt), 0u);
}

// Lists by kind, end and tag: the terms follow what was requested through every write (a
// change of state alone, new tags, a deletion, a rollback), combine with tenant, state and keyset
// paging, and a body that is not a connection's (no "requested", or not of strings) has none.
TEST_P(StoreConformance, ListsByKindEndAndTag) {
  auto store = open();
  ASSERT_TRUE(store);
  auto body = [](std::string_view kind, std::string_view a, std::string_view z,
                 std::string_view tags) {
    return fmt::format(
        R"({{"id":"x","requested":{{"a_end":"{}","kind":"{}","tags":{},"z_end":"{}"}}}})", a, kind,
        tags, z);
  };
  auto write = [&](ConnectionRecord r, std::optional<std::uint64_t> expected) {
    return store->transact([&](StoreTransaction& tx) { return tx.putConnection(r, expected); });
  };
  auto ids = [&](ConnectionQuery q) {
    std::vector<std::string> out;
    std::size_t total = 0;
    EXPECT_TRUE(store
                    ->read([&](StoreTransaction& tx) -> Status {
                      LP_ASSIGN_OR_RETURN(auto rows, tx.connections(q, &total));
                      for (const ConnectionRecord& r : rows) out.push_back(r.id);
                      return Status::ok();
                    })
                    .isOk());
    if (out.size() < q.limit) {
      EXPECT_EQ(total, out.size()) << "a count of every match";
    }
    return out;
  };
  using V = std::vector<std::string>;
  ASSERT_TRUE(
      write({"conn_1", "acme", "active", 1, body("ethernet", "p1", "p2", R"({"env":"prod"})")}, 0)
          .isOk());
  ASSERT_TRUE(write({"conn_2", "acme", "provisioning", 1,
                     body("ethernet", "p2", "p3", R"({"env":"test","team":"ml"})")},
                    0)
                  .isOk());
  ASSERT_TRUE(
      write({"conn_3", "globex", "active", 1, body("wavelength", "chicago", "chicago", "{}")}, 0)
          .isOk());
  ASSERT_TRUE(write({"conn_4", "globex", "active", 1, "[]"}, 0).isOk());
  ASSERT_TRUE(
      write({"conn_5", "globex", "active", 1, R"({"requested":{"kind":7,"tags":[1]}})"}, 0).isOk());
  EXPECT_EQ(ids({.terms = {"kind:ethernet"}}), (V{"conn_1", "conn_2"}));
  EXPECT_EQ(ids({.terms = {"end:p2"}}), (V{"conn_1", "conn_2"}));
  EXPECT_EQ(ids({.terms = {"end:chicago"}}), (V{"conn_3"}));  // once, though at both ends
  EXPECT_EQ(ids({.terms = {"tag:env=prod"}}), (V{"conn_1"}));
  EXPECT_EQ(ids({.terms = {"end:p2", "tag:team=ml"}}), (V{"conn_2"}));
  EXPECT_EQ(ids({.terms = {"end:p2", "kind:wavelength"}}), V{});
  EXPECT_EQ(ids({.state = "active", .terms = {"end:p2"}}), (V{"conn_1"}));
  EXPECT_EQ(ids({.tenant = "globex", .terms = {"kind:ethernet"}}), V{});
  EXPECT_EQ(ids({.tenant = "acme", .terms = {"kind:ethernet"}, .after_id = "conn_1"}),
            (V{"conn_2"}));
  EXPECT_EQ(ids({.terms = {"kind:ethernet"}, .newest_first = true, .limit = 1}), (V{"conn_2"}));
  EXPECT_EQ(ids({.terms = {"kind:7"}}), V{});
  // A change of state keeps the terms; new tags replace them; a rollback leaves them.
  ASSERT_TRUE(write({"conn_2", "acme", "active", 2,
                     body("ethernet", "p2", "p3", R"({"env":"test","team":"ml"})")},
                    1)
                  .isOk());
  EXPECT_EQ(ids({.state = "active", .terms = {"tag:team=ml"}}), (V{"conn_2"}));
  ASSERT_TRUE(
      write({"conn_2", "acme", "active", 3, body("ethernet", "p2", "p3", R"({"env":"prod"})")}, 2)
          .isOk());
  EXPECT_EQ(ids({.terms = {"tag:team=ml"}}), V{});
  EXPECT_EQ(ids({.terms = {"tag:env=prod"}}), (V{"conn_1", "conn_2"}));
  EXPECT_FALSE(store
                   ->transact([&](StoreTransaction& tx) -> Status {
                     LP_RETURN_IF_ERROR(tx.putConnection(
                         {"conn_1", "acme", "active", 2, body("cloud", "p9", "aws", "{}")}, 1));
                     return aborted("changed my mind");
                   })
                   .isOk());
  EXPECT_EQ(ids({.terms = {"end:p1"}}), (V{"conn_1"}));
  EXPECT_EQ(ids({.terms = {"kind:cloud"}}), V{});
  // Its body now a connection's: terms from then on.
  ASSERT_TRUE(write({"conn_4", "globex", "active", 2, body("cloud", "p9", "aws", "{}")}, 1).isOk());
  EXPECT_EQ(ids({.terms = {"kind:cloud"}}), (V{"conn_4"}));
}

TEST_P(StoreConformance, EventCursorsOnlyGoUpAndReplayAfterACursor) {
  auto store = open();
  ASSERT_TRUE(store);
  std::vector<std::uint64_t> cursors;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store
                    ->transact([&](StoreTransaction& tx) -> Status {
                      LP_ASSIGN_OR_RETURN(
                          auto c, tx.appendEvent({0, "tick", "s", "t", i, std::to_string(i)}));
                      cursors.push_back(c);
                      return Status::ok();
                    })
                    .isOk());
  }
  for (std::size_t i = 1; i < cursors.size(); ++i) EXPECT_GT(cursors[i], cursors[i - 1]);
  ASSERT_TRUE(store
                  ->transact([&](StoreTransaction& tx) -> Status {
                    auto rest = tx.eventsAfter(cursors[9], 100);
                    EXPECT_EQ(rest->size(), 10u);
                    EXPECT_EQ(rest->front().body, "10");
                    EXPECT_EQ(tx.eventsAfter(cursors[9], 3)->size(), 3u);
                    return Status::ok();
                  })
                  .isOk());
}

TEST_P(StoreConformance, OldEventsAreDeletedOldestFirstAndCursorsAreNotReused) {
  auto store = open();
  ASSERT_TRUE(store);
  auto append = [&](std::int64_t at_us) {
    std::uint64_t cursor = 0;
    EXPECT_TRUE(store
                    ->transact([&](StoreTransaction& tx) -> Status {
                      LP_ASSIGN_OR_RETURN(cursor, tx.appendEvent({0, "x", "y", "acme", at_us,
                                                                  std::to_string(at_us)}));
                      return Status::ok();
                    })
                    .isOk());
    return cursor;
  };
  for (std::int64_t i = 1; i <= 10; ++i) append(i * 100);
  std::size_t deleted = 0;
  ASSERT_TRUE(store
                  ->transact([&](StoreTransaction& tx) -> Status {
                    LP_ASSIGN_OR_RETURN(deleted, tx.deleteEventsBefore(650, 4));  // at most 4
                    EXPECT_EQ(deleted, 4u);
                    LP_ASSIGN_OR_RETURN(deleted, tx.deleteEventsBefore(650, 100));
                    EXPECT_EQ(deleted, 2u);  // 500 and 600; 700 on are kept
                    return Status::ok();
                  })
                  .isOk());
  const std::uint64_t last = append(1100);
  ASSERT_TRUE(store
                  ->read([&](StoreTransaction& tx) -> Status {
                    LP_ASSIGN_OR_RETURN(auto kept, tx.eventsAfter(0, 100));
                    EXPECT_EQ(kept.size(), 5u);
                    if (!kept.empty()) {
                      EXPECT_EQ(kept.front().body, "700");
                    }
                    LP_ASSIGN_OR_RETURN(auto newest, tx.lastEventCursor());
                    EXPECT_EQ(newest, last);
                    return Status::ok();
                  })
                  .isOk());
  // Everything deleted: a new event still gets a cursor after every earlier one.
  ASSERT_TRUE(store
                  ->transact([&](StoreTransaction& tx) {
                    return statusOf(tx.deleteEventsBefore(1'000'000, 100));
                  })
                  .isOk());
  EXPECT_GT(append(1200), last);
}

TEST_P(StoreConformance, TheLastEventCursorIsTheNewest) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store
                  ->read([](StoreTransaction& tx) -> Status {
                    EXPECT_EQ(*tx.lastEventCursor(), 0u);
                    return Status::ok();
                  })
                  .isOk());
  std::uint64_t last = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store
                    ->transact([&](StoreTransaction& tx) -> Status {
                      auto cursor = tx.appendEvent({0, "x", "y", "acme", i, "{}"});
                      if (cursor) last = *cursor;
                      return statusOf(cursor);
                    })
                    .isOk());
  }
  ASSERT_TRUE(store
                  ->read([&](StoreTransaction& tx) -> Status {
                    EXPECT_EQ(*tx.lastEventCursor(), last);
                    return Status::ok();
                  })
                  .isOk());
}

TEST_P(StoreConformance, WhatWasCommittedSurvivesAReopen) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(
        store
            ->transact([](StoreTransaction& tx) -> Status {
              LP_RETURN_IF_ERROR(tx.putConnection(record("conn_a", "acme"), 0));
              return statusOf(tx.appendEvent({0, "connection.created", "conn_a", "acme", 1, "{}"}));
            })
            .isOk());
  }
  auto reopened = open();
  ASSERT_TRUE(reopened);
  ASSERT_TRUE(reopened
                  ->transact([](StoreTransaction& tx) -> Status {
                    EXPECT_TRUE(*tx.connection("conn_a"));
                    EXPECT_EQ(tx.eventsAfter(0, 10)->size(), 1u);
                    return Status::ok();
                  })
                  .isOk());
}

TEST_P(StoreConformance, ConcurrentTransactionsDoNotLoseWrites) {
  auto store = open();
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        Status s = store->transact([&](StoreTransaction& tx) -> Status {
          LP_RETURN_IF_ERROR(tx.putConnection(record(fmt::format("conn_{}_{}", t, i), "acme"), 0));
          return statusOf(tx.appendEvent({0, "connection.created", "x", "acme", i, "{}"}));
        });
        EXPECT_TRUE(s.isOk()) << s.toString();
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(store
                  ->transact([](StoreTransaction& tx) -> Status {
                    std::size_t total = 0;
                    (void)tx.connections({}, &total);
                    EXPECT_EQ(total, 100u);
                    EXPECT_EQ(tx.eventsAfter(0, 1000)->size(), 100u);
                    return Status::ok();
                  })
                  .isOk());
}

TEST_P(StoreConformance, ReadsSeeWhatIsCommittedAndCannotWrite) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store
                  ->transact([](StoreTransaction& tx) {
                    return tx.putConnection(record("conn_1", "acme"), 0);
                  })
                  .isOk());
  ASSERT_TRUE(store
                  ->read([](StoreTransaction& tx) -> Status {
                    auto c = tx.connection("conn_1");
                    EXPECT_TRUE(c && *c);
                    EXPECT_FALSE(tx.putConnection(record("conn_2", "acme"), 0).isOk())
                        << "a read wrote";
                    return Status::ok();
                  })
                  .isOk());
  // A read that fails returns its error and leaves the store as it was.
  EXPECT_EQ(store->read([](StoreTransaction&) { return notFound("x"); }).code(),
            StatusCode::NotFound);
  ASSERT_TRUE(store
                  ->read([](StoreTransaction& tx) -> Status {
                    std::size_t total = 0;
                    EXPECT_TRUE(tx.connections({}, &total));
                    EXPECT_EQ(total, 1u);
                    return Status::ok();
                  })
                  .isOk());
}

TEST_P(StoreConformance, ConcurrentTransactionsCommitOrFailEachOnItsOwn) {
  // Transactions committed together: the ones that fail leave no trace, the others all land,
  // and readers running meanwhile only ever see whole transactions.
  auto store = open();
  ASSERT_TRUE(store);
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      ASSERT_TRUE(store
                      ->read([](StoreTransaction& tx) -> Status {
                        std::size_t connections = 0;
                        EXPECT_TRUE(tx.connections({}, &connections));
                        EXPECT_EQ(tx.eventsAfter(0, 100000)->size(), connections)
                            << "a transaction seen half done";
                        return Status::ok();
                      })
                      .isOk());
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const bool doomed = i % 3 == 0;
        Status s = store->transact([&](StoreTransaction& tx) -> Status {
          LP_RETURN_IF_ERROR(tx.putConnection(record(fmt::format("conn_{}_{}", t, i), "acme"), 0));
          LP_RETURN_IF_ERROR(
              statusOf(tx.appendEvent({0, "connection.created", "x", "acme", i, "{}"})));
          return doomed ? Status{StatusCode::Aborted, "changed my mind"} : Status::ok();
        });
        EXPECT_EQ(s.isOk(), !doomed) << s.toString();
      }
    });
  }
  for (auto& w : writers) w.join();
  stop = true;
  reader.join();
  ASSERT_TRUE(store
                  ->read([](StoreTransaction& tx) -> Status {
                    std::size_t total = 0;
                    (void)tx.connections({}, &total);
                    EXPECT_EQ(total, 8u * 26u);
                    EXPECT_EQ(tx.eventsAfter(0, 100000)->size(), 8u * 26u);
                    EXPECT_FALSE(*tx.connection("conn_0_0"));
                    EXPECT_TRUE(*tx.connection("conn_0_1"));
                    return Status::ok();
                  })
                  .isOk());
}

TEST_P(StoreConformance, DeletingAMissingHoldIsNotFound) {
  auto store = open();
  ASSERT_TRUE(store);
  Status s = store->transact([](StoreTransaction& tx) -> Status { return tx.deleteHold(99); });
  EXPECT_EQ(s.code(), StatusCode::NotFound);
}

TEST_P(StoreConformance, DocumentsKeepTheirOrderAndFilterByKindAndTenant) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(
      store
          ->transact([](StoreTransaction& tx) -> Status {
            LP_RETURN_IF_ERROR(tx.putDocument({"tenant", "acme", "", R"({"name":"Acme"})"}));
            LP_RETURN_IF_ERROR(tx.putDocument({"api_key", "k1", "acme", "{}"}));
            LP_RETURN_IF_ERROR(tx.putDocument({"api_key", "k2", "globex", "{}"}));
            LP_RETURN_IF_ERROR(tx.putDocument({"api_key", "k3", "acme", "{}"}));
            return tx.putDocument({"tenant", "acme", "", R"({"name":"Acme Corp"})"});  // replaces
          })
          .isOk());
  ASSERT_TRUE(store
                  ->transact([](StoreTransaction& tx) -> Status {
                    auto acme = tx.document("tenant", "acme");
                    EXPECT_TRUE(acme && *acme);
                    if (acme && *acme) {
                      EXPECT_EQ((*acme)->body, R"({"name":"Acme Corp"})");
                    }
                    auto missing = tx.document("api_key", "acme");  // ids are per kind
                    EXPECT_TRUE(missing && !*missing);
                    std::size_t total = 0;
                    auto keys = tx.documents({.kind = "api_key", .tenant = "acme"}, &total);
                    EXPECT_TRUE(keys);
                    EXPECT_EQ(total, 2u);
                    if (keys && keys->size() == 2) {
                      EXPECT_EQ((*keys)[0].id, "k1");
                      EXPECT_EQ((*keys)[1].id, "k3");
                      EXPECT_LT((*keys)[0].seq, (*keys)[1].seq);
                    }
                    auto newest =
                        tx.documents({.kind = "api_key", .limit = 1, .newest_first = true}, &total);
                    EXPECT_EQ(total, 3u);
                    EXPECT_TRUE(newest && newest->size() == 1 && (*newest)[0].id == "k3");
                    auto page = tx.documents({.kind = "api_key", .offset = 1, .limit = 1}, nullptr);
                    EXPECT_TRUE(page && page->size() == 1 && (*page)[0].id == "k2");
                    // Keyset: after a seq, in the list's order either way.
                    if (newest && newest->size() == 1) {
                      const std::uint64_t k3 = (*newest)[0].seq;
                      auto older = tx.documents(
                          {.kind = "api_key", .newest_first = true, .after_seq = k3}, &total);
                      EXPECT_EQ(total, 3u);
                      EXPECT_TRUE(older && older->size() == 2 && (*older)[0].id == "k2");
                      auto later =
                          tx.documents({.kind = "api_key", .after_seq = (*older)[0].seq}, nullptr);
                      EXPECT_TRUE(later && later->size() == 1 && (*later)[0].id == "k3");
                    }
                    EXPECT_TRUE(tx.deleteDocument("api_key", "k2").isOk());
                    EXPECT_EQ(tx.deleteDocument("api_key", "k2").code(), StatusCode::NotFound);
                    return Status::ok();
                  })
                  .isOk());
}

}  // namespace
}  // namespace lightpath::testing
