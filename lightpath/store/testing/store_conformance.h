// The conformance suite every Store adapter must pass. An adapter's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, testing::Values(StoreFactory{
//       "sqlite", [](const std::string& dir) { return openSqliteStore(dir + "/x.db"); }}));
//
// The factory opens a store whose data lives under `dir`; calling it again on the same dir
// must reopen the same data (durability).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>

#include "lightpath/store/store.h"

namespace lightpath::testing {

struct StoreFactory {
  std::string name;
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir)> open;
  std::string skip;  // why the adapter cannot be tried here (no server); empty: it can
};

// Test names show the adapter, not the factory's bytes.
// GoogleTest finds it by this name.
// NOLINTNEXTLINE(readability-identifier-naming)
inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;
  std::unique_ptr<Store> open();
  std::string dir_;
};

}  // namespace lightpath::testing
