// The CLI client of a running `lightpath serve`: connections, quote, locations, events.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addClientCommands(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
