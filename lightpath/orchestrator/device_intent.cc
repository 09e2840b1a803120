// Intent per node, rendered by each node's driver.
#include "lightpath/orchestrator/device_intent.h"

#include <fmt/format.h>

#include <algorithm>

#include "lightpath/orchestrator/encryption_keys.h"

namespace lightpath {

Result<std::vector<NodeChange>> deviceIntent(const Connection& c, const DeviceFleet& fleet,
                                             TimePoint now, IntentAction action,
                                             const Sealer* sealer) {
  std::vector<NodeChange> changes;
  std::optional<EncryptionIntent> encryption;
  if (action == IntentAction::Apply) {
    LP_ASSIGN_OR_RETURN(encryption, encryptionIntent(c, sealer));
  }
  const Realization& r = c.current();
  const ConnectionSpec& spec = c.requested();
  const bool wavelength = spec.kind == ConnectionKind::Wavelength;
  auto deviceOf = [&](const std::string& node) -> Result<std::shared_ptr<Device>> {
    auto device = fleet.device(node);
    if (!device) return fail(notFound(fmt::format("no device for node '{}'", node)));
    return device;
  };
  auto cannot = [&](const std::string& node, const char* what) {
    return failedPrecondition(fmt::format("node '{}' ({}) cannot {}", node, c.id(), what));
  };
  auto leg = [&](const std::vector<std::string>& nodes, const std::vector<std::string>& fibers,
                 const char* name) -> Status {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      LP_ASSIGN_OR_RETURN(auto device, deviceOf(nodes[i]));
      const std::string in = i > 0 ? fibers[i - 1] : "";
      const std::string out = i < fibers.size() ? fibers[i] : "";
      const bool ends = i == 0 || i + 1 == nodes.size();
      DeviceChange change{fmt::format("{}/v{}/{}/{}", c.id(), c.version(), name, i), {}, {}};
      if (wavelength) {
        const CrossConnect* xc = (device)->crossConnect();
        if (!xc) return cannot(nodes[i], "cross-connect spectrum");
        CrossConnectIntent intent{c.id(), name, in, out, {}, {}};
        for (const SpectrumBlock& b : r.spectrum) {
          if (b.fiber == in || b.fiber == out)
            intent.slots[b.fiber] = fmt::format("{}+{}", b.first_slot, b.slots);
        }
        if (ends) intent.encryption = encryption;
        if (ends || std::find(r.regenerators.begin(), r.regenerators.end(), nodes[i]) !=
                        r.regenerators.end()) {
          intent.transceiver = r.transceiver;
        }
        change.set.push_back(xc->crossConnect(intent));
      } else {
        const ClientPort* port = (device)->clientPort();
        if (!port) return cannot(nodes[i], "carry an Ethernet service");
        change.set.push_back(
            port->clientService({c.id(), name, in, out, r.vlan, bandwidthAt(spec, now),
                                 ends ? encryption : std::nullopt}));
        if (spec.kind == ConnectionKind::Cloud && std::string_view(name) == "working" &&
            i + 1 == nodes.size()) {
          const CloudOnRamp* onramp = (device)->cloudOnRamp();
          if (!onramp) return cannot(nodes[i], "attach a cloud connection");
          change.set.push_back(onramp->cloudAttachment(
              {c.id(), spec.cloud_provider, spec.cloud_key, r.vlan, bandwidthAt(spec, now)}));
        }
      }
      if (action == IntentAction::Remove) {
        for (ConfigEntry& e : change.set) change.remove.push_back(std::move(e.key));
        change.set.clear();
      }
      changes.push_back({nodes[i], std::move(change)});
    }
    return Status::ok();
  };
  LP_RETURN_IF_ERROR(leg(r.nodes, r.fibers, "working"));
  if (!r.protection_nodes.empty())
    LP_RETURN_IF_ERROR(leg(r.protection_nodes, r.protection_fibers, "protection"));
  return changes;
}

Result<DeliveryPoint> deliveryPoint(const Connection& c, const DeviceFleet& fleet) {
  const Realization& r = c.current();
  const bool protection = r.on_protection && !r.protection_nodes.empty();
  const std::vector<std::string>& nodes = protection ? r.protection_nodes : r.nodes;
  const std::vector<std::string>& fibers = protection ? r.protection_fibers : r.fibers;
  if (nodes.empty()) return fail(notFound(fmt::format("{} has no route", c.id())));
  auto device = fleet.device(nodes.back());
  if (!device) return fail(notFound(fmt::format("no device for node '{}'", nodes.back())));
  const ClientPort* port = device->clientPort();
  if (!port) {
    return fail(failedPrecondition(
        fmt::format("node '{}' ({}) cannot carry an Ethernet service", nodes.back(), c.id())));
  }
  const ConfigEntry entry =
      port->clientService({c.id(), protection ? "protection" : "working",
                           fibers.empty() ? "" : fibers.back(), "", r.vlan, 0, std::nullopt});
  return DeliveryPoint{nodes.back(), entry.key};
}

}  // namespace lightpath
