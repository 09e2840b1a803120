// The common entry forms.
#include "lightpath/southbound/entries.h"

#include <fmt/format.h>

namespace lightpath {

ConfigEntry crossConnectEntry(const CrossConnectIntent& intent) {
  ConfigEntry e{fmt::format("xc/{}/{}", intent.connection, intent.leg), intent.connection, {}};
  if (!intent.in_fiber.empty()) e.values["in"] = intent.in_fiber;
  if (!intent.out_fiber.empty()) e.values["out"] = intent.out_fiber;
  for (const auto& [fiber, slots] : intent.slots) e.values["slots/" + fiber] = slots;
  if (!intent.transceiver.empty()) e.values["transceiver"] = intent.transceiver;
  return e;
}

ConfigEntry clientServiceEntry(const ClientServiceIntent& intent) {
  ConfigEntry e{fmt::format("evc/{}/{}", intent.connection, intent.leg), intent.connection, {}};
  if (!intent.in_fiber.empty()) e.values["in"] = intent.in_fiber;
  if (!intent.out_fiber.empty()) e.values["out"] = intent.out_fiber;
  e.values["vlan"] = intent.vlan ? std::to_string(*intent.vlan) : "untagged";
  e.values["mbps"] = std::to_string(intent.mbps);
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
