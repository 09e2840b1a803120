// `lightpath serve`: the main job.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addServeCommand(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
