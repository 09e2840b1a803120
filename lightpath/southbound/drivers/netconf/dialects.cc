// The three lab dialects: OpenConfig-style, OpenROADM-style, and an Ethernet switch.
#include <fmt/format.h>

#include <map>
#include <pugixml.hpp>
#include <sstream>

#include "lightpath/southbound/drivers/netconf/dialect.h"
#include "lightpath/southbound/entries.h"

namespace lightpath {

namespace {

constexpr const char* kNetconfNs = "urn:ietf:params:xml:ns:netconf:base:1.0";
constexpr std::uint64_t kSlotMhz = 12500;

enum class EntryKind { CrossConnect, Service, Cloud, Other };
EntryKind kindOf(std::string_view key) {
  if (key.starts_with("xc/")) return EntryKind::CrossConnect;
  if (key.starts_with("evc/")) return EntryKind::Service;
  if (key.starts_with("cloud/")) return EntryKind::Cloud;
  return EntryKind::Other;
}

std::string valueOr(const ConfigEntry& e, const std::string& name) {
  auto it = e.values.find(name);
  return it == e.values.end() ? std::string() : it->second;
}

// "191300000" MHz <-> "191.3" THz (decimal64, as OpenROADM writes frequencies).
std::string thzOf(std::uint64_t mhz) {
  std::string fraction = fmt::format("{:06}", mhz % 1000000);
  while (fraction.size() > 1 && fraction.back() == '0') fraction.pop_back();
  return fmt::format("{}.{}", mhz / 1000000, fraction);
}
std::optional<std::uint64_t> mhzOfThz(std::string_view text) {
  const auto dot = text.find('.');
  std::string whole(text.substr(0, dot));
  std::string fraction(dot == std::string_view::npos ? "" : text.substr(dot + 1));
  if (whole.empty() || fraction.size() > 6) return std::nullopt;
  fraction.resize(6, '0');
  for (char ch : whole + fraction) {
    if (ch < '0' || ch > '9') return std::nullopt;
  }
  return std::stoull(whole) * 1000000 + std::stoull(fraction);
}
std::optional<std::uint64_t> number(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
  }
  return std::stoull(std::string(text));
}

// The child element with this local name (whatever prefix the device used).
pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  return node.find_child([name](pugi::xml_node c) {
    const std::string_view n = c.name();
    const auto colon = n.find(':');
    return (colon == std::string_view::npos ? n : n.substr(colon + 1)) == name;
  });
}
std::string text(pugi::xml_node node, std::string_view name) {
  return child(node, name).text().get();
}
std::vector<pugi::xml_node> children(pugi::xml_node node, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = child(node, name); c; c = c.next_sibling(c.name())) out.push_back(c);
  return out;
}
void leaf(pugi::xml_node parent, const char* name, const std::string& value) {
  parent.append_child(name).text().set(value.c_str());
}
void optionalLeaf(pugi::xml_node parent, const char* name, const std::string& value) {
  if (!value.empty()) leaf(parent, name, value);
}

// An encrypting end's keys (entries.h: "encryption", "key/<id>", "active-key"), in the container
// every lab model imports (lightpath-lab-encryption): each key with its secret. A key whose
// secret is not at hand (a compensation re-writing what was read back) cannot be written.
Status renderEncryption(pugi::xml_node parent, const ConfigEntry& e) {
  const std::string mode = valueOr(e, "encryption");
  if (mode.empty()) return Status::ok();
  pugi::xml_node enc = parent.append_child("encryption");
  leaf(enc, "mode", mode);
  leaf(enc, "active-key", valueOr(e, "active-key"));
  for (const auto& [name, fingerprint] : e.values) {
    if (!name.starts_with("key/")) continue;
    auto secret = e.secrets.find(name);
    if (secret == e.secrets.end())
      return invalidArgument(fmt::format("{}: the secret of {} is not at hand", e.key, name));
    pugi::xml_node k = enc.append_child("key");
    leaf(k, "id", name.substr(4));
    leaf(k, "secret", secret->second);
  }
  return Status::ok();
}
// What the device holds of the keys: fingerprints in the values, the secrets beside them (for
// a compensation that must write them back; never stored).
void readEncryption(pugi::xml_node parent, ConfigEntry& e) {
  pugi::xml_node enc = child(parent, "encryption");
  if (!enc) return;
  e.values["encryption"] = text(enc, "mode");
  e.values["active-key"] = text(enc, "active-key");
  for (pugi::xml_node k : children(enc, "key")) {
    const std::string name = "key/" + text(k, "id");
    const std::string secret = text(k, "secret");
    e.values[name] = keyFingerprint(secret);
    e.secrets[name] = secret;
  }
}

// The frequency range of an entry's slots on a fiber, in MHz.
struct Range {
  std::uint64_t lower = 0, upper = 0;
};

// Shared by the dialects: the document being rendered, the band edges, the entry parsing.
class Base : public Dialect {
 public:
  Base(BandStart band_start, const char* ns) : band_start_(std::move(band_start)), ns_(ns) {}

  Result<std::string> edit(const std::vector<ConfigEntry>& set,
                           const std::vector<std::string>& remove,
                           const std::map<std::string, ConfigEntry>& present) const override {
    pugi::xml_document doc;
    Doc out{doc, {}};
    for (const ConfigEntry& e : set) {
      if (e.owner.empty()) return fail(invalidArgument(fmt::format("{}: no owner", e.key)));
      auto was = present.find(e.key);
      LP_RETURN_IF_ERROR(render(out, e, was == present.end() ? nullptr : &was->second)
                             .withContext(fmt::format("{} dialect: {}", name(), e.key)));
    }
    for (const std::string& key : remove) {
      if (auto was = present.find(key); was != present.end()) erase(out, was->second);
    }
    std::ostringstream text;
    for (pugi::xml_node top : doc.children()) top.print(text, "", pugi::format_raw);
    return text.str();
  }

  Result<std::vector<ConfigEntry>> parse(std::string_view reply) const override {
    pugi::xml_document doc;
    if (!doc.load_buffer(reply.data(), reply.size())) {
      return fail(invalidArgument(fmt::format("{} dialect: the reply is not XML", name())));
    }
    // The data's top containers, wherever the reply envelope put them.
    std::map<std::string, pugi::xml_node> tops;
    for (const pugi::xpath_node& found :
         doc.select_nodes(fmt::format("//*[namespace-uri()='{}' and "
                                      "not(parent::*[namespace-uri()='{}'])]",
                                      ns_, ns_)
                              .c_str())) {
      std::string local = found.node().name();
      if (auto colon = local.find(':'); colon != std::string::npos) local = local.substr(colon + 1);
      tops[local] = found.node();
    }
    std::vector<ConfigEntry> out;
    LP_RETURN_IF_ERROR(read(tops, out));
    return out;
  }

 protected:
  struct Doc {
    pugi::xml_document& doc;
    std::map<std::string, pugi::xml_node> tops;  // by path: "switch", "switch/evc" parent ...
  };
  // Sets an entry; `was` is what the device holds under its key, if anything.
  virtual Status render(Doc& out, const ConfigEntry& e, const ConfigEntry* was) const = 0;
  // Removes an entry the device holds.
  virtual void erase(Doc& out, const ConfigEntry& was) const = 0;
  virtual Status read(const std::map<std::string, pugi::xml_node>& tops,
                      std::vector<ConfigEntry>& out) const = 0;

  // The container at `path` ("a/b"), made once, the first one naming the namespace.
  pugi::xml_node container(Doc& out, const std::string& path) const {
    if (auto it = out.tops.find(path); it != out.tops.end()) return it->second;
    const auto slash = path.rfind('/');
    pugi::xml_node node;
    if (slash == std::string::npos) {
      node = out.doc.append_child(path.c_str());
      node.append_attribute("xmlns").set_value(ns_);
      node.append_attribute("xmlns:nc").set_value(kNetconfNs);
    } else {
      node = container(out, path.substr(0, slash)).append_child(path.substr(slash + 1).c_str());
    }
    return out.tops[path] = node;
  }
  // A list entry replaced whole, or removed (it must be there).
  pugi::xml_node listEntry(Doc& out, const std::string& parent, const char* list,
                           const char* key_leaf, const std::string& key, bool remove) const {
    pugi::xml_node entry = container(out, parent).append_child(list);
    entry.append_attribute("nc:operation").set_value(remove ? "remove" : "replace");
    leaf(entry, key_leaf, key);
    return entry;
  }

  Result<Range> rangeOf(const ConfigEntry& e, const std::string& fiber) const {
    const std::string slots = valueOr(e, "slots/" + fiber);
    const auto plus = slots.find('+');
    const std::uint64_t first = number(slots.substr(0, plus)).value_or(0);
    const std::uint64_t count =
        plus == std::string::npos ? 0 : number(slots.substr(plus + 1)).value_or(0);
    if (count == 0 || !number(slots.substr(0, plus)))
      return fail(
          invalidArgument(fmt::format("slots of {}: '{}' is not first+count", fiber, slots)));
    const auto edge = band_start_(fiber);
    if (!edge) return fail(invalidArgument(fmt::format("fiber '{}' is not in the network", fiber)));
    return Range{*edge + first * kSlotMhz, *edge + (first + count) * kSlotMhz};
  }
  // The "first+count" of a frequency range read back from a device.
  Result<std::string> slotsOf(const std::string& fiber, std::uint64_t lower,
                              std::uint64_t upper) const {
    const auto edge = band_start_(fiber);
    if (!edge || lower < *edge || upper <= lower || (lower - *edge) % kSlotMhz != 0 ||
        (upper - lower) % kSlotMhz != 0) {
      return fail(invalidArgument(
          fmt::format("{}-{} MHz on '{}' is not a range of slots", lower, upper, fiber)));
    }
    return fmt::format("{}+{}", (lower - *edge) / kSlotMhz, (upper - lower) / kSlotMhz);
  }

 private:
  BandStart band_start_;
  const char* ns_;
};

Status refuse(const char* dialect, const ConfigEntry& e) {
  return invalidArgument(fmt::format("a {} device cannot hold '{}'", dialect, e.key));
}

// OpenConfig-style: media channels by port and frequency; optical channels (transceivers) by the
// same name with their operational mode; Ethernet services on the terminal device.
class OpenConfig final : public Base {
 public:
  explicit OpenConfig(BandStart b) : Base(std::move(b), "urn:lightpath:lab:openconfig") {}
  std::string_view name() const override { return "openconfig"; }
  std::string_view module() const override { return "lightpath-lab-openconfig"; }
  bool crossConnects() const override { return true; }
  bool cloudAttachments() const override { return false; }
  std::string filter() const override {
    return "<wavelength-router xmlns=\"urn:lightpath:lab:openconfig\"/>"
           "<terminal-device xmlns=\"urn:lightpath:lab:openconfig\"/>";
  }

 protected:
  Status render(Doc& out, const ConfigEntry& e, const ConfigEntry* was) const override {
    switch (kindOf(e.key)) {
      case EntryKind::CrossConnect: {
        pugi::xml_node channel =
            listEntry(out, "wavelength-router/media-channels", "channel", "name", e.key, false);
        leaf(channel, "description", e.owner);
        for (const auto& [side, value] : {std::pair{"source", "in"}, std::pair{"dest", "out"}}) {
          const std::string fiber = valueOr(e, value);
          if (fiber.empty()) continue;
          LP_ASSIGN_OR_RETURN(Range range, rangeOf(e, fiber));
          pugi::xml_node port = channel.append_child(side);
          leaf(port, "port-name", fiber);
          leaf(port, "lower-frequency", std::to_string(range.lower));
          leaf(port, "upper-frequency", std::to_string(range.upper));
        }
        const std::string mode = valueOr(e, "transceiver");
        if (!mode.empty()) {
          pugi::xml_node och =
              listEntry(out, "terminal-device", "optical-channel", "name", e.key, false);
          leaf(och, "description", e.owner);
          leaf(och, "operational-mode", mode);
          LP_RETURN_IF_ERROR(renderEncryption(och, e));  // the transceiver encrypts
        } else if (!valueOr(e, "encryption").empty()) {
          return invalidArgument("encryption needs a transceiver to do it");
        } else if (was && !valueOr(*was, "transceiver").empty()) {
          listEntry(out, "terminal-device", "optical-channel", "name", e.key, true);
        }
        return Status::ok();
      }
      case EntryKind::Service: {
        pugi::xml_node s =
            listEntry(out, "terminal-device", "ethernet-service", "name", e.key, false);
        leaf(s, "description", e.owner);
        optionalLeaf(s, "ingress-port", valueOr(e, "in"));
        optionalLeaf(s, "egress-port", valueOr(e, "out"));
        leaf(s, "vlan", valueOr(e, "vlan"));
        leaf(s, "rate-mbps", valueOr(e, "mbps"));
        return renderEncryption(s, e);
      }
      default:
        return refuse("openconfig", e);
    }
  }
  void erase(Doc& out, const ConfigEntry& was) const override {
    if (kindOf(was.key) == EntryKind::CrossConnect) {
      listEntry(out, "wavelength-router/media-channels", "channel", "name", was.key, true);
      if (!valueOr(was, "transceiver").empty())
        listEntry(out, "terminal-device", "optical-channel", "name", was.key, true);
    } else if (kindOf(was.key) == EntryKind::Service) {
      listEntry(out, "terminal-device", "ethernet-service", "name", was.key, true);
    }
  }
  Status read(const std::map<std::string, pugi::xml_node>& tops,
              std::vector<ConfigEntry>& out) const override {
    std::map<std::string, pugi::xml_node> channels;  // optical channels (transceivers) by name
    pugi::xml_node terminal =
        tops.contains("terminal-device") ? tops.at("terminal-device") : pugi::xml_node();
    for (pugi::xml_node och : children(terminal, "optical-channel")) {
      if (!text(och, "operational-mode").empty()) channels[text(och, "name")] = och;
    }
    pugi::xml_node router =
        tops.contains("wavelength-router") ? tops.at("wavelength-router") : pugi::xml_node();
    for (pugi::xml_node channel : children(child(router, "media-channels"), "channel")) {
      ConfigEntry e{text(channel, "name"), text(channel, "description"), {}};
      if (kindOf(e.key) != EntryKind::CrossConnect) continue;
      for (const auto& [side, value] : {std::pair{"source", "in"}, std::pair{"dest", "out"}}) {
        pugi::xml_node port = child(channel, side);
        const std::string fiber = text(port, "port-name");
        if (fiber.empty()) continue;
        e.values[value] = fiber;
        const auto lower = number(text(port, "lower-frequency"));
        const auto upper = number(text(port, "upper-frequency"));
        if (!lower || !upper) continue;
        LP_ASSIGN_OR_RETURN(e.values["slots/" + fiber], slotsOf(fiber, *lower, *upper));
      }
      if (auto it = channels.find(e.key); it != channels.end()) {
        e.values["transceiver"] = text(it->second, "operational-mode");
        readEncryption(it->second, e);
      }
      out.push_back(std::move(e));
    }
    for (pugi::xml_node s : children(terminal, "ethernet-service")) {
      ConfigEntry e{text(s, "name"), text(s, "description"), {}};
      if (kindOf(e.key) != EntryKind::Service) continue;
      if (auto in = text(s, "ingress-port"); !in.empty()) e.values["in"] = in;
      if (auto o = text(s, "egress-port"); !o.empty()) e.values["out"] = o;
      e.values["vlan"] = text(s, "vlan");
      e.values["mbps"] = text(s, "rate-mbps");
      readEncryption(s, e);
      out.push_back(std::move(e));
    }
    return Status::ok();
  }
};

// OpenROADM-style: interfaces on ports with their frequency range, connected by
// roadm-connections (spectrum) or odu-connections (Ethernet services). An entry K has the
// interfaces K/in and K/out: a line interface on a fiber, or the client side when it has none.
class OpenRoadm final : public Base {
 public:
  explicit OpenRoadm(BandStart b) : Base(std::move(b), "urn:lightpath:lab:openroadm") {}
  std::string_view name() const override { return "openroadm"; }
  std::string_view module() const override { return "lightpath-lab-openroadm"; }
  bool crossConnects() const override { return true; }
  bool cloudAttachments() const override { return false; }
  std::string filter() const override {
    return "<org-openroadm-device xmlns=\"urn:lightpath:lab:openroadm\"/>";
  }

 protected:
  Status render(Doc& out, const ConfigEntry& e, const ConfigEntry* /*was*/) const override {
    const EntryKind kind = kindOf(e.key);
    if (kind != EntryKind::CrossConnect && kind != EntryKind::Service)
      return refuse("openroadm", e);
    const bool optical = kind == EntryKind::CrossConnect;
    std::string mode = valueOr(e, "transceiver");
    for (const char* side : {"in", "out"}) {
      const std::string fiber = valueOr(e, side);
      pugi::xml_node i = listEntry(out, "org-openroadm-device", "interface", "name",
                                   fmt::format("{}/{}", e.key, side), false);
      leaf(i, "description", e.owner);
      if (!optical) {
        leaf(i, "type", "ethernetCsmacd");
        optionalLeaf(i, "supporting-port", fiber);
        leaf(i, "vlan", valueOr(e, "vlan"));
        continue;
      }
      // The transceiver's mode goes on the first client interface, or, regenerating between
      // two line sides, on the line interface it leaves by.
      const bool carries_mode = !mode.empty() && (fiber.empty() || std::string_view(side) == "out");
      leaf(i, "type",
           fiber.empty() ? "opticalChannel" : "networkMediaChannelConnectionTerminationPoint");
      if (!fiber.empty()) {
        LP_ASSIGN_OR_RETURN(Range range, rangeOf(e, fiber));
        leaf(i, "supporting-port", fiber);
        leaf(i, "min-freq", thzOf(range.lower));
        leaf(i, "max-freq", thzOf(range.upper));
      }
      if (carries_mode) {
        leaf(i, "operational-mode", mode);
        mode.clear();
      }
    }
    pugi::xml_node c =
        listEntry(out, "org-openroadm-device", optical ? "roadm-connections" : "odu-connection",
                  "connection-name", e.key, false);
    leaf(c, "description", e.owner);
    if (!optical) leaf(c, "rate-mbps", valueOr(e, "mbps"));
    leaf(c.append_child("source"), "src-if", e.key + "/in");
    leaf(c.append_child("destination"), "dst-if", e.key + "/out");
    return renderEncryption(c, e);
  }
  void erase(Doc& out, const ConfigEntry& was) const override {
    const EntryKind kind = kindOf(was.key);
    if (kind != EntryKind::CrossConnect && kind != EntryKind::Service) return;
    listEntry(out, "org-openroadm-device",
              kind == EntryKind::CrossConnect ? "roadm-connections" : "odu-connection",
              "connection-name", was.key, true);
    for (const char* side : {"in", "out"}) {
      listEntry(out, "org-openroadm-device", "interface", "name",
                fmt::format("{}/{}", was.key, side), true);
    }
  }
  Status read(const std::map<std::string, pugi::xml_node>& tops,
              std::vector<ConfigEntry>& out) const override {
    pugi::xml_node device =
        tops.contains("org-openroadm-device") ? tops.at("org-openroadm-device") : pugi::xml_node();
    std::map<std::string, pugi::xml_node> interfaces;
    for (pugi::xml_node i : children(device, "interface")) interfaces[text(i, "name")] = i;
    for (const char* list : {"roadm-connections", "odu-connection"}) {
      for (pugi::xml_node c : children(device, list)) {
        ConfigEntry e{text(c, "connection-name"), text(c, "description"), {}};
        const EntryKind kind = kindOf(e.key);
        if (kind != (std::string_view(list) == "roadm-connections" ? EntryKind::CrossConnect
                                                                   : EntryKind::Service))
          continue;
        const std::pair<const char*, std::string> sides[] = {
            {"in", text(child(c, "source"), "src-if")},
            {"out", text(child(c, "destination"), "dst-if")}};
        for (const auto& [side, name] : sides) {
          auto it = interfaces.find(name);
          if (it == interfaces.end()) continue;
          const pugi::xml_node i = it->second;
          const std::string fiber = text(i, "supporting-port");
          if (!fiber.empty()) e.values[side] = fiber;
          if (kind == EntryKind::Service) {
            e.values["vlan"] = text(i, "vlan");
            continue;
          }
          if (auto mode = text(i, "operational-mode"); !mode.empty())
            e.values.emplace("transceiver", mode);
          const auto lower = mhzOfThz(text(i, "min-freq"));
          const auto upper = mhzOfThz(text(i, "max-freq"));
          if (fiber.empty() || !lower || !upper) continue;
          LP_ASSIGN_OR_RETURN(e.values["slots/" + fiber], slotsOf(fiber, *lower, *upper));
        }
        if (kind == EntryKind::Service) e.values["mbps"] = text(c, "rate-mbps");
        readEncryption(c, e);
        out.push_back(std::move(e));
      }
    }
    return Status::ok();
  }
};

// An Ethernet switch: EVCs with a bandwidth profile, and cloud on-ramp attachments.
class Switch final : public Base {
 public:
  explicit Switch(BandStart b) : Base(std::move(b), "urn:lightpath:lab:switch") {}
  std::string_view name() const override { return "switch"; }
  std::string_view module() const override { return "lightpath-lab-switch"; }
  bool crossConnects() const override { return false; }
  bool cloudAttachments() const override { return true; }
  std::string filter() const override { return "<switch xmlns=\"urn:lightpath:lab:switch\"/>"; }

 protected:
  Status render(Doc& out, const ConfigEntry& e, const ConfigEntry* /*was*/) const override {
    if (kindOf(e.key) == EntryKind::Service) {
      pugi::xml_node s = listEntry(out, "switch", "evc", "name", e.key, false);
      leaf(s, "description", e.owner);
      optionalLeaf(s, "ingress-port", valueOr(e, "in"));
      optionalLeaf(s, "egress-port", valueOr(e, "out"));
      leaf(s, "vlan", valueOr(e, "vlan"));
      leaf(s.append_child("bandwidth-profile"), "cir-mbps", valueOr(e, "mbps"));
      return renderEncryption(s, e);
    }
    if (kindOf(e.key) == EntryKind::Cloud) {
      pugi::xml_node a = listEntry(out, "switch", "cloud-attachment", "name", e.key, false);
      leaf(a, "description", e.owner);
      leaf(a, "provider", valueOr(e, "provider"));
      leaf(a, "service-key", valueOr(e, "key"));
      leaf(a, "vlan", valueOr(e, "vlan"));
      leaf(a, "cir-mbps", valueOr(e, "mbps"));
      return Status::ok();
    }
    return refuse("switch", e);
  }
  void erase(Doc& out, const ConfigEntry& was) const override {
    if (kindOf(was.key) == EntryKind::Service)
      listEntry(out, "switch", "evc", "name", was.key, true);
    if (kindOf(was.key) == EntryKind::Cloud)
      listEntry(out, "switch", "cloud-attachment", "name", was.key, true);
  }
  Status read(const std::map<std::string, pugi::xml_node>& tops,
              std::vector<ConfigEntry>& out) const override {
    pugi::xml_node sw = tops.contains("switch") ? tops.at("switch") : pugi::xml_node();
    for (pugi::xml_node s : children(sw, "evc")) {
      ConfigEntry e{text(s, "name"), text(s, "description"), {}};
      if (kindOf(e.key) != EntryKind::Service) continue;
      if (auto in = text(s, "ingress-port"); !in.empty()) e.values["in"] = in;
      if (auto o = text(s, "egress-port"); !o.empty()) e.values["out"] = o;
      e.values["vlan"] = text(s, "vlan");
      e.values["mbps"] = text(child(s, "bandwidth-profile"), "cir-mbps");
      readEncryption(s, e);
      out.push_back(std::move(e));
    }
    for (pugi::xml_node a : children(sw, "cloud-attachment")) {
      ConfigEntry e{text(a, "name"), text(a, "description"), {}};
      if (kindOf(e.key) != EntryKind::Cloud) continue;
      e.values["provider"] = text(a, "provider");
      e.values["key"] = text(a, "service-key");
      e.values["vlan"] = text(a, "vlan");
      e.values["mbps"] = text(a, "cir-mbps");
      out.push_back(std::move(e));
    }
    return Status::ok();
  }
};

}  // namespace

Result<std::unique_ptr<Dialect>> makeDialect(std::string_view name, BandStart band_start) {
  if (name == "openconfig") return std::unique_ptr<Dialect>(new OpenConfig(std::move(band_start)));
  if (name == "openroadm") return std::unique_ptr<Dialect>(new OpenRoadm(std::move(band_start)));
  if (name == "switch") return std::unique_ptr<Dialect>(new Switch(std::move(band_start)));
  return fail(invalidArgument(
      fmt::format("no dialect '{}' (there are: openconfig, openroadm, switch)", name)));
}

std::vector<std::string> dialectNames() { return {"openconfig", "openroadm", "switch"}; }

}  // namespace lightpath
