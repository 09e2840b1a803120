// The dialects render entries into their models and read them back equal; what a model cannot
// hold is refused with the entry; what Lightpath did not write is left alone.
#include <gtest/gtest.h>

#include "lightpath/southbound/drivers/netconf/dialect.h"
#include "lightpath/southbound/entries.h"

namespace lightpath {
namespace {

std::optional<std::uint64_t> cBand(const std::string& fiber) {
  if (fiber == "unknown") return std::nullopt;
  return fiber == "l-band" ? 186000000 : 191300000;
}

std::vector<ConfigEntry> opticalEntries() {
  return {
      crossConnectEntry({"C1", "working", "", "f1", {{"f1", "0+6"}}, "400G-16QAM"}),
      crossConnectEntry({"C1", "protection", "f2", "f3", {{"f2", "10+4"}, {"f3", "10+4"}}, ""}),
      // A regenerator: another mode, other slots on the way out.
      crossConnectEntry(
          {"C2", "working", "f1", "l-band", {{"f1", "7+6"}, {"l-band", "300+6"}}, "400G-16QAM"}),
      crossConnectEntry({"C3", "working", "f4", "", {{"f4", "383+1"}}, "100G-QPSK"}),
      clientServiceEntry({"E1", "working", "f1", "f2", 120, 10000}),
      clientServiceEntry({"E1", "protection", "", "f2", std::nullopt, 1}),
  };
}

// What a device would answer: the rendered config (operations and all) inside <data>.
std::string asReply(const std::string& config) {
  return "<rpc-reply><data>" + config + "</data></rpc-reply>";
}

TEST(DialectTest, OpticalDialectsReadBackWhatTheyWrite) {
  for (const char* name : {"openconfig", "openroadm"}) {
    SCOPED_TRACE(name);
    auto dialect = makeDialect(name, cBand);
    ASSERT_TRUE(dialect) << dialect.error().message();
    const auto entries = opticalEntries();
    auto config = (*dialect)->edit(entries, {}, {});
    ASSERT_TRUE(config) << config.error().message();
    auto back = (*dialect)->parse(asReply(*config));
    ASSERT_TRUE(back) << back.error().message();
    std::map<std::string, ConfigEntry> by_key;
    for (const ConfigEntry& e : *back) by_key[e.key] = e;
    ASSERT_EQ(by_key.size(), entries.size());
    for (const ConfigEntry& e : entries) EXPECT_EQ(by_key[e.key], e) << e.key;
  }
}

TEST(DialectTest, SwitchReadsBackServicesAndCloudAttachments) {
  auto dialect = makeDialect("switch", cBand);
  ASSERT_TRUE(dialect);
  const std::vector<ConfigEntry> entries = {
      clientServiceEntry({"E1", "working", "f1", "", 300, 2500}),
      cloudAttachmentEntry({"E2", "aws", "123456789012", 300, 1000}),
  };
  auto config = (*dialect)->edit(entries, {}, {});
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_NE(config->find("<name>evc/E1/working</name>"), std::string::npos);
  EXPECT_NE(config->find("<description>E1</description>"), std::string::npos);
  EXPECT_NE(config->find("nc:operation=\"replace\""), std::string::npos);
  auto back = (*dialect)->parse(asReply(*config));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, entries);
}

TEST(DialectTest, FrequenciesAreTheSlotsOfTheFibersBand) {
  auto oc = makeDialect("openconfig", cBand);
  auto config =
      (*oc)->edit({crossConnectEntry({"C1", "working", "", "f1", {{"f1", "2+6"}}, ""})}, {}, {});
  ASSERT_TRUE(config);
  // 191.3 THz + 2 x 12.5 GHz .. + 6 slots.
  EXPECT_NE(config->find("<lower-frequency>191325000</lower-frequency>"), std::string::npos);
  EXPECT_NE(config->find("<upper-frequency>191400000</upper-frequency>"), std::string::npos);
  auto roadm = makeDialect("openroadm", cBand);
  config =
      (*roadm)->edit({crossConnectEntry({"C1", "working", "", "f1", {{"f1", "2+6"}}, ""})}, {}, {});
  ASSERT_TRUE(config);
  EXPECT_NE(config->find("<min-freq>191.325</min-freq>"), std::string::npos);
  EXPECT_NE(config->find("<max-freq>191.4</max-freq>"), std::string::npos);
}

TEST(DialectTest, RemovesWhatTheDeviceHoldsOnly) {
  const ConfigEntry held = crossConnectEntry({"C1", "working", "", "f1", {{"f1", "2+6"}}, "M"});
  auto roadm = makeDialect("openroadm", cBand);
  auto config = (*roadm)->edit({}, {held.key, "xc/C9/working"}, {{held.key, held}});
  ASSERT_TRUE(config);
  EXPECT_NE(config->find("nc:operation=\"remove\""), std::string::npos);
  EXPECT_NE(config->find("<connection-name>xc/C1/working</connection-name>"), std::string::npos);
  EXPECT_NE(config->find("<name>xc/C1/working/in</name>"), std::string::npos);
  EXPECT_EQ(config->find("C9"), std::string::npos);
  // A transceiver no longer needed at a node is removed with its entry's replacement.
  auto oc = makeDialect("openconfig", cBand);
  ConfigEntry express = held;
  express.values.erase("transceiver");
  config = (*oc)->edit({express}, {}, {{held.key, held}});
  ASSERT_TRUE(config);
  EXPECT_NE(config->find("<optical-channel nc:operation=\"remove\">"), std::string::npos);
  config = (*oc)->edit({express}, {}, {});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->find("optical-channel"), std::string::npos);
}

// Two keys, as while a rotation is under way; the second in use.
EncryptionIntent twoKeys(const char* mode) {
  const std::string a(64, 'a'), b(64, 'b');
  return {
      mode,
      {{std::string(32, '1'), a, keyFingerprint(a)}, {std::string(32, '2'), b, keyFingerprint(b)}},
      std::string(32, '2')};
}

TEST(DialectTest, KeysAreWrittenWithTheirSecretsAndReadBackByFingerprint) {
  CrossConnectIntent end{"C1", "working", "", "f1", {{"f1", "0+6"}}, "400G-16QAM"};
  end.encryption = twoKeys("layer1");
  ClientServiceIntent port{"E1", "working", "", "f2", 120, 10000};
  port.encryption = twoKeys("macsec");
  for (const char* name : {"openconfig", "openroadm", "switch"}) {
    SCOPED_TRACE(name);
    auto dialect = makeDialect(name, cBand);
    std::vector<ConfigEntry> entries{clientServiceEntry(port)};
    if ((*dialect)->crossConnects()) entries.push_back(crossConnectEntry(end));
    auto config = (*dialect)->edit(entries, {}, {});
    ASSERT_TRUE(config) << config.error().message();
    EXPECT_NE(config->find("<secret>" + std::string(64, 'b') + "</secret>"), std::string::npos);
    auto back = (*dialect)->parse(asReply(*config));
    ASSERT_TRUE(back) << back.error().message();
    ASSERT_EQ(back->size(), entries.size());
    for (const ConfigEntry& e : *back) {
      const ConfigEntry& wanted = e.key == entries[0].key ? entries[0] : entries.back();
      EXPECT_EQ(e, wanted) << e.key;
      EXPECT_EQ(e.values.at("active-key"), std::string(32, '2'));
      EXPECT_EQ(e.secrets, wanted.secrets) << e.key;  // a compensation can write them back
    }
    // Without its secret (as read back from a store of fingerprints), a key is not written.
    ConfigEntry bare = entries[0];
    bare.secrets.clear();
    auto refused = (*dialect)->edit({bare}, {}, {});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message().find("not at hand"), std::string::npos);
  }
}

TEST(DialectTest, WhatAModelCannotHoldIsRefusedWithTheEntry) {
  auto sw = makeDialect("switch", cBand);
  auto xc =
      (*sw)->edit({crossConnectEntry({"C1", "working", "", "f1", {{"f1", "0+6"}}, ""})}, {}, {});
  ASSERT_FALSE(xc);
  EXPECT_NE(xc.error().message().find("xc/C1/working"), std::string::npos);
  auto oc = makeDialect("openconfig", cBand);
  EXPECT_FALSE((*oc)->edit({cloudAttachmentEntry({"E2", "aws", "k", 1, 1})}, {}, {}));
  auto bad =
      (*oc)->edit({crossConnectEntry({"C1", "working", "", "f1", {{"f1", "x"}}, ""})}, {}, {});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("first+count"), std::string::npos);
  EXPECT_FALSE((*oc)->edit(
      {crossConnectEntry({"C1", "working", "", "unknown", {{"unknown", "0+1"}}, ""})}, {}, {}));
  EXPECT_FALSE(makeDialect("cisco", cBand));
}

TEST(DialectTest, ConfigurationLightpathDidNotWriteIsLeftAlone) {
  auto sw = makeDialect("switch", cBand);
  auto back = (*sw)->parse(
      "<data><switch xmlns=\"urn:lightpath:lab:switch\"><evc><name>mgmt</name>"
      "<description>out of band</description><vlan>1</vlan></evc></switch></data>");
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->empty());
  auto oc = makeDialect("openconfig", cBand);
  // A frequency off the slot grid cannot be Lightpath's slots: said, not guessed.
  auto off = (*oc)->parse(
      "<data><wavelength-router xmlns=\"urn:lightpath:lab:openconfig\"><media-channels><channel>"
      "<name>xc/C1/working</name><description>C1</description><dest><port-name>f1</port-name>"
      "<lower-frequency>191300001</lower-frequency><upper-frequency>191400000</upper-frequency>"
      "</dest></channel></media-channels></wavelength-router></data>");
  ASSERT_FALSE(off);
  EXPECT_NE(off.error().message().find("not a range of slots"), std::string::npos);
  EXPECT_FALSE((*oc)->parse("<data><unclosed"));
}

}  // namespace
}  // namespace lightpath
