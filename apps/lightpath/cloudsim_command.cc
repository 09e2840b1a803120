#include "cloudsim_command.h"

#include <httplib.h>
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "exit_codes.h"
#include "lightpath/cloudsim/cloud_sim.h"
#include "lightpath/server/server.h"

namespace lightpath::cli {
namespace {

struct CloudSimFlags {
  std::string listen = "127.0.0.1:8090";
  std::string data = "cloudsim-data";
  std::string partner_account = "999999999999";
  std::string partner_secret_env, partner_token_env;
  int bring_up_ms = 1000;
};

int runCloudSim(const CloudSimFlags& flags) {
  HttpServerOptions where;
  if (Status s = parseListen(flags.listen, where); !s.isOk()) {
    std::cerr << "lightpath cloudsim: --" << s.message() << "\n";
    return kExitUsage;
  }
  std::error_code error;
  std::filesystem::create_directories(flags.data, error);
  CloudSimOptions options{
      .state_file = (std::filesystem::path(flags.data) / "cloudsim.json").string(),
      .aws_partner_account = flags.partner_account,
      .partner_token = {},
      .aws_secrets = {},
      .bring_up = std::chrono::milliseconds(flags.bring_up_ms),
      .clock = nullptr};
  auto env = [](const std::string& name) {
    const char* v = name.empty() ? nullptr : std::getenv(name.c_str());
    return std::string(v ? v : "");
  };
  if (!env(flags.partner_secret_env).empty())
    options.aws_secrets[flags.partner_account] = env(flags.partner_secret_env);
  options.partner_token = env(flags.partner_token_env);
  auto sim = CloudSim::open(options);
  if (!sim) {
    std::cerr << "lightpath cloudsim: " << sim.error().message() << "\n";
    return kExitRejected;
  }
  httplib::Server http;
  auto handle = [&](const httplib::Request& in, httplib::Response& out) {
    HttpRequest request{in.method, in.path, {}, {}, in.body, in.remote_addr};
    for (const auto& [k, v] : in.params) request.query[k] = v;
    for (const auto& [k, v] : in.headers) request.headers[asciiLower(k)] = v;
    const HttpResponse response = (*sim)->handle(request);
    out.status = response.status;
    std::string type = "application/json";
    for (const auto& [k, v] : response.headers) {
      if (k == "Content-Type")
        type = v;
      else
        out.set_header(k, v);
    }
    out.set_content(response.body, type);
  };
  for (const char* pattern : {"/cloudsim/.*", "/cloudsim"}) {
    http.Get(pattern, handle);
    http.Post(pattern, handle);
    http.Put(pattern, handle);
    http.Patch(pattern, handle);
    http.Delete(pattern, handle);
  }
  // Every thread started from here on inherits the mask; this one waits for the signal.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const int port = where.port == 0 ? http.bind_to_any_port(where.host)
                                   : (http.bind_to_port(where.host, where.port) ? where.port : -1);
  if (port < 0) {
    std::cerr << "lightpath cloudsim: cannot listen on " << flags.listen << "\n";
    return kExitRejected;
  }
  std::thread serving([&] { http.listen_after_bind(); });
  std::cout << "lightpath cloudsim: http://" << where.host << ":" << port
            << "/cloudsim/{aws,azure,google}, state in " << options.state_file << "\n"
            << std::flush;
  int received = 0;
  sigwait(&signals, &received);
  http.stop();
  serving.join();
  return kExitOk;
}

}  // namespace

void addCloudSimCommand(CLI::App& app, int* exit_code) {
  static CloudSimFlags flags;
  CLI::App* cmd = app.add_subcommand(
      "cloudsim",
      "serve the simulated AWS Direct Connect, Azure ExpressRoute and Google Partner Interconnect "
      "APIs alone (serve embeds them under /cloudsim when no real endpoint is configured)");
  cmd->add_option("--listen", flags.listen, "HOST:PORT (default 127.0.0.1:8090; port 0: any free)");
  cmd->add_option("--data", flags.data,
                  "where the providers' state is kept (default ./cloudsim-data)");
  cmd->add_option("--partner-account", flags.partner_account,
                  "the AWS account of the Direct Connect partner (default 999999999999)");
  cmd->add_option("--partner-secret-env", flags.partner_secret_env,
                  "environment variable holding the partner's AWS secret key: its signatures are "
                  "then verified in full (default: their shape only)");
  cmd->add_option("--partner-token-env", flags.partner_token_env,
                  "environment variable holding the bearer token of Azure and Google partner calls "
                  "(default: any)");
  cmd->add_option("--bring-up-ms", flags.bring_up_ms,
                  "from the customer's acceptance to carrying traffic (default 1000)")
      ->check(CLI::Range(0, 3600000));
  cmd->callback([exit_code] { *exit_code = runCloudSim(flags); });
}

}  // namespace lightpath::cli
