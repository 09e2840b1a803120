// The simulator's frame: dispatch by provider, the clock that moves accepted hand-shakes on, and
// the state file (written whole to a temporary file, then renamed over: never half written).
#include "lightpath/cloudsim/cloud_sim.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lightpath/cloudsim/internal/replies.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

using nlohmann::json;

CloudSim::CloudSim(CloudSimOptions options) : options_(std::move(options)) {
  state_ = {{"aws", json::object()},
            {"azure", json::object()},
            {"google", json::object()},
            {"google_partner", json::object()}};
}

Result<std::unique_ptr<CloudSim>> CloudSim::open(CloudSimOptions options) {
  std::unique_ptr<CloudSim> sim(new CloudSim(std::move(options)));
  const std::string& file = sim->options_.state_file;
  if (!file.empty() && std::filesystem::exists(file)) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    json loaded = json::parse(text.str(), nullptr, false);
    if (loaded.is_discarded() || !loaded.is_object())
      return fail(
          invalidArgument(fmt::format("{}: not a cloud simulator state (JSON object)", file)));
    for (const char* part : {"aws", "azure", "google", "google_partner"}) {
      if (loaded.contains(part) && !loaded[part].is_object())
        return fail(invalidArgument(fmt::format("{}: {} must be an object", file, part)));
      if (loaded.contains(part)) sim->state_[part] = loaded[part];
    }
  }
  return sim;
}

TimePoint CloudSim::now() const { return (options_.clock ? *options_.clock : system_clock_).now(); }

Status CloudSim::save() {
  dirty_ = true;  // in a store: written when the request's transaction commits
  if (options_.store || options_.state_file.empty()) return Status::ok();
  const std::string temporary = options_.state_file + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << state_.dump(1) << "\n";
    if (!out.good()) return unavailable(fmt::format("{}: cannot write", temporary));
  }
  std::error_code error;
  std::filesystem::rename(temporary, options_.state_file, error);
  if (error) return unavailable(fmt::format("{}: {}", options_.state_file, error.message()));
  return Status::ok();
}

void CloudSim::advance() {
  const TimePoint t = now();
  bool moved = false;
  auto due = [&](const json& o) {
    auto since = parseTime(o.value("since", std::string()));
    return since && *since + options_.bring_up <= t;
  };
  for (auto& [id, c] : state_["aws"].items()) {
    if (c.value("connectionState", "") == "pending" && due(c)) {
      c["connectionState"] = "available";
      moved = true;
    }
  }
  for (auto& [key, c] : state_["azure"].items()) {
    if (!c.contains("links") || !c["links"].is_object()) continue;
    for (auto& [name, link] : c["links"].items()) {
      if (link.value("state", "") == "Provisioning" && due(link)) {
        link["state"] = "Provisioned";
        c["serviceProviderProvisioningState"] = "Provisioned";
        moved = true;
      }
    }
  }
  if (moved) (void)save();
}

HttpResponse CloudSim::handle(const HttpRequest& request) {
  std::lock_guard lock(mutex_);
  if (!options_.store) return guarded(request);
  // In the store: this request's read, change and write are one transaction, so instances
  // sharing the database share one simulator.
  HttpResponse response;
  Status done = options_.store->transact([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(auto stored, tx.document("cloudsim", "state"));
    state_ = json::object();
    if (stored) {
      json loaded = json::parse(stored->body, nullptr, false);
      if (loaded.is_object()) state_ = std::move(loaded);
    }
    for (const char* part : {"aws", "azure", "google", "google_partner"}) {
      if (!state_.contains(part) || !state_[part].is_object()) state_[part] = json::object();
    }
    dirty_ = false;
    response = guarded(request);
    if (!dirty_) return Status::ok();
    return tx.putDocument(
        {.kind = "cloudsim", .id = "state", .tenant = "", .body = state_.dump(), .seq = 0});
  });
  if (!done.isOk()) return cloudsim::errorReply(503, "ServiceUnavailable", done.message());
  return response;
}

HttpResponse CloudSim::guarded(const HttpRequest& request) {
  // A request the simulator cannot make sense of is its error, never the process's end.
  try {
    advance();
    return route(request);
  } catch (const std::exception& e) {
    return cloudsim::errorReply(500, "InternalError", std::string("the simulator: ") + e.what());
  }
}

HttpResponse CloudSim::route(const HttpRequest& request) {
  std::vector<std::string> path;
  std::string_view rest = request.path;
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    if (slash != 0) path.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (path.size() >= 2 && path[0] == "cloudsim") {
    if (path[1] == "aws") return aws(request);
    if (path[1] == "azure") return azure(request, {path.begin() + 2, path.end()});
    if (path[1] == "google") return google(request, {path.begin() + 2, path.end()});
  }
  return cloudsim::errorReply(404, "NotFound",
                              "the cloud simulator serves /cloudsim/aws, /cloudsim/azure and "
                              "/cloudsim/google");
}

}  // namespace lightpath
