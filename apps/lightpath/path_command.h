// `lightpath path`: shortest, constrained, k-shortest and diverse paths from the command line.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addPathCommand(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
