// The NETCONF device.
#include "lightpath/southbound/drivers/netconf/netconf_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "lightpath/model/topology.h"
#include "lightpath/southbound/entries.h"

namespace lightpath {
namespace {
constexpr auto kFirstBackoff = std::chrono::milliseconds(200);
constexpr auto kMaxBackoff = std::chrono::seconds(30);
}  // namespace

NetconfDevice::NetconfDevice(std::string name, NetconfAccess access,
                             std::unique_ptr<Dialect> dialect)
    : name_(std::move(name)),
      access_(std::move(access)),
      dialect_(std::move(dialect)),
      jitter_(std::hash<std::string>{}(name_)) {}

NetconfDevice::~NetconfDevice() = default;

const CrossConnect* NetconfDevice::crossConnect() const {
  return dialect_->crossConnects() ? this : nullptr;
}
const CloudOnRamp* NetconfDevice::cloudOnRamp() const {
  return dialect_->cloudAttachments() ? this : nullptr;
}
ConfigEntry NetconfDevice::crossConnect(const CrossConnectIntent& intent) const {
  return crossConnectEntry(intent);
}
ConfigEntry NetconfDevice::clientService(const ClientServiceIntent& intent) const {
  return clientServiceEntry(intent);
}
ConfigEntry NetconfDevice::cloudAttachment(const CloudAttachmentIntent& intent) const {
  return cloudAttachmentEntry(intent);
}

Result<NetconfSession*> NetconfDevice::session() {
  if (session_ && !session_->broken()) return session_.get();
  session_.reset();
  const auto now = std::chrono::steady_clock::now();
  if (now < retry_at_) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(retry_at_ - now);
    return fail(unavailable(
        fmt::format("not answering (trying again in {} ms): {}", wait.count(), last_error_)));
  }
  auto opened = NetconfSession::open(access_);
  if (!opened) {
    // Back off exponentially with jitter, so a fleet does not reconnect in lockstep.
    const double factor = std::pow(2.0, std::min(failures_++, 8)) * (0.5 + jitter_.uniform());
    retry_at_ = now + std::min<std::chrono::milliseconds>(
                          std::chrono::milliseconds(static_cast<std::int64_t>(
                              static_cast<double>(kFirstBackoff.count()) * factor)),
                          kMaxBackoff);
    last_error_ = opened.error().message();
    return fail(opened.error());
  }
  failures_ = 0;
  ++sessions_opened_;
  session_ = std::move(*opened);
  return session_.get();
}

template <typename Fn>
auto NetconfDevice::withSession(Fn fn, bool read_only)
    -> decltype(fn(std::declval<NetconfSession&>())) {
  for (int attempt = 0;; ++attempt) {
    auto s = session();
    if (!s) return fail(s.error());
    auto result = fn(**s);
    if (result || !(*s)->broken() || !read_only || attempt > 0) return result;
  }
}

Datastore NetconfDevice::target() const {
  return session_->supports(":candidate") ? Datastore::Candidate : Datastore::Running;
}

Status NetconfDevice::validate(const DeviceChange& change) const {
  if (change.transaction.empty()) return invalidArgument("a change needs a transaction id");
  return statusOf(dialect_->edit(change.set, change.remove, {}));
}

Status NetconfDevice::prepare(const DeviceChange& change) {
  LP_RETURN_IF_ERROR(validate(change));
  std::lock_guard lock(mutex_);
  if (prepared_.contains(change.transaction)) return Status::ok();  // idempotent
  // The edit removes only what the device holds (see Dialect::edit).
  LP_ASSIGN_OR_RETURN(std::vector<ConfigEntry> all, readAll());
  std::map<std::string, ConfigEntry> present;
  for (ConfigEntry& e : all) present[e.key] = std::move(e);
  LP_ASSIGN_OR_RETURN(std::string edit, dialect_->edit(change.set, change.remove, present));
  // The device checks the edit against its model now, so that a refusal leaves every device of
  // the change as it was (nothing has been applied anywhere yet).
  LP_RETURN_IF_ERROR(statusOf(withSession(
      [&](NetconfSession& s) -> Result<bool> {
        if (!s.supports(":validate")) return true;
        LP_RETURN_IF_ERROR(s.edit(target(), edit, /*test_only=*/true));
        return true;
      },
      /*read_only=*/true)));
  prepared_[change.transaction] = std::move(edit);
  return Status::ok();
}

Status NetconfDevice::apply(const std::string& transaction) {
  std::lock_guard lock(mutex_);
  auto it = prepared_.find(transaction);
  if (it == prepared_.end()) {
    return failedPrecondition(
        fmt::format("{}: nothing prepared for transaction {}", name_, transaction));
  }
  Status applied = statusOf(withSession(
      [&](NetconfSession& s) -> Result<bool> {
        if (target() == Datastore::Running) {
          LP_RETURN_IF_ERROR(s.edit(Datastore::Running, it->second, false));
          return true;
        }
        Status done = s.edit(Datastore::Candidate, it->second, false);
        if (done.isOk()) done = s.commit();
        // Whatever failed, the candidate must not keep half of it for the next change.
        if (!done.isOk() && !s.broken()) (void)s.discardChanges();
        LP_RETURN_IF_ERROR(done);
        return true;
      },
      /*read_only=*/false));
  if (applied.isOk()) prepared_.erase(it);
  return applied;
}

Status NetconfDevice::abort(const std::string& transaction) {
  std::lock_guard lock(mutex_);
  prepared_.erase(transaction);
  return Status::ok();
}

Result<std::vector<ConfigEntry>> NetconfDevice::readAll() {
  return withSession(
      [&](NetconfSession& s) -> Result<std::vector<ConfigEntry>> {
        LP_ASSIGN_OR_RETURN(std::string reply, s.getConfig(Datastore::Running, dialect_->filter()));
        return dialect_->parse(reply);
      },
      /*read_only=*/true);
}

Result<std::vector<ConfigEntry>> NetconfDevice::running() {
  std::lock_guard lock(mutex_);
  return readAll();
}

Result<std::vector<ConfigEntry>> NetconfDevice::read(const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  LP_ASSIGN_OR_RETURN(std::vector<ConfigEntry> all, readAll());
  const std::set<std::string> wanted(keys.begin(), keys.end());
  std::erase_if(all, [&](const ConfigEntry& e) { return !wanted.contains(e.key); });
  return all;
}

Result<std::vector<EntryStatus>> NetconfDevice::status() {
  std::lock_guard lock(mutex_);
  auto entries = readAll();
  if (!entries) return fail(entries.error());
  std::vector<EntryStatus> out;
  for (const ConfigEntry& e : *entries) out.push_back({e.key, e.owner, true});
  return out;
}

Result<bool> NetconfDevice::nodeUp() {
  std::lock_guard lock(mutex_);
  return readAll().has_value();
}

Status registerNetconfDriver(DriverRegistry& registry, std::map<std::string, NetconfNode> devices) {
  return registry.add(
      "netconf",
      [devices =
           std::move(devices)](const DriverContext& context) -> Result<std::shared_ptr<Device>> {
        auto it = devices.find(context.node.id);
        if (it == devices.end()) {
          return fail(notFound("the devices file does not say how to reach it"));
        }
        const Topology* topology = context.topology;
        BandStart band = [topology](const std::string& fiber) -> std::optional<std::uint64_t> {
          if (!topology) return std::nullopt;
          auto f = topology->findFiber(fiber);
          if (!f) return std::nullopt;
          return static_cast<std::uint64_t>(std::llround(topology->fiber(*f).band.start_thz * 1e6));
        };
        LP_ASSIGN_OR_RETURN(auto dialect, makeDialect(it->second.dialect, std::move(band)));
        return std::shared_ptr<Device>(std::make_shared<NetconfDevice>(
            context.node.id, it->second.access, std::move(dialect)));
      });
}

}  // namespace lightpath
