#include "lightpath/base/seal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "lightpath/base/crypto.h"
#include "lightpath/base/ids.h"

namespace lightpath {
namespace {

Sealer sealerOf(char fill) { return *Sealer::fromKey(std::string(32, fill)); }

TEST(Sealer, OpensWhatItSealedAndNothingElse) {
  const Sealer sealer = sealerOf('a');
  const std::string sealed = sealer.seal("whsec_the secret", "webhook/whk_1");
  EXPECT_TRUE(Sealer::isSealed(sealed));
  EXPECT_EQ(sealed.find("the secret"), std::string::npos);
  EXPECT_EQ(*sealer.open(sealed, "webhook/whk_1"), "whsec_the secret");
  // A fresh data key and nonce each time: the same secret never seals the same.
  EXPECT_NE(sealer.seal("whsec_the secret", "webhook/whk_1"), sealed);

  // Copied onto another record: refused.
  auto moved = sealer.open(sealed, "webhook/whk_2");
  ASSERT_FALSE(moved);
  EXPECT_NE(moved.error().message().find("webhook/whk_2"), std::string::npos);

  // One character changed anywhere after the key id: refused, never a wrong secret.
  for (std::size_t at = std::string("sealed:v1:mk_000000000000:").size(); at < sealed.size();
       at += 7) {
    std::string damaged = sealed;
    damaged[at] = damaged[at] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(sealer.open(damaged, "webhook/whk_1")) << at;
  }
  EXPECT_FALSE(sealer.open("sealed:v1:" + sealer.keyId() + ":x", "webhook/whk_1"));
  EXPECT_FALSE(sealer.open("whsec_in clear", "webhook/whk_1"));
}

TEST(Sealer, AnotherMasterKeyIsNamed) {
  const std::string sealed = sealerOf('a').seal("s", "c");
  const Sealer other = sealerOf('b');
  auto opened = other.open(sealed, "c");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code(), StatusCode::FailedPrecondition);
  EXPECT_NE(opened.error().message().find(sealerOf('a').keyId()), std::string::npos);
  EXPECT_FALSE(Sealer::fromKey("short"));
}

class MasterKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("LIGHTPATH_MASTER_KEY");
    dir_ = std::filesystem::temp_directory_path() /
           ("lightpath_seal_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    ::unsetenv("LIGHTPATH_MASTER_KEY");
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(MasterKeyFile, MadeOnceOwnerOnlyThenRead) {
  const std::string path = (dir_ / "conf" / "master.key").string();
  auto made = loadMasterKey(path);
  ASSERT_TRUE(made) << made.error().message();
  EXPECT_TRUE(made->created);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto again = loadMasterKey(path);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->sealer.keyId(), made->sealer.keyId());
  EXPECT_EQ(*again->sealer.open(made->sealer.seal("x", "c"), "c"), "x");

  ::chmod(path.c_str(), 0644);
  auto exposed = loadMasterKey(path);
  ASSERT_FALSE(exposed);
  EXPECT_NE(exposed.error().message().find("chmod 600"), std::string::npos);
}

TEST_F(MasterKeyFile, TheEnvironmentWinsAndIsChecked) {
  const std::string key = base64Encode(std::string(32, 'k'));
  ::setenv("LIGHTPATH_MASTER_KEY", key.c_str(), 1);
  auto loaded = loadMasterKey((dir_ / "never-made.key").string());
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->source, "LIGHTPATH_MASTER_KEY");
  EXPECT_EQ(loaded->sealer.keyId(), sealerOf('k').keyId());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "never-made.key"));

  ::setenv("LIGHTPATH_MASTER_KEY", "not base64 of 32 bytes", 1);
  auto bad = loadMasterKey("");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("LIGHTPATH_MASTER_KEY"), std::string::npos);

  ::unsetenv("LIGHTPATH_MASTER_KEY");
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "short.key") << base64Encode("sixteen bytes ..") << "\n";
  ::chmod((dir_ / "short.key").c_str(), 0600);
  auto short_key = loadMasterKey((dir_ / "short.key").string());
  ASSERT_FALSE(short_key);
  EXPECT_NE(short_key.error().message().find("short.key"), std::string::npos);
}

// Ids made one after another sort in that order, also within one millisecond (lists page by id
// in creation order).
TEST(SecureId, MadeInOrderSortInOrder) {
  std::string last;
  for (int i = 0; i < 5000; ++i) {
    const std::string id = secureId("conn");
    ASSERT_TRUE(isId(id, "conn")) << id;
    ASSERT_LT(last, id) << "id " << i;
    last = id;
  }
}

}  // namespace
}  // namespace lightpath
