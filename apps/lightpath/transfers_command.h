// `lightpath transfers`: bulk transfers with a deadline; `plan` plans a workload offline.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addTransfersCommand(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
