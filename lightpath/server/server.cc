// Start-up order: stack (store, ledger recovered, devices), workflows, API (keys loaded), first
// operator key, HTTP; ready. Shutdown goes the other way.
#include "lightpath/server/server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "lightpath/base/log.h"
#include "lightpath/server/self_signed.h"
#include "lightpath/store/postgres/postgres_store.h"

namespace lightpath {

Status parseListen(std::string_view text, HttpServerOptions& http) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos)
    return invalidArgument(fmt::format("listen: HOST:PORT, got '{}'", text));
  std::string host(text.substr(0, colon));
  const std::string port(text.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
    return invalidArgument(fmt::format("listen: the port must be 0-65535, got '{}'", port));
  }
  http.host = host.empty() ? "0.0.0.0" : host;
  http.port = static_cast<std::uint16_t>(std::stoul(port));
  return Status::ok();
}

namespace {
// A secret named by the configuration: `<name>_file` (its first line) or `<name>_env` (an
// environment variable), never the value itself.
Result<std::string> configSecret(const YAML::Node& node, const std::string& name,
                                 const std::string& where) {
  if (node[name + "_file"]) {
    const std::string file = node[name + "_file"].as<std::string>();
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line) || line.empty())
      return fail(invalidArgument(
          fmt::format("{}.{}_file: cannot read a secret from {}", where, name, file)));
    return line;
  }
  if (node[name + "_env"]) {
    const std::string variable = node[name + "_env"].as<std::string>();
    const char* value = std::getenv(variable.c_str());
    if (!value || !*value)
      return fail(invalidArgument(fmt::format("{}.{}_env: {} is not set", where, name, variable)));
    return std::string(value);
  }
  return fail(invalidArgument(fmt::format("{}: {}_file or {}_env is required", where, name, name)));
}

// cloud: {accept_hours, poll_seconds, aws: {url, access_key_id, secret_file | secret_env},
// azure: {url, token_file | token_env}, google: {url, token_file | token_env}}
Status readCloudConfig(const YAML::Node& value, const std::string& where, StackConfig& stack) {
  if (!value.IsMap())
    return invalidArgument(where + ": a mapping (accept_hours, poll_seconds, aws, azure, google)");
  for (const auto& entry : value) {
    const std::string k = entry.first.as<std::string>();
    const YAML::Node& v = entry.second;
    const std::string at = fmt::format("{}.{}", where, k);
    if (k == "accept_hours") {
      const int hours = v.as<int>();
      if (hours < 1 || hours > 24 * 90) return invalidArgument(at + ": 1-2160 hours");
      stack.cloud_accept_within = std::chrono::hours(hours);
    } else if (k == "poll_seconds") {
      const int seconds = v.as<int>();
      if (seconds < 1 || seconds > 3600) return invalidArgument(at + ": 1-3600 s");
      stack.cloud_poll = std::chrono::seconds(seconds);
    } else if (k == "aws" || k == "azure" || k == "google") {
      if (!v.IsMap() || !v["url"]) return invalidArgument(at + ": {url, ...} is required");
      for (const auto& field : v) {
        const std::string f = field.first.as<std::string>();
        const bool known = f == "url" || (k == "aws" ? f == "access_key_id" || f == "secret_file" ||
                                                           f == "secret_env"
                                                     : f == "token_file" || f == "token_env");
        if (!known) return invalidArgument(fmt::format("{}.{}: unknown setting", at, f));
      }
      CloudEndpoint e{.provider = k,
                      .url = v["url"].as<std::string>(),
                      .access_key_id = {},
                      .secret = {},
                      .timeout = std::chrono::milliseconds(5000),
                      .transport = {}};
      if (k == "aws") {
        if (!v["access_key_id"]) return invalidArgument(at + ".access_key_id: required");
        e.access_key_id = v["access_key_id"].as<std::string>();
      }
      LP_ASSIGN_OR_RETURN(e.secret, configSecret(v, k == "aws" ? "secret" : "token", at));
      if (auto made = makeCloudProvider(e); !made) return made.error().withContext(at);
      stack.cloud_endpoints.push_back(std::move(e));
    } else {
      return invalidArgument(
          at + ": unknown setting (known: accept_hours, poll_seconds, aws, azure, google)");
    }
  }
  return Status::ok();
}
}  // namespace

Status readServeConfig(const std::string& path, ServeConfig& config) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return notFound(fmt::format("{}: cannot read", path));
  } catch (const YAML::Exception& e) {
    return invalidArgument(fmt::format("{}:{}: {}", path, e.mark.line + 1, e.msg));
  }
  if (!root.IsMap())
    return invalidArgument(fmt::format("{}: a mapping of settings is expected", path));
  try {
    for (const auto& entry : root) {
      const std::string key = entry.first.as<std::string>();
      const YAML::Node& value = entry.second;
      const std::string where = fmt::format("{}:{}: {}", path, value.Mark().line + 1, key);
      // A count from 1 to `most`, and a rate above 0, checked where they are read.
      auto count = [&](std::size_t& into, int most) -> Status {
        const int n = value.as<int>();
        if (n < 1 || n > most) return invalidArgument(fmt::format("{}: 1-{}", where, most));
        into = static_cast<std::size_t>(n);
        return Status::ok();
      };
      auto perSecond = [&](double& into) -> Status {
        const double rps = value.as<double>();
        if (!(rps > 0)) return invalidArgument(where + ": requests per second, more than 0");
        into = rps;
        return Status::ok();
      };
      if (key == "listen") {
        LP_RETURN_IF_ERROR(parseListen(value.as<std::string>(), config.http).withContext(where));
      } else if (key == "data") {
        config.stack.data_dir = value.as<std::string>();
      } else if (key == "store") {
        config.stack.store = value.as<std::string>();
      } else if (key == "topology") {
        config.stack.topology_file = value.as<std::string>();
      } else if (key == "transceivers") {
        config.stack.transceivers_file = value.as<std::string>();
      } else if (key == "equipment") {
        config.stack.equipment_file = value.as<std::string>();
      } else if (key == "margin_db") {
        const double margin = value.as<double>();
        if (!(margin >= 0 && margin <= 20)) return invalidArgument(where + ": 0-20 dB");
        config.stack.margin_db = margin;
      } else if (key == "driver") {
        config.stack.driver = value.as<std::string>();
      } else if (key == "devices") {
        config.stack.devices_file = value.as<std::string>();
      } else if (key == "device_timeout_ms") {
        const int ms = value.as<int>();
        if (ms < 10 || ms > 600000) return invalidArgument(where + ": 10-600000 ms");
        config.stack.device_timeout = std::chrono::milliseconds(ms);
      } else if (key == "reconcile_seconds") {
        const int seconds = value.as<int>();
        if (seconds < 10 || seconds > 86400) return invalidArgument(where + ": 10-86400 s");
        config.stack.reconcile_interval = std::chrono::seconds(seconds);
      } else if (key == "work_lease_seconds") {
        const int seconds = value.as<int>();
        if (seconds < 2 || seconds > 3600) return invalidArgument(where + ": 2-3600 s");
        config.stack.work_lease = std::chrono::seconds(seconds);
      } else if (key == "packet_gbps_per_fiber") {
        const double gbps = value.as<double>();
        if (!(gbps >= 1 && gbps <= 1'000'000)) return invalidArgument(where + ": 1-1000000 Gb/s");
        config.stack.packet_mbps_per_fiber = static_cast<std::uint64_t>(gbps * 1000);
      } else if (key == "price_book") {
        config.stack.price_book_file = value.as<std::string>();
      } else if (key == "log_level") {
        config.log_level = value.as<std::string>();
      } else if (key == "log_format") {
        config.log_format = value.as<std::string>();
      } else if (key == "workflow_threads") {
        LP_RETURN_IF_ERROR(count(config.workflow_threads, 256));
      } else if (key == "rate_limit") {
        LP_RETURN_IF_ERROR(perSecond(config.limits.requests_per_second));
        config.limits.burst = 2 * config.limits.requests_per_second;
      } else if (key == "rate_limit_tenant") {
        LP_RETURN_IF_ERROR(perSecond(config.limits.tenant_requests_per_second));
      } else if (key == "rate_limit_unauthenticated") {
        LP_RETURN_IF_ERROR(perSecond(config.limits.unauthenticated_per_second));
      } else if (key == "max_keys_per_tenant") {
        LP_RETURN_IF_ERROR(count(config.limits.max_keys_per_tenant, 100000));
      } else if (key == "max_webhooks_per_tenant") {
        LP_RETURN_IF_ERROR(count(config.limits.max_webhooks_per_tenant, 100000));
      } else if (key == "event_streams_per_key") {
        LP_RETURN_IF_ERROR(count(config.http.max_streams_per_key, 10000));
      } else if (key == "event_streams_per_tenant") {
        LP_RETURN_IF_ERROR(count(config.http.max_streams_per_tenant, 10000));
      } else if (key == "webhooks_allow_private") {
        config.webhooks.allow_private_addresses = value.as<bool>();
      } else if (key == "retain_events_days" || key == "retain_orders_days" ||
                 key == "retain_audit_days") {
        const int days = value.as<int>();
        if (days < 1 || days > 36500) return invalidArgument(where + ": 1-36500 days");
        auto& kept = key == "retain_events_days"   ? config.retention.events
                     : key == "retain_orders_days" ? config.retention.orders
                                                   : config.retention.audit;
        kept = std::chrono::hours(24 * days);
      } else if (key == "access_token_seconds") {
        const int seconds = value.as<int>();
        if (seconds < 60 || seconds > 86400) return invalidArgument(where + ": 60-86400 s");
        config.limits.access_token_lifetime = std::chrono::seconds(seconds);
      } else if (key == "max_oauth_clients_per_tenant") {
        LP_RETURN_IF_ERROR(count(config.limits.max_oauth_clients_per_tenant, 100000));
      } else if (key == "insecure_http") {
        config.insecure_http = value.as<bool>();
      } else if (key == "key_rotation_days") {
        const int days = value.as<int>();
        if (days < 1 || days > 3650) return invalidArgument(where + ": 1-3650 days");
        config.stack.key_rotation = std::chrono::hours(24 * days);
      } else if (key == "cloud") {
        LP_RETURN_IF_ERROR(readCloudConfig(value, where, config.stack));
      } else if (key == "master_key_file") {
        config.master_key_file = value.as<std::string>();
      } else if (key == "web") {
        config.web_dir = value.as<std::string>();
      } else if (key == "tls") {
        if (!value.IsMap()) return invalidArgument(where + ": {certificate: FILE, key: FILE}");
        for (const auto& tls : value) {
          const std::string k = tls.first.as<std::string>();
          if (k == "certificate") {
            config.http.tls_certificate_file = tls.second.as<std::string>();
          } else if (k == "key") {
            config.http.tls_key_file = tls.second.as<std::string>();
          } else {
            return invalidArgument(
                fmt::format("{}.{}: unknown setting (known: certificate, key)", where, k));
          }
        }
      } else {
        return invalidArgument(fmt::format(
            "{}: unknown setting (known: listen, data, topology, transceivers, equipment, "
            "margin_db, driver, devices, device_timeout_ms, reconcile_seconds, work_lease_seconds, "
            "packet_gbps_per_fiber, price_book, "
            "rate_limit_tenant, "
            "rate_limit_unauthenticated, "
            "max_keys_per_tenant, max_webhooks_per_tenant, event_streams_per_key, "
            "event_streams_per_tenant, "
            "log_level, workflow_threads, rate_limit, master_key_file, web, tls, insecure_http, "
            "retain_events_days, retain_orders_days, retain_audit_days, access_token_seconds, "
            "max_oauth_clients_per_tenant, key_rotation_days, cloud)",
            where));
      }
    }
  } catch (const YAML::Exception& e) {
    return invalidArgument(fmt::format("{}:{}: {}", path, e.mark.line + 1, e.msg));
  }
  return Status::ok();
}

namespace {

// The first operator key goes to a file only its owner may read, never over it.
Status writeKeyFile(const std::string& path, const std::string& secret) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return unavailable(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  (void)::fchmod(fd, 0600);
  const std::string line = secret + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return unavailable(fmt::format("{}: cannot write", path));
  return Status::ok();
}

// What serve writes (the store and its WAL, device journals, keys) is the owner's alone: it holds
// webhook secrets and key hashes. New files 0600 and directories 0700 (umask), and a data
// directory made by an older version is tightened the same way.
void keepDataPrivate(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  const auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
  fs::permissions(data_dir, owner_only | fs::perms::owner_exec, error);
  for (const auto& entry : fs::recursive_directory_iterator(data_dir, error)) {
    if (entry.is_symlink(error)) continue;
    fs::permissions(entry.path(),
                    entry.is_directory(error) ? owner_only | fs::perms::owner_exec : owner_only,
                    error);
  }
}

// The master key kept in the data directory would go wherever the database is copied.
Status checkMasterKeyApart(const std::string& key_file, const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path key = fs::weakly_canonical(fs::absolute(key_file, error), error);
  const fs::path data = fs::weakly_canonical(fs::absolute(data_dir, error), error);
  auto [d, k] = std::mismatch(data.begin(), data.end(), key.begin(), key.end());
  if (d != data.end()) return Status::ok();
  return invalidArgument(
      fmt::format("the master key {} is inside the data directory {}, and would be copied with the "
                  "database: set master_key_file (or LIGHTPATH_MASTER_KEY) to keep it elsewhere",
                  key_file, data_dir));
}

}  // namespace

Result<MasterKey> loadServeMasterKey(const ServeConfig& config) {
  const std::string master_file =
      config.master_key_file.empty() ? defaultMasterKeyFile() : config.master_key_file;
  if (std::getenv("LIGHTPATH_MASTER_KEY") == nullptr)
    LP_RETURN_IF_ERROR(checkMasterKeyApart(master_file, config.stack.data_dir));
  return loadMasterKey(master_file);
}

namespace {

// The portal's directory: as configured, else where `cmake --install` puts it beside the
// executable (PREFIX/share/lightpath/web), else web/dist of the source tree the executable was
// built in (build/apps/lightpath/lightpath), else ./web/dist.
std::string findWebDir(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  std::vector<std::filesystem::path> candidates;
  if (!error) {
    candidates.push_back(exe.parent_path() / "../share/lightpath/web");
    candidates.push_back(exe.parent_path() / "../../../web/dist");
  }
  candidates.emplace_back("web/dist");
  for (const auto& c : candidates) {
    if (std::filesystem::is_regular_file(c / "index.html", error))
      return std::filesystem::weakly_canonical(c, error).string();
  }
  return "";
}

}  // namespace

Result<std::unique_ptr<Server>> Server::start(const ServeConfig& config, std::ostream& out) {
  LP_RETURN_IF_ERROR(setLogLevel(config.log_level));
  LP_RETURN_IF_ERROR(setLogFormat(config.log_format));
  std::unique_ptr<Server> server(new Server());
  ::umask(077);
  // Loaded before the stack: recovery may push encrypted connections' keys to devices.
  LP_ASSIGN_OR_RETURN(MasterKey master, loadServeMasterKey(config));
  if (master.created) {
    out << "made the master key that seals secrets in the store: " << master.source
        << " (keep a copy apart from the database; every instance sharing it needs the same)\n";
  }
  StackConfig stack_config = config.stack;
  stack_config.sealer = master.sealer;
  LP_ASSIGN_OR_RETURN(auto stack, buildStack(stack_config));
  keepDataPrivate(config.stack.data_dir);
  server->stack_ = std::move(stack);
  Stack& s = *server->stack_;
  server->sealer_ = std::move(master.sealer);
  // The API is made after the runner; the runner reports into the API's metrics once it exists.
  server->workflows_ = std::make_unique<WorkflowRunner>(
      *s.provisioner, s.clock,
      WorkflowRunner::Options{.threads = config.workflow_threads, .tick = config.schedule_tick},
      [server = server.get()](const std::string&, const char* job, const Status& result,
                              std::chrono::microseconds took) {
        if (server->api_)
          server->api_->metrics().recordWorkflow(job, result.isOk(), took.count() / 1e6);
      });
  LP_ASSIGN_OR_RETURN(std::size_t sealed, sealWebhookSecrets(*s.store, *server->sealer_));
  if (sealed > 0) log().info("sealed {} webhook secrets kept in clear", sealed);
  server->webhooks_ =
      std::make_unique<WebhookDispatcher>(*s.store, s.clock, config.webhooks, &*server->sealer_);
  const std::string web_dir = findWebDir(config.web_dir);
  if (!web_dir.empty()) {
    auto files = StaticFiles::load(web_dir);
    if (!files) {
      if (!config.web_dir.empty()) return fail(files.error());  // asked for: must work
      log().warn("portal: {}", files.error().message());
    } else {
      server->portal_ = std::move(*files);
    }
  }
  LP_ASSIGN_OR_RETURN(auto api,
                      Api::create({.provisioner = s.provisioner.get(),
                                   .workflows = server->workflows_.get(),
                                   .store = s.store.get(),
                                   .topology = s.topology,
                                   .ledger = s.ledger.get(),
                                   .clock = &s.clock,
                                   .webhooks = server->webhooks_.get(),
                                   .portal = server->portal_ ? &*server->portal_ : nullptr,
                                   .price_book = &s.price_book,
                                   .sealer = &*server->sealer_},
                                  config.limits));
  server->api_ = std::move(api);
  LP_ASSIGN_OR_RETURN(auto secret, server->api_->ensureOperatorKey());
  const std::string key_file =
      (std::filesystem::path(config.stack.data_dir) / "operator.key").string();
  if (!secret.empty()) {
    LP_RETURN_IF_ERROR(writeKeyFile(key_file, secret));
    out << "operator API key (shown once; also in " << key_file
        << ", readable by its owner only):\n  " << secret << "\n";
  }
  // Beyond loopback, HTTPS unless told otherwise: keys and secrets must not cross a network in
  // clear. Without a certificate of its own, a self-signed one, kept in the data directory.
  HttpServerOptions http_options = config.http;
  std::string tls_note;
  if (http_options.tls_certificate_file.empty() && !isLoopbackHost(http_options.host) &&
      !config.insecure_http) {
    LP_ASSIGN_OR_RETURN(
        auto cert,
        ensureSelfSignedCertificate((std::filesystem::path(config.stack.data_dir) / "tls").string(),
                                    {http_options.host}));
    http_options.tls_certificate_file = cert.certificate_file;
    http_options.tls_key_file = cert.key_file;
    tls_note = fmt::format(
        "  TLS:     {} self-signed certificate {},\n"
        "           SHA-256 fingerprint {}\n"
        "           (clients pin it: lightpath --pin FINGERPRINT, or trust the file; a "
        "certificate\n"
        "           of your own: tls:, plain HTTP: --insecure-http)\n",
        cert.created ? "made a" : "the", cert.certificate_file, cert.fingerprint);
  }
  if (CloudSim* cloudsim = s.cloudsim.get()) {
    http_options.mounts.emplace_back(
        "/cloudsim", [cloudsim](const HttpRequest& request) { return cloudsim->handle(request); });
  }
  server->webhooks_->start();
  auto http = HttpServer::start(*server->api_, http_options);
  if (!http) return fail(http.error());
  server->http_ = std::move(*http);
  server->api_->setReady(true);
  server->housekeeper_ = std::thread([server = server.get(), ttl = config.idempotency_ttl,
                                      retention = config.retention] {
    std::unique_lock lock(server->housekeeping_mutex_);
    bool first = true;  // the API loaded the signing keys just now
    do {
      lock.unlock();
      auto expired = server->api_->expireIdempotencyRecords(server->stack_->clock.now() - ttl);
      if (!expired) log().warn("housekeeping: {}", expired.error().toString());
      if (Status rotated = first ? Status::ok() : server->api_->rotateSigningKeys();
          !rotated.isOk())
        log().warn("housekeeping: signing keys: {}", rotated.toString());
      first = false;
      if (server->stack_->store->leads()) {  // one instance prunes for all
        auto pruned =
            pruneOldRecords(*server->stack_->store, server->stack_->clock.now(), retention);
        if (!pruned) {
          log().warn("housekeeping: {}", pruned.error().toString());
        } else if (pruned->events + pruned->orders + pruned->audit > 0) {
          log().info("housekeeping: past their retention: {} events, {} orders, {} audit entries",
                     pruned->events, pruned->orders, pruned->audit);
        }
      }
      lock.lock();
    } while (!server->housekeeping_wake_.wait_for(lock, std::chrono::hours(1),
                                                  [&] { return server->stopping_; }));
  });
  const std::string scheme = http_options.tls_certificate_file.empty() ? "http" : "https";
  const std::string host = config.http.host.find(':') != std::string::npos
                               ? "[" + config.http.host + "]"
                               : config.http.host;
  const std::string devices = config.stack.devices_file.empty()
                                  ? fmt::format("{} devices", config.stack.driver)
                                  : fmt::format("the devices of {} ({} for the rest)",
                                                config.stack.devices_file, config.stack.driver);
  const std::string store = config.stack.store.empty() || config.stack.store.starts_with("sqlite:")
                                ? ""
                                : fmt::format(", store {} (instance {})",
                                              redactedUrl(config.stack.store), s.store->instance());
  out << fmt::format("lightpath serving {} ({} sites, {} fibers) with {}; data in {}{}\n",
                     s.topology->name(), s.topology->sites().size(), s.topology->fibers().size(),
                     devices, config.stack.data_dir, store)
      << fmt::format("  API:     {}://{}:{}/v1/  (OpenAPI: /v1/openapi.json{})\n", scheme, host,
                     server->port(), server->portal_ ? "; reference: /docs" : "")
      << fmt::format("  metrics: {}://{}:{}/metrics\n", scheme, host, server->port())
      << (server->portal_ ? fmt::format("  portal:  {}://{}:{}/\n", scheme, host, server->port())
                          : std::string("  portal:  not built (scripts/build-web.sh)\n"))
      << tls_note << std::flush;
  return server;
}

Server::~Server() { stop(); }

void Server::stop() {
  {
    std::lock_guard lock(housekeeping_mutex_);
    stopping_ = true;
  }
  housekeeping_wake_.notify_all();
  if (housekeeper_.joinable()) housekeeper_.join();
  if (api_) api_->setReady(false);
  if (http_) http_->stop();
  if (workflows_) workflows_->stop();
  if (webhooks_) webhooks_->stop();
  if (stack_) stack_->store->leave();
}

}  // namespace lightpath
