// The CLI client's account commands: tenants, API keys, OAuth clients, webhooks.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addAccountCommands(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
