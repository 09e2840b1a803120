#include "lightpath/southbound/registry.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "lightpath/southbound/drivers/sim/sim_device.h"

namespace lightpath {
namespace {

struct TempDir {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("lightpath-sb-" + std::to_string(std::random_device{}())))
                         .string();
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

Status applyOne(Device& d, const std::string& tx, std::vector<ConfigEntry> set,
                std::vector<std::string> remove = {}) {
  LP_RETURN_IF_ERROR(d.prepare({tx, std::move(set), std::move(remove)}));
  return d.apply(tx);
}

TEST(DriverRegistry, CreatesByNameAndSaysWhatThereIs) {
  DriverRegistry registry;
  ASSERT_TRUE(registerSimDriver(registry).isOk());
  EXPECT_EQ(registerSimDriver(registry).code(), StatusCode::AlreadyExists);
  const Node node{.id = "chicago-roadm"};
  auto device = registry.create("sim", {.node = node});
  ASSERT_TRUE(device) << device.error().toString();
  EXPECT_EQ((*device)->name(), "chicago-roadm");
  auto unknown = registry.create("ciena-wavelogic", {.node = node});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), StatusCode::NotFound);
  EXPECT_EQ(unknown.error().message(),
            "node 'chicago-roadm': no driver 'ciena-wavelogic' (there are: sim)");
}

TEST(SimDevice, BehavioursMakeEntries) {
  SimDevice d("x");
  ASSERT_NE(d.crossConnect(), nullptr);
  const ConfigEntry xc = d.crossConnect()->crossConnect(
      {"conn_1", "working", "", "f1", {{"f1", "120+6"}}, "400g-16qam"});
  EXPECT_EQ(xc,
            (ConfigEntry{"xc/conn_1/working",
                         "conn_1",
                         {{"out", "f1"}, {"slots/f1", "120+6"}, {"transceiver", "400g-16qam"}}}));
  const ConfigEntry evc =
      d.clientPort()->clientService({"conn_2", "working", "f1", "f2", 120, 1000});
  EXPECT_EQ(evc.key, "evc/conn_2/working");
  EXPECT_EQ(evc.values.at("vlan"), "120");
  const ConfigEntry cloud =
      d.cloudOnRamp()->cloudAttachment({"conn_3", "aws", "dxcon-1", std::nullopt, 500});
  EXPECT_EQ(cloud.values.at("vlan"), "untagged");
  ASSERT_TRUE(applyOne(d, "t1", {xc, evc}).isOk());
  auto status = d.telemetry()->status();
  ASSERT_TRUE(status && status->size() == 2u);
  EXPECT_TRUE(status->front().up);
  d.setFaults({.down = true});
  EXPECT_FALSE(d.telemetry()->status()->front().up);
}

TEST(SimDevice, KeepsItsConfigurationAcrossRestarts) {
  TempDir dir;
  DriverRegistry registry;
  ASSERT_TRUE(registerSimDriver(registry).isOk());
  const Node node{.id = "a/b"};  // not a safe file name: escaped
  {
    auto d = registry.create("sim", {.node = node, .state_dir = dir.path});
    ASSERT_TRUE(d);
    ASSERT_TRUE(applyOne(**d, "t1", {{"k1", "c1", {{"v", "1"}}}, {"k2", "c2", {}}}).isOk());
    ASSERT_TRUE(applyOne(**d, "t2", {{"k1", "c1", {{"v", "2"}}}}, {"k2"}).isOk());
    ASSERT_TRUE((*d)->prepare({"t3", {{"k3", "c3", {}}}, {}}).isOk());  // staged only: lost
  }
  const std::string file = dir.path + "/a%2Fb.jsonl";
  ASSERT_TRUE(std::filesystem::exists(file));
  std::ofstream(file, std::ios::app)
      << R"({"set":[{"key":"k9","owner":"c9","values":{}}],"remove":[])";  // torn
  auto again = registry.create("sim", {.node = node, .state_dir = dir.path});
  ASSERT_TRUE(again) << again.error().toString();
  EXPECT_EQ(*(*again)->running(), (std::vector<ConfigEntry>{{"k1", "c1", {{"v", "2"}}}}));
  again->reset();
  std::ofstream(file, std::ios::app) << "{\"set\": 3}\n";
  auto broken = registry.create("sim", {.node = node, .state_dir = dir.path});
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message().find("a%2Fb.jsonl:2: not a device change"), std::string::npos)
      << broken.error().message();
  EXPECT_NE(broken.error().message().find("node 'a/b' (sim driver)"), std::string::npos)
      << broken.error().message();
  // Each line that is not a whole change is refused with its number and what is wrong.
  for (const char* line : {R"({"set":[]})", R"({"remove":[],"set":[{"owner":"c"}]})",
                           R"({"remove":[],"set":[{"key":"k","owner":"c","values":{"v":1}}]})",
                           "[]", "{\"remove\":[],\"set\":[]"}) {
    std::ofstream(file, std::ios::trunc) << R"({"remove":[],"set":[]})"
                                         << "\n"
                                         << line << "\n";
    auto bad = registry.create("sim", {.node = node, .state_dir = dir.path});
    ASSERT_FALSE(bad) << line;
    EXPECT_NE(bad.error().message().find("a%2Fb.jsonl:2: not a device change"), std::string::npos)
        << line << ": " << bad.error().message();
  }
}

TEST(SimDevice, ItsJournalStaysSmall) {
  TempDir dir;
  const std::string file = dir.path + "/x.jsonl";
  {
    SimDevice d("x");
    ASSERT_TRUE(d.keepIn(file).isOk());
    for (int i = 0; i < 5000; ++i) {  // one entry rewritten over and over
      ASSERT_TRUE(
          applyOne(d, "t" + std::to_string(i), {{"k", "c", {{"n", std::to_string(i)}}}}).isOk());
    }
  }
  std::ifstream in(file);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_LE(lines, 1025u);
  SimDevice again("x");
  ASSERT_TRUE(again.keepIn(file).isOk());
  EXPECT_EQ(*again.running(), (std::vector<ConfigEntry>{{"k", "c", {{"n", "4999"}}}}));
}

TEST(SimDevice, ReadsAJournalLongerThanItsBuffer) {
  // One change of 3,000 entries (a journal compacted before its lines were bounded: ~2.5 MB, more
  // than a start reads at a time), then one more, then a torn line: the start drops the torn
  // line by compacting, into lines of at most 1,024 entries, that a start reads back the same.
  TempDir dir;
  const std::string file = dir.path + "/x.jsonl";
  const std::string padding(800, 'p');
  std::vector<ConfigEntry> expected;
  {
    std::ofstream out(file);
    out << R"({"remove":[],"set":[)";
    for (int i = 0; i < 3000; ++i) {
      expected.push_back({fmt::format("k{:04}", i), "c", {{"v", padding}}});
      out << (i ? "," : "")
          << fmt::format(R"({{"key":"k{:04}","owner":"c","values":{{"v":"{}"}}}})", i, padding);
    }
    out << "]}\n"
        << R"({"remove":["k0000"],"set":[]})"
        << "\n"
        << R"({"remove":[],"set":[)";
  }
  expected.erase(expected.begin());
  SimDevice d("x");
  ASSERT_TRUE(d.keepIn(file).isOk());
  EXPECT_EQ(*d.running(), expected);
  std::ifstream in(file);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 3u);  // 1,024 + 1,024 + 951 entries
  SimDevice again("x");
  ASSERT_TRUE(again.keepIn(file).isOk());
  EXPECT_EQ(*again.running(), expected);
}

TEST(SimDevice, CountsWhatEachEntryCarries) {
  TempDir dir;
  const std::string file = dir.path + "/x.jsonl";
  ManualClock clock(TimePoint(std::chrono::seconds(1'800'000'000)));
  const ConfigEntry evc{"evc/c1/working", "c1", {{"mbps", "8000"}}};  // 1 GB/s
  auto octets = [](SimDevice& d) {
    auto counted = d.octets({"evc/c1/working", "xc/c2/working", "absent"});
    EXPECT_TRUE(counted) << counted.error().toString();
    return counted ? *counted : std::map<std::string, std::uint64_t>{};
  };
  {
    SimDevice d("x", {}, 1, &clock);
    ASSERT_TRUE(d.keepIn(file).isOk());
    ASSERT_TRUE(applyOne(d, "t1", {evc, {"xc/c2/working", "c2", {{"out", "f1"}}}}).isOk());
    clock.advance(std::chrono::seconds(10));
    // A cross-connect without a rate counts nothing; the service 10 s at 1 GB/s.
    EXPECT_EQ(octets(d),
              (std::map<std::string, std::uint64_t>{{"evc/c1/working", 10'000'000'000}}));
    // A new rate counts from now on, the bytes so far kept.
    ASSERT_TRUE(applyOne(d, "t2", {{"evc/c1/working", "c1", {{"mbps", "16000"}}}}).isOk());
    clock.advance(std::chrono::seconds(5));
    EXPECT_EQ(octets(d)["evc/c1/working"], 20'000'000'000u);
  }
  // The box counted on while its controller was away: the journal keeps where it stood.
  clock.advance(std::chrono::seconds(5));
  SimDevice again("x", {}, 1, &clock);
  ASSERT_TRUE(again.keepIn(file).isOk());
  EXPECT_EQ(octets(again)["evc/c1/working"], 30'000'000'000u);
  // Down, it carries nothing.
  again.setFaults({.down = true});
  clock.advance(std::chrono::seconds(5));
  EXPECT_EQ(octets(again)["evc/c1/working"], 30'000'000'000u);
  again.setFaults({});
  // Removed, the counter goes; set again, it starts from zero.
  ASSERT_TRUE(applyOne(again, "t3", {}, {"evc/c1/working"}).isOk());
  EXPECT_TRUE(octets(again).empty());
  ASSERT_TRUE(applyOne(again, "t4", {evc}).isOk());
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(octets(again)["evc/c1/working"], 1'000'000'000u);
}

}  // namespace
}  // namespace lightpath
