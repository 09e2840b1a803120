// `lightpath admin fail|repair|failures`: record a failure of the network on a running server
// (or ask what it would do, --what-if), record its repair, list them.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addFailureCommands(CLI::App* admin, int* exit_code);

}  // namespace lightpath::cli
