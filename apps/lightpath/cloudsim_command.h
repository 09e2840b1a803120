// `lightpath cloudsim`: the simulated cloud providers (lightpath/cloudsim) served alone, for a
// `serve` configured with real-looking endpoints (cloud: {aws: {url: ...}}) and for trying the
// providers' own tools against them.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addCloudSimCommand(CLI::App& app, int* exit_code);

}  // namespace lightpath::cli
