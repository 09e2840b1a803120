// `lightpath analyze survivability`: every single shared-risk-group (or fiber) failure of the
// network against the services of a data directory, worst first.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addAnalyzeCommand(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
