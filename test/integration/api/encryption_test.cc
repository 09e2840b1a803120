// Encrypted connections end to end: MACsec on Ethernet, layer 1 on wavelengths; keys made per
// connection, sealed at rest, pushed to both ends, rotated make-before-break (on demand, on the
// schedule, across a restart), never shown in clear; devices that miss a rotation are found and
// re-keyed.
#include <fstream>
#include <iterator>

#include "lightpath/base/seal.h"
#include "lightpath/service/connection_json.h"
#include "lightpath/southbound/drivers/sim/sim_device.h"
#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

std::string encryptedEthernet(const std::string& a, const std::string& z) {
  json order = json::parse(ethernetOrder(a, z));
  order["encryption"] = "macsec";
  return order.dump();
}

class EncryptionTest : public ApiFixture {
 protected:
  // An encrypted Ethernet between acme's first Ashburn and Hillsboro ports, active; its id (empty
  // when it did not come up).
  std::string activeEncryptedEthernet(const std::string& key) {
    Reply made =
        call("POST", "/v1/connections", key, encryptedEthernet("dc-ashburn-p1", "dc-hillsboro-p1"));
    const std::string id = made.body.value("id", "");
    return waitFor(key, id, "active") == "active" ? id : "";
  }

  // The entries the devices at both ends of `id` hold for it, by node.
  std::map<std::string, ConfigEntry> endEntries(const std::string& id) {
    auto c = server_->stack().provisioner->get(id);
    EXPECT_TRUE(c) << c.error().toString();
    std::map<std::string, ConfigEntry> out;
    if (!c) return out;
    const auto& nodes = c->current().nodes;
    for (const std::string& node : {nodes.front(), nodes.back()}) {
      auto device = server_->stack().fleet.device(node);
      auto running = device->running();
      EXPECT_TRUE(running);
      if (!running) continue;
      for (const ConfigEntry& e : *running) {
        if (e.owner == id && e.values.contains("encryption")) out[node] = e;
      }
    }
    return out;
  }

  std::string keyIdOf(const std::string& key, const std::string& id) {
    Reply r = call("GET", "/v1/connections/{id}", key, "", "/v1/connections/" + id);
    const json& encryption = r.body["current"]["encryption"];
    EXPECT_TRUE(encryption.is_object()) << r.raw;
    return encryption.is_object() ? encryption.value("key_id", "") : "";
  }

  // Waits until the connection's key is no longer `old` and no rotation is under way.
  std::string waitForNewKey(const std::string& key, const std::string& id, const std::string& old) {
    for (int i = 0; i < 1000; ++i) {
      Reply r = call("GET", "/v1/connections/{id}", key, "", "/v1/connections/" + id);
      const json& e = r.body["current"]["encryption"];
      if (e.value("key_id", old) != old && !e.value("rotating", true)) return e.value("key_id", "");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return old;
  }

  std::vector<std::string> eventTypes(const std::string& key, const std::string& id) {
    Reply events = call("GET", "/v1/events", key);
    std::vector<std::string> out;
    for (const json& e : events.body["items"]) {
      if (e.value("subject", "") == id) out.push_back(e.value("type", ""));
    }
    return out;
  }

  // Every byte of every file of the data directory.
  std::string everything() {
    std::string all;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir_)) {
      if (!f.is_regular_file()) continue;
      std::ifstream in(f.path(), std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
  }
};

TEST_F(EncryptionTest, MacsecIsPricedKeyedAtBothEndsAndNeverShownInClear) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  // Priced by the price book: the encryption's monthly price on top.
  Reply plain = call("POST", "/v1/quotes", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  Reply encrypted =
      call("POST", "/v1/quotes", acme, encryptedEthernet("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(encrypted.status, 200) << encrypted.raw;
  EXPECT_DOUBLE_EQ(
      encrypted.body["price"].value("monthly", 0.0) - plain.body["price"].value("monthly", 0.0),
      250.0)
      << encrypted.raw;

  Reply made =
      call("POST", "/v1/connections", acme, encryptedEthernet("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_EQ(made.body["requested"].value("encryption", ""), "macsec");
  ASSERT_EQ(waitFor(acme, id, "active"), "active");
  Reply shown = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + id);
  const json& e = shown.body["current"]["encryption"];
  EXPECT_EQ(e.value("mode", ""), "macsec") << shown.raw;
  const std::string key_id = e.value("key_id", "");
  EXPECT_EQ(key_id.size(), 32u);
  EXPECT_FALSE(e.value("rotating", true));
  EXPECT_FALSE(shown.body["current"].contains("keys")) << shown.raw;
  EXPECT_EQ(shown.raw.find("sealed"), std::string::npos) << shown.raw;
  Reply listed = call("GET", "/v1/connections", acme);
  EXPECT_EQ(listed.raw.find("sealed"), std::string::npos);
  EXPECT_NE(listed.raw.find(key_id), std::string::npos);

  // Both ends hold the key, in use, by fingerprint only.
  auto ends = endEntries(id);
  ASSERT_EQ(ends.size(), 2u);
  for (const auto& [node, entry] : ends) {
    EXPECT_EQ(entry.values.at("encryption"), "macsec") << node;
    EXPECT_EQ(entry.values.at("active-key"), key_id) << node;
    EXPECT_EQ(entry.values.at("key/" + key_id).rfind("sha256:", 0), 0u) << node;
  }

  // The clear key (opened here with the master key) is in no file of the data directory (store,
  // write-ahead log, device state), no event and no reply.
  auto master = loadMasterKey(config_.master_key_file);
  ASSERT_TRUE(master) << master.error().toString();
  auto c = server_->stack().provisioner->get(id);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->current().keys);
  const EncryptionKey& stored = c->current().keys->installed.front();
  EXPECT_TRUE(Sealer::isSealed(stored.sealed));
  auto secret = master->sealer.open(stored.sealed, "connection-key/" + id + "/" + key_id);
  ASSERT_TRUE(secret) << secret.error().toString();
  EXPECT_EQ(secret->size(), 64u);
  EXPECT_EQ(everything().find(*secret), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/events", acme).raw.find(*secret), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/audit", operator_key_).raw.find(*secret), std::string::npos);
}

TEST_F(EncryptionTest, EndsThatCannotEncryptAreRefusedWithTheReason) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1", "dc-ashburn-p7"});
  // A 100G port without MACsec.
  Reply port =
      call("POST", "/v1/connections", acme, encryptedEthernet("dc-ashburn-p7", "dc-hillsboro-p1"));
  EXPECT_EQ(port.status, 400) << port.raw;
  EXPECT_NE(port.raw.find("dc-ashburn-p7"), std::string::npos) << port.raw;
  EXPECT_NE(port.raw.find("MACsec"), std::string::npos) << port.raw;
  // The wrong mode for the kind.
  json wavelength{{"kind", "wavelength"},
                  {"a_end", "dc-ashburn"},
                  {"z_end", "dc-hillsboro"},
                  {"bandwidth_mbps", 400000},
                  {"encryption", "macsec"}};
  Reply wrong = call("POST", "/v1/connections", acme, wavelength.dump());
  EXPECT_EQ(wrong.status, 400) << wrong.raw;
  EXPECT_NE(wrong.raw.find("layer1"), std::string::npos) << wrong.raw;
  json layer1_ethernet = json::parse(ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  layer1_ethernet["encryption"] = "layer1";
  EXPECT_EQ(call("POST", "/v1/connections", acme, layer1_ethernet.dump()).status, 400);
  json unknown = json::parse(ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  unknown["encryption"] = "rot13";
  EXPECT_EQ(call("POST", "/v1/connections", acme, unknown.dump()).status, 400);
  // No 800G transceiver of the catalog encrypts (the ZR pluggables do not).
  wavelength["encryption"] = "layer1";
  wavelength["bandwidth_mbps"] = 800000;
  Reply zr = call("POST", "/v1/quotes", acme, wavelength.dump());
  EXPECT_EQ(zr.status, 400) << zr.raw;
  EXPECT_NE(zr.raw.find("encrypts at layer 1"), std::string::npos) << zr.raw;
  // Nothing was held by any of them; an unencrypted connection has no key to rotate.
  Reply listed = call("GET", "/v1/connections", acme);
  EXPECT_TRUE(listed.body["items"].empty()) << listed.raw;
  Reply plain =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  const std::string id = plain.body.value("id", "");
  ASSERT_EQ(waitFor(acme, id, "active"), "active");
  Reply rotate = call("POST", "/v1/connections/{id}/rotate-key", acme, "",
                      "/v1/connections/" + id + "/rotate-key");
  EXPECT_EQ(rotate.status, 422) << rotate.raw;
}

TEST_F(EncryptionTest, Layer1WavelengthsUseATransponderThatEncrypts) {
  start();
  const std::string acme = addTenant("acme", {});
  json order{{"kind", "wavelength"},
             {"a_end", "dc-ashburn"},
             {"z_end", "dc-hillsboro"},
             {"bandwidth_mbps", 200000},
             {"encryption", "layer1"}};
  Reply quote = call("POST", "/v1/quotes", acme, order.dump());
  order["encryption"] = "none";
  Reply plain = call("POST", "/v1/quotes", acme, order.dump());
  EXPECT_DOUBLE_EQ(
      quote.body["price"].value("monthly", 0.0) - plain.body["price"].value("monthly", 0.0), 900.0);
  order["encryption"] = "layer1";
  Reply made = call("POST", "/v1/connections", acme, order.dump());
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  // A transponder mode that encrypts (the catalog's layer1_encryption).
  EXPECT_EQ(made.body["current"].value("transceiver", ""), "gnpy-voyager-200g") << made.raw;
  ASSERT_EQ(waitFor(acme, id, "active"), "active");
  const std::string key_id = keyIdOf(acme, id);
  auto ends = endEntries(id);
  ASSERT_EQ(ends.size(), 2u);
  for (const auto& [node, entry] : ends) {
    EXPECT_EQ(entry.values.at("encryption"), "layer1") << node;
    EXPECT_EQ(entry.values.at("active-key"), key_id) << node;
    EXPECT_EQ(entry.key.rfind("xc/", 0), 0u);
  }
}

TEST_F(EncryptionTest, KeysRotateMakeBeforeBreakOnDemandAndAudited) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string id = activeEncryptedEthernet(acme);
  ASSERT_FALSE(id.empty());
  const std::string first = keyIdOf(acme, id);
  Reply rotate = call("POST", "/v1/connections/{id}/rotate-key", acme, "",
                      "/v1/connections/" + id + "/rotate-key");
  ASSERT_EQ(rotate.status, 202) << rotate.raw;
  EXPECT_TRUE(rotate.body["current"]["encryption"].value("rotating", false)) << rotate.raw;
  const std::string second = waitForNewKey(acme, id, first);
  ASSERT_NE(second, first);
  EXPECT_EQ(second.size(), 32u);
  // Both ends use the new key and no longer hold the old one.
  for (const auto& [node, entry] : endEntries(id)) {
    EXPECT_EQ(entry.values.at("active-key"), second) << node;
    EXPECT_TRUE(entry.values.contains("key/" + second)) << node;
    EXPECT_FALSE(entry.values.contains("key/" + first)) << node;
  }
  const auto types = eventTypes(acme, id);
  EXPECT_NE(std::find(types.begin(), types.end(), "connection.keyRotationStarted"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "connection.keyRotated"), types.end());
  Reply audit = call("GET", "/v1/audit", operator_key_);
  EXPECT_NE(audit.raw.find("rotate-key"), std::string::npos) << audit.raw.substr(0, 500);
  EXPECT_TRUE(server_->stack().provisioner->check().empty());
  // A viewer may not rotate; another tenant does not see the connection.
  const std::string viewer = addTenant("acme", {}, "viewer");
  EXPECT_EQ(call("POST", "/v1/connections/{id}/rotate-key", viewer, "",
                 "/v1/connections/" + id + "/rotate-key")
                .status,
            403);
  const std::string other = addTenant("globex", {});
  EXPECT_EQ(call("POST", "/v1/connections/{id}/rotate-key", other, "",
                 "/v1/connections/" + id + "/rotate-key")
                .status,
            404);
}

TEST_F(EncryptionTest, KeysRotateOnTheSchedule) {
  config_.stack.key_rotation = std::chrono::seconds(1);
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string id = activeEncryptedEthernet(acme);
  ASSERT_FALSE(id.empty());
  const std::string first = keyIdOf(acme, id);
  // The schedule replaces it once its period has passed, nobody asking.
  const std::string second = waitForNewKey(acme, id, first);
  ASSERT_NE(second, first);
  const std::string third = waitForNewKey(acme, id, second);
  ASSERT_NE(third, second);
}

TEST_F(EncryptionTest, AFailedRotationKeepsTheKeyInUseAtBothEnds) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string id = activeEncryptedEthernet(acme);
  ASSERT_FALSE(id.empty());
  // One end refuses every change: the rotation fails, both ends keep the key in use.
  auto c = server_->stack().provisioner->get(id);
  ASSERT_TRUE(c);
  auto* far_end =
      dynamic_cast<SimDevice*>(server_->stack().fleet.device(c->current().nodes.back()).get());
  ASSERT_NE(far_end, nullptr);
  const std::string in_use = keyIdOf(acme, id);
  far_end->setFaults({.fail_at = "prepare"});
  Status failed = server_->stack().provisioner->finishRotateKey(id);  // nothing under way: ok
  EXPECT_TRUE(failed.isOk());
  ASSERT_TRUE(server_->stack().provisioner->beginRotateKey(id, "test"));
  EXPECT_FALSE(server_->stack().provisioner->finishRotateKey(id).isOk());
  far_end->setFaults({});
  Reply shown = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + id);
  EXPECT_EQ(shown.body["current"]["encryption"].value("key_id", ""), in_use) << shown.raw;
  EXPECT_FALSE(shown.body["current"]["encryption"].value("rotating", true));
  for (const auto& [node, entry] : endEntries(id)) {
    EXPECT_EQ(entry.values.at("active-key"), in_use) << node;
  }
  const auto types = eventTypes(acme, id);
  EXPECT_NE(std::find(types.begin(), types.end(), "connection.keyRotationFailed"), types.end());
}

TEST_F(EncryptionTest, ARotationCutShortByARestartIsFinished) {
  config_.schedule_tick = std::chrono::hours(1);  // nothing finishes it before the restart
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string id = activeEncryptedEthernet(acme);
  ASSERT_FALSE(id.empty());
  const std::string first = keyIdOf(acme, id);
  // The next key made and stored, the devices not yet told: then the process stops.
  ASSERT_TRUE(server_->stack().provisioner->beginRotateKey(id, "test"));
  Reply shown = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + id);
  EXPECT_TRUE(shown.body["current"]["encryption"].value("rotating", false)) << shown.raw;
  // Meanwhile its bandwidth stays as it is.
  Reply changed = call("PATCH", "/v1/connections/{id}", acme, json{{"bandwidth_mbps", 2000}}.dump(),
                       "/v1/connections/" + id);
  EXPECT_EQ(changed.status, 422) << changed.raw;
  EXPECT_NE(changed.raw.find("changing its key"), std::string::npos) << changed.raw;
  config_.schedule_tick = std::chrono::milliseconds(50);
  restart();
  const std::string second = waitForNewKey(acme, id, first);
  ASSERT_NE(second, first);
  for (const auto& [node, entry] : endEntries(id)) {
    EXPECT_EQ(entry.values.at("active-key"), second) << node;
  }
  EXPECT_TRUE(server_->stack().provisioner->check().empty());
}

TEST_F(EncryptionTest, AnEndThatMissedARotationIsFoundAndReKeyed) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string id = activeEncryptedEthernet(acme);
  ASSERT_FALSE(id.empty());
  const std::string key_id = keyIdOf(acme, id);
  // Someone at the far end puts another key in use behind Lightpath's back.
  auto ends = endEntries(id);
  ASSERT_EQ(ends.size(), 2u);
  const auto& [node, entry] = *ends.rbegin();
  ConfigEntry stale = entry;
  stale.values.erase("key/" + key_id);
  stale.values["key/0123456789abcdef0123456789abcdef"] = "sha256:0000000000000000";
  stale.values["active-key"] = "0123456789abcdef0123456789abcdef";
  auto* device = dynamic_cast<SimDevice*>(server_->stack().fleet.device(node).get());
  ASSERT_NE(device, nullptr);
  device->tamper(stale);
  const auto violations = server_->stack().provisioner->check();
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_NE(violations[0].find("uses key 0123456789abcdef0123456789abcdef, not the connection's "
                               "current key " +
                               key_id),
            std::string::npos)
      << violations[0];
  const auto report = server_->stack().provisioner->reconcile(true);
  EXPECT_EQ(report.repaired.size(), 1u);
  EXPECT_TRUE(server_->stack().provisioner->check().empty());
  EXPECT_EQ(endEntries(id).at(node).values.at("active-key"), key_id);
}

TEST_F(EncryptionTest, KeysFollowTheConnectionThroughABandwidthChangeAndARestoration) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string id = activeEncryptedEthernet(acme);
  ASSERT_FALSE(id.empty());
  const std::string key_id = keyIdOf(acme, id);
  // A bandwidth change: the devices get the new rate, with the same key.
  Reply changed = call("PATCH", "/v1/connections/{id}", acme, json{{"bandwidth_mbps", 2000}}.dump(),
                       "/v1/connections/" + id);
  ASSERT_EQ(changed.status, 202) << changed.raw;
  ASSERT_EQ(waitFor(acme, id, "active"), "active");
  Reply shown = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + id);
  ASSERT_TRUE(shown.body.is_object()) << shown.raw;
  ASSERT_EQ(shown.body["requested"].value("bandwidth_mbps", 0), 2000) << shown.raw;
  ASSERT_TRUE(shown.body["current"].contains("encryption")) << shown.raw;
  EXPECT_EQ(keyIdOf(acme, id), key_id);
  EXPECT_TRUE(server_->stack().provisioner->check().empty());
  // A fiber of its route is cut: restored on another route, both ends keyed as before.
  const std::string fiber = shown.body["current"]["fibers"][1].get<std::string>();
  Reply cut = call("POST", "/v1/failures", operator_key_,
                   json{{"fiber", fiber}, {"reason", "backhoe"}}.dump());
  ASSERT_EQ(cut.status, 201) << cut.raw;
  Reply after = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + id);
  const json& fibers = after.body["current"]["fibers"];
  EXPECT_EQ(std::find(fibers.begin(), fibers.end(), fiber), fibers.end()) << after.raw;
  EXPECT_EQ(keyIdOf(acme, id), key_id);
  for (const auto& [node, entry] : endEntries(id)) {
    EXPECT_EQ(entry.values.at("active-key"), key_id) << node;
  }
  const auto violations = server_->stack().provisioner->check();
  EXPECT_TRUE(violations.empty()) << violations.front();
}

}  // namespace
}  // namespace lightpath::testing
