// `lightpath bench provision` and `lightpath admin check`: the provisioning stack in-process,
// for sizing a deployment and for checking a store.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addBenchCommand(CLI::App& app, int* exit_code);
void addAdminCommand(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
