// The common entry forms.
#include "lightpath/southbound/entries.h"

#include <fmt/format.h>

#include "lightpath/base/crypto.h"

namespace lightpath {
namespace {

void addEncryption(ConfigEntry& e, const std::optional<EncryptionIntent>& encryption) {
  if (!encryption) return;
  e.values["encryption"] = encryption->mode;
  for (const EncryptionIntent::Key& k : encryption->keys) {
    e.values["key/" + k.id] = k.fingerprint;
    if (!k.secret.empty()) e.secrets["key/" + k.id] = k.secret;
  }
  e.values["active-key"] = encryption->active;
}

}  // namespace

std::string keyFingerprint(std::string_view secret) {
  return "sha256:" + sha256Hex(secret).substr(0, 16);
}

ConfigEntry crossConnectEntry(const CrossConnectIntent& intent) {
  ConfigEntry e{fmt::format("xc/{}/{}", intent.connection, intent.leg), intent.connection, {}};
  if (!intent.in_fiber.empty()) e.values["in"] = intent.in_fiber;
  if (!intent.out_fiber.empty()) e.values["out"] = intent.out_fiber;
  for (const auto& [fiber, slots] : intent.slots) e.values["slots/" + fiber] = slots;
  if (!intent.transceiver.empty()) e.values["transceiver"] = intent.transceiver;
  addEncryption(e, intent.encryption);
  return e;
}

ConfigEntry clientServiceEntry(const ClientServiceIntent& intent) {
  ConfigEntry e{fmt::format("evc/{}/{}", intent.connection, intent.leg), intent.connection, {}};
  if (!intent.in_fiber.empty()) e.values["in"] = intent.in_fiber;
  if (!intent.out_fiber.empty()) e.values["out"] = intent.out_fiber;
  e.values["vlan"] = intent.vlan ? std::to_string(*intent.vlan) : "untagged";
  e.values["mbps"] = std::to_string(intent.mbps);
  addEncryption(e, intent.encryption);
  return e;
}

ConfigEntry cloudAttachmentEntry(const CloudAttachmentIntent& intent) {
  ConfigEntry e{fmt::format("cloud/{}", intent.connection), intent.connection, {}};
  e.values["provider"] = intent.provider;
  e.values["key"] = intent.key;
  e.values["vlan"] = intent.vlan ? std::to_string(*intent.vlan) : "untagged";
  e.values["mbps"] = std::to_string(intent.mbps);
  return e;
}

}  // namespace lightpath
