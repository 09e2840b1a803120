// `lightpath bench restore`: how fast a shared-risk-group cut is answered.
#pragma once

#include <CLI/CLI.hpp>

namespace lightpath::cli {

void addRestoreBench(CLI::App* bench, int* exit_code);

}  // namespace lightpath::cli
