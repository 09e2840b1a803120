// `lightpath topology ...`: inspect and convert network files.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

// Adds the `topology` subcommand tree; the chosen command's exit code is written to *exit_code.
void addTopologyCommands(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
