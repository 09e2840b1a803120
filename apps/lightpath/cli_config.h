// The client commands' settings beyond their flags: profiles in a config file, and the output
// format.
//
// ~/.config/lightpath/config.yaml ($XDG_CONFIG_HOME; LIGHTPATH_CONFIG names another file):
//
//   default: lab                       # the profile used when none is named
//   profiles:
//     lab:
//       server: http://127.0.0.1:8080
//       api_key_file: ~/.config/lightpath/lab.key   # (or api_key: lp_...)
//       pin: AB:CD:...                 # the certificate's fingerprint, for a self-signed one
//       output: table                  # table, json or yaml
//
// A value comes from the flag, else the environment (LIGHTPATH_URL, LIGHTPATH_API_KEY,
// LIGHTPATH_PIN), else the profile (--profile or LIGHTPATH_PROFILE, else the file's default),
// else the built-in default.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api_client.h"
#include "lightpath/base/status.h"

namespace lightpath::cli {

// The config file's place.
std::string cliConfigFile();
// The named (or default) profile's values into what flags and environment left empty.
// InvalidArgument naming the file and the line, or the profiles there are, when a named profile
// cannot be had or the file is not readable YAML.
Status applyProfile(ClientFlags& flags);
// A reply's document as the output format asks: JSON (pretty) or YAML.
void printDocument(const ClientFlags& flags, const nlohmann::json& document);

}  // namespace lightpath::cli
