#include "lightpath/southbound/drivers/sim/entry_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace lightpath {
namespace {

std::vector<ConfigEntry> all(const EntryTable& table) {
  std::vector<ConfigEntry> out;
  table.forEach([&](const EntryTable::Ref& e) { out.push_back(e.entry()); });
  return out;
}

TEST(EntryTable, KeepsEntriesAsTheyWereSetInKeyOrder) {
  EntryTable table;
  const ConfigEntry evc{"evc/conn_2/working",
                        "conn_2",
                        {{"in", "p1"}, {"mbps", "50"}, {"out", "p2"}, {"vlan", "120"}}};
  // An owner the key does not name, an empty value, a value with a NUL, a long one.
  const ConfigEntry odd{
      "tamper",
      "an engineer",
      {{"", "x"}, {"note", std::string("a\0b", 3)}, {"long", std::string(300, 'z')}}};
  const ConfigEntry xc{"xc/conn_1/working", "conn_1", {{"slots/f1", "120+6"}}};
  table.set(xc, {});
  table.set(evc, {1.5, TimePoint(std::chrono::seconds(7))});
  table.set(odd, {});
  EXPECT_EQ(all(table), (std::vector<ConfigEntry>{evc, odd, xc}));
  EXPECT_EQ(table.size(), 3U);

  auto found = table.find("evc/conn_2/working");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->owner(), "conn_2");
  EXPECT_EQ(found->value("mbps"), "50");
  EXPECT_EQ(found->value("nothing"), "");
  EXPECT_EQ(found->counter().bytes, 1.5);
  EXPECT_EQ(found->counter().since, TimePoint(std::chrono::seconds(7)));
  found->setCounter({9, TimePoint(std::chrono::seconds(8))});
  EXPECT_EQ(table.find("evc/conn_2/working")->counter().bytes, 9);

  // Set again: replaced in place; erased: gone.
  ConfigEntry moved = evc;
  moved.values["vlan"] = "121";
  moved.owner = "conn_3";
  table.set(moved, {});
  EXPECT_EQ(table.find("evc/conn_2/working")->entry(), moved);
  EXPECT_EQ(table.size(), 3U);
  EXPECT_TRUE(table.erase("tamper"));
  EXPECT_FALSE(table.erase("tamper"));
  EXPECT_FALSE(table.contains("tamper"));
  EXPECT_FALSE(table.find("evc/conn_2"));
  EXPECT_EQ(all(table), (std::vector<ConfigEntry>{moved, xc}));
}

// Against a map of ConfigEntries, with more distinct words than the dictionary holds (the rest
// are written out) and keys set out of order.
TEST(EntryTable, AgreesWithAPlainMapPastItsDictionary) {
  EntryTable table;
  std::map<std::string, ConfigEntry> plain;
  std::mt19937 random(7);
  for (int i = 0; i < 120'000; ++i) {
    const std::string id = "conn_" + std::to_string(random() % 50'000);
    ConfigEntry e{"evc/" + id + "/working",
                  random() % 5 == 0 ? "other" : id,
                  {{"vlan", std::to_string(i)}, {"mbps", std::to_string(random() % 3 * 50)}}};
    if (random() % 4 == 0) {
      EXPECT_EQ(table.erase(e.key), plain.erase(e.key) == 1);
      continue;
    }
    table.set(e, {});
    plain[e.key] = e;
  }
  std::vector<ConfigEntry> expected;
  for (const auto& [key, e] : plain) expected.push_back(e);
  EXPECT_EQ(all(table), expected);
}

}  // namespace
}  // namespace lightpath
