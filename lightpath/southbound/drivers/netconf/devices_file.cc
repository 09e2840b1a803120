// Reading the devices file.
#include "lightpath/southbound/drivers/netconf/devices_file.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace lightpath {

Result<std::map<std::string, NetconfNode>> readDevicesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(notFound(fmt::format("{}: cannot read the devices file", path)));
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return fail(invalidArgument(fmt::format("{}: not JSON: {}", path, e.what())));
  }
  if (!doc.is_array())
    return fail(invalidArgument(fmt::format("{}: a list of devices is expected", path)));
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  auto resolve = [&](const std::string& file) {
    return std::filesystem::path(file).is_absolute() ? file : (dir / file).string();
  };
  const std::vector<std::string> dialects = dialectNames();
  std::map<std::string, NetconfNode> out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const nlohmann::json& d = doc[i];
    const std::string where = fmt::format("{}: device {}", path, i);
    if (!d.is_object()) return fail(invalidArgument(where + ": an object is expected"));
    auto text = [&](const char* field, bool required) -> Result<std::string> {
      auto it = d.find(field);
      if (it == d.end()) {
        if (!required) return std::string();
        return fail(invalidArgument(fmt::format("{}: '{}' is missing", where, field)));
      }
      if (!it->is_string() || it->get<std::string>().empty())
        return fail(
            invalidArgument(fmt::format("{}: '{}' must be a non-empty string", where, field)));
      return it->get<std::string>();
    };
    for (const auto& [field, value] : d.items()) {
      static const std::set<std::string> known{"node",     "host",        "port",    "username",
                                               "key_file", "known_hosts", "dialect", "timeout_ms"};
      if (!known.contains(field))
        return fail(invalidArgument(fmt::format(
            "{}: unknown field '{}' (known: node, host, port, username, key_file, known_hosts, "
            "dialect, timeout_ms)",
            where, field)));
    }
    LP_ASSIGN_OR_RETURN(std::string node, text("node", true));
    NetconfNode n;
    LP_ASSIGN_OR_RETURN(n.access.host, text("host", true));
    LP_ASSIGN_OR_RETURN(n.access.username, text("username", true));
    LP_ASSIGN_OR_RETURN(std::string key_file, text("key_file", true));
    LP_ASSIGN_OR_RETURN(std::string known_hosts, text("known_hosts", false));
    LP_ASSIGN_OR_RETURN(n.dialect, text("dialect", true));
    n.access.key_file = resolve(key_file);
    n.access.known_hosts = resolve(known_hosts.empty() ? "known_hosts" : known_hosts);
    if (std::find(dialects.begin(), dialects.end(), n.dialect) == dialects.end()) {
      return fail(invalidArgument(
          fmt::format("{} ({}): no dialect '{}' (there are: openconfig, openroadm, switch)", where,
                      node, n.dialect)));
    }
    const auto port = d.find("port");
    if (port == d.end() || !port->is_number_unsigned() || port->get<std::uint64_t>() == 0 ||
        port->get<std::uint64_t>() > 65535) {
      return fail(invalidArgument(fmt::format("{} ({}): 'port' must be 1-65535", where, node)));
    }
    n.access.port = static_cast<std::uint16_t>(port->get<std::uint64_t>());
    if (auto t = d.find("timeout_ms"); t != d.end()) {
      if (!t->is_number_unsigned() || t->get<std::uint64_t>() < 10 ||
          t->get<std::uint64_t>() > 600000)
        return fail(
            invalidArgument(fmt::format("{} ({}): 'timeout_ms' must be 10-600000", where, node)));
      n.access.timeout = std::chrono::milliseconds(t->get<std::uint64_t>());
    }
    if (!out.emplace(node, std::move(n)).second)
      return fail(invalidArgument(fmt::format("{}: node '{}' is listed twice", where, node)));
  }
  return out;
}

}  // namespace lightpath
