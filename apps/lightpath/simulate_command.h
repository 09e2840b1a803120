// `lightpath simulate`: dynamic RSA simulation with blocking, confidence intervals and plots.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addSimulateCommand(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
