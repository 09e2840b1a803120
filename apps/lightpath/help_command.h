// `lightpath completion bash|zsh` and `lightpath man`: a shell completion script and a man page
// made from the command tree itself, so neither can fall behind the commands and flags.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

// Adds both; they read `app`'s tree when run, so add them after every other command.
void addHelpCommands(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
