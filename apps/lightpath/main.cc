// lightpath: one executable, subcommands. Parses arguments and calls into the libraries.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "account_command.h"
#include "analyze_command.h"
#include "bench_command.h"
#include "client_command.h"
#include "cloudsim_command.h"
#include "exit_codes.h"
#include "help_command.h"
#include "path_command.h"
#include "serve_command.h"
#include "simulate_command.h"
#include "topology_command.h"
#include "transfers_command.h"

int main(int argc, char** argv) {
  CLI::App app{"Lightpath: network-as-a-service orchestrator for fiber carriers"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "lightpath 0.1.0");
  int exit_code = lightpath::cli::kExitOk;
  lightpath::cli::addServeCommand(app, &exit_code);
  lightpath::cli::addClientCommands(app, &exit_code);
  lightpath::cli::addAccountCommands(app, &exit_code);
  lightpath::cli::addTopologyCommands(app, &exit_code);
  lightpath::cli::addPathCommand(app, &exit_code);
  lightpath::cli::addSimulateCommand(app, &exit_code);
  lightpath::cli::addBenchCommand(app, &exit_code);
  lightpath::cli::addAdminCommand(app, &exit_code);
  lightpath::cli::addAnalyzeCommand(app, &exit_code);
  lightpath::cli::addCloudSimCommand(app, &exit_code);
  lightpath::cli::addTransfersCommand(app, &exit_code);
  lightpath::cli::addHelpCommands(app, &exit_code);  // last: it reads the others
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return lightpath::cli::kExitUsage;
  }
  return exit_code;
}
