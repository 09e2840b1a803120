// Profiles and output formats of the client commands.
#include "cli_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "lightpath/io/topology_io.h"

namespace lightpath::cli {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : "";
}

std::string expandHome(const std::string& path) {
  if (path.rfind("~/", 0) == 0 && !env("HOME").empty()) return env("HOME") + path.substr(1);
  return path;
}

}  // namespace

std::string cliConfigFile() {
  if (!env("LIGHTPATH_CONFIG").empty()) return env("LIGHTPATH_CONFIG");
  const std::string base =
      !env("XDG_CONFIG_HOME").empty() ? env("XDG_CONFIG_HOME") : env("HOME") + "/.config";
  return base + "/lightpath/config.yaml";
}

Status applyProfile(ClientFlags& flags) {
  std::string name = !flags.profile.empty() ? flags.profile : env("LIGHTPATH_PROFILE");
  const bool named = !name.empty();
  const std::string file = cliConfigFile();
  std::ifstream in(file);
  if (!in) {
    if (named) {
      return invalidArgument(
          fmt::format("profile '{}': no config file {} (see `lightpath --help`)", name, file));
    }
    return Status::ok();
  }
  try {
    const YAML::Node root = YAML::Load(in);
    if (!named && root["default"]) name = root["default"].as<std::string>();
    if (name.empty()) return Status::ok();
    const YAML::Node profiles = root["profiles"];
    if (!profiles || !profiles[name]) {
      std::string known;
      if (profiles && profiles.IsMap()) {
        for (const auto& p : profiles)
          known += (known.empty() ? "" : ", ") + p.first.as<std::string>();
      }
      return invalidArgument(fmt::format("{}: no profile '{}' (there are: {})", file, name,
                                         known.empty() ? "none" : known));
    }
    const YAML::Node p = profiles[name];
    for (const auto& kv : p) {
      const std::string key = kv.first.as<std::string>();
      if (key != "server" && key != "api_key" && key != "api_key_file" && key != "pin" &&
          key != "output") {
        return invalidArgument(fmt::format(
            "{}:{}: profile '{}': unknown setting '{}' (known: server, api_key, api_key_file, "
            "pin, output)",
            file, kv.first.Mark().line + 1, name, key));
      }
    }
    auto fill = [&](std::string& field, const char* key) {
      if (field.empty() && p[key]) field = p[key].as<std::string>();
    };
    fill(flags.server, "server");
    fill(flags.pin, "pin");
    fill(flags.output, "output");
    fill(flags.api_key, "api_key");
    if (flags.api_key.empty() && p["api_key_file"]) {
      const std::string key_file = expandHome(p["api_key_file"].as<std::string>());
      std::ifstream key(key_file);
      if (!key || !std::getline(key, flags.api_key)) {
        return invalidArgument(
            fmt::format("{}: profile '{}': cannot read api_key_file {}", file, name, key_file));
      }
    }
  } catch (const YAML::Exception& e) {
    return invalidArgument(fmt::format("{}:{}: {}", file, e.mark.line + 1, e.msg));
  }
  return Status::ok();
}

void printDocument(const ClientFlags& flags, const nlohmann::json& document) {
  if (flags.output == "yaml") {
    std::cout << jsonAsYaml(nlohmann::ordered_json(document)) << "\n";
  } else {
    std::cout << document.dump(2) << "\n";
  }
}

}  // namespace lightpath::cli
