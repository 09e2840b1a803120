// `lightpath serve`: flags over an optional YAML file over the embedded defaults; runs until
// SIGTERM or SIGINT, then drains.
#include "serve_command.h"

#include <pthread.h>

#include <csignal>
#include <iostream>

#include "exit_codes.h"
#include "lightpath/server/server.h"

namespace lightpath::cli {
namespace {

struct ServeFlags {
  std::string config_file, listen, data, store, topology, driver, devices, price_book, log_level,
      tls_certificate, tls_key, web, log_format, equipment;
  std::size_t workflow_threads = 0;
  double margin_db = -1;
  bool insecure_http = false;
};

int runServe(const ServeFlags& flags) {
  ServeConfig config;
  config.http.port = 8080;
  config.stack.data_dir = "lightpath-data";
  if (!flags.config_file.empty()) {
    if (Status s = readServeConfig(flags.config_file, config); !s.isOk()) {
      std::cerr << "lightpath serve: " << s.message() << "\n";
      return kExitRejected;
    }
  }
  if (!flags.listen.empty()) {
    if (Status s = parseListen(flags.listen, config.http); !s.isOk()) {
      std::cerr << "lightpath serve: --" << s.message() << "\n";
      return kExitUsage;
    }
  }
  if (!flags.data.empty()) config.stack.data_dir = flags.data;
  if (!flags.store.empty()) config.stack.store = flags.store;
  if (!flags.topology.empty()) config.stack.topology_file = flags.topology;
  if (!flags.driver.empty()) config.stack.driver = flags.driver;
  if (!flags.devices.empty()) config.stack.devices_file = flags.devices;
  if (!flags.price_book.empty()) config.stack.price_book_file = flags.price_book;
  if (!flags.equipment.empty()) config.stack.equipment_file = flags.equipment;
  if (flags.margin_db >= 0) config.stack.margin_db = flags.margin_db;
  if (!flags.log_level.empty()) config.log_level = flags.log_level;
  if (!flags.log_format.empty()) config.log_format = flags.log_format;
  if (!flags.tls_certificate.empty()) config.http.tls_certificate_file = flags.tls_certificate;
  if (!flags.tls_key.empty()) config.http.tls_key_file = flags.tls_key;
  if (flags.workflow_threads > 0) config.workflow_threads = flags.workflow_threads;
  if (!flags.web.empty()) config.web_dir = flags.web;
  if (flags.insecure_http) config.insecure_http = true;

  // Every thread started from here on inherits the mask; this one waits for the signal.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto server = Server::start(config, std::cout);
  if (!server) {
    std::cerr << "lightpath serve: " << server.error().message() << "\n";
    return kExitRejected;
  }
  int received = 0;
  sigwait(&signals, &received);
  std::cout << "lightpath serve: " << (received == SIGTERM ? "SIGTERM" : "SIGINT")
            << ": draining requests and workflows\n"
            << std::flush;
  (*server)->stop();
  std::cout << "lightpath serve: stopped\n";
  return kExitOk;
}

}  // namespace

void addServeCommand(CLI::App& app, int* exit_code) {
  static ServeFlags flags;
  CLI::App* serve =
      app.add_subcommand("serve",
                         "run the service: the REST API on the demo network with simulated devices "
                         "unless told otherwise");
  serve->add_option(
      "--config", flags.config_file,
      "YAML settings (listen, data, store, topology, equipment, margin_db, driver, devices, "
      "price_book, log_level, workflow_threads, rate_limit, tls); flags win");
  serve->add_option("--listen", flags.listen,
                    "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free)");
  serve->add_option("--data", flags.data,
                    "data directory: the SQLite store, device state, operator.key "
                    "(default ./lightpath-data)");
  serve->add_option("--store", flags.store,
                    "sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE (default: SQLite in the "
                    "data directory); the password from PGPASSWORD or a passfile");
  serve->add_option("--topology", flags.topology,
                    "topology file (default: the built-in demo network)");
  serve->add_option("--driver", flags.driver,
                    "device driver of the nodes the devices file lacks (default sim)");
  serve->add_option("--devices", flags.devices,
                    "devices file: the real (NETCONF) device of each node it lists");
  serve->add_option("--price-book", flags.price_book,
                    "price book YAML (default: the built-in one)");
  serve->add_option("--equipment", flags.equipment,
                    "optical equipment library, a GNPy eqpt_config.json (default: the built-in "
                    "one, docs/optical.md); its transceiver modes replace the catalog");
  serve
      ->add_option("--margin", flags.margin_db,
                   "planning margin in dB over each mode's GSNR threshold (default: the "
                   "library's sys_margins, 2)")
      ->check(CLI::Range(0.0, 20.0));
  serve->add_option("--log-level", flags.log_level,
                    "trace, debug, info, warn, error, off (default info)");
  serve->add_option("--log-format", flags.log_format,
                    "text (default) or json: one object per line");
  serve->add_option("--tls-cert", flags.tls_certificate, "PEM certificate chain: serve HTTPS only");
  serve->add_option("--tls-key", flags.tls_key, "PEM private key of --tls-cert");
  serve->add_flag("--insecure-http", flags.insecure_http,
                  "beyond loopback without --tls-cert: plain HTTP (default: a self-signed "
                  "certificate in the data directory)");
  serve->add_option("--web", flags.web, "the built portal (default: web/dist of the source tree)");
  serve->add_option("--workflow-threads", flags.workflow_threads,
                    "threads configuring devices (default 4)");
  serve->callback([exit_code] { *exit_code = runServe(flags); });
}

}  // namespace lightpath::cli
