// The devices file: what it says is read whole; anything wrong in it is refused naming the
// entry and the field.
#include "lightpath/southbound/drivers/netconf/devices_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace lightpath {
namespace {

class DevicesFileTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // One directory per process: ctest runs the tests of this suite side by side.
  std::string dir_ = ::testing::TempDir() + "devices_file_test-" + std::to_string(::getpid());
  std::string path_ = (std::filesystem::create_directories(dir_), dir_ + "/devices.json");
};

TEST_F(DevicesFileTest, ReadsEachDeviceWithPathsBesideTheFile) {
  auto devices = readDevicesFile(write(
      R"([{"node": "r1", "host": "127.0.0.1", "port": 18300, "username": "root",
           "key_file": "client_key", "dialect": "openroadm", "timeout_ms": 750},
          {"node": "s1", "host": "::1", "port": 830, "username": "lp",
           "key_file": "/etc/lp/key", "known_hosts": "/etc/lp/hosts", "dialect": "switch"}])"));
  ASSERT_TRUE(devices) << devices.error().message();
  ASSERT_EQ(devices->size(), 2u);
  const NetconfNode& r1 = devices->at("r1");
  EXPECT_EQ(r1.access.port, 18300);
  EXPECT_EQ(r1.access.key_file, dir_ + "/client_key");
  EXPECT_EQ(r1.access.known_hosts, dir_ + "/known_hosts");
  EXPECT_EQ(r1.access.timeout.count(), 750);
  EXPECT_EQ(r1.dialect, "openroadm");
  EXPECT_EQ(devices->at("s1").access.known_hosts, "/etc/lp/hosts");
}

TEST_F(DevicesFileTest, RefusesWhatIsWrongWithWhereAndWhy) {
  const std::string good = R"("host": "h", "port": 830, "username": "u", "key_file": "k")";
  const std::pair<std::string, std::string> cases[] = {
      {"{}", "a list of devices"},
      {"[1]", "device 0: an object"},
      {"[{" + good + R"(, "dialect": "switch"}])", "'node' is missing"},
      {R"([{"node": "n", )" + good + R"(, "dialect": "cisco"}])", "no dialect 'cisco'"},
      {R"([{"node": "n", "host": "h", "port": 0, "username": "u", "key_file": "k",
            "dialect": "switch"}])",
       "'port' must be 1-65535"},
      {R"([{"node": "n", )" + good + R"(, "dialect": "switch", "password": "x"}])",
       "unknown field 'password'"},
      {R"([{"node": "n", )" + good + R"(, "dialect": "switch", "timeout_ms": 1}])",
       "'timeout_ms' must be 10-600000"},
      {R"([{"node": "n", )" + good + R"(, "dialect": "switch"}, {"node": "n", )" + good +
           R"(, "dialect": "switch"}])",
       "listed twice"},
      {"[{", "not JSON"},
  };
  for (const auto& [text, want] : cases) {
    auto devices = readDevicesFile(write(text));
    ASSERT_FALSE(devices) << text;
    EXPECT_NE(devices.error().message().find(want), std::string::npos)
        << devices.error().message() << " (want: " << want << ")";
    EXPECT_NE(devices.error().message().find(path_), std::string::npos);
  }
  EXPECT_FALSE(readDevicesFile(dir_ + "/missing.json"));
}

}  // namespace
}  // namespace lightpath
