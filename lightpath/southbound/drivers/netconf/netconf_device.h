// A real device, driven over NETCONF: Lightpath's entries rendered by the device's dialect,
// validated by the device before anything runs, then applied atomically on the device.
//
// prepare = the device validates the edit (<edit-config> test-only, when it has :validate); a
// refusal (a YANG range, a lock held by someone else) is FailedPrecondition with the device's
// words. apply = <edit-config> to the candidate + <commit> when the device has :candidate, else
// to running; both with rollback-on-error, so one device's change is whole or nothing, and the
// multi-device change undoes the others. running/read = <get-config> filtered to the dialect's
// lists. Telemetry: the device answers (the schedule's health poll, which doubles as the
// session's keepalive).
//
// One session per device, kept open and reused; a broken one is replaced on the next call, after
// a backoff with jitter while the device keeps failing. Thread-safe (calls are serialised).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "lightpath/base/random.h"
#include "lightpath/southbound/drivers/netconf/dialect.h"
#include "lightpath/southbound/drivers/netconf/session.h"
#include "lightpath/southbound/registry.h"

namespace lightpath {

class NetconfDevice final : public Device, CrossConnect, ClientPort, CloudOnRamp, Telemetry {
 public:
  NetconfDevice(std::string name, NetconfAccess access, std::unique_ptr<Dialect> dialect);
  ~NetconfDevice() override;

  const std::string& name() const override { return name_; }
  Status validate(const DeviceChange& change) const override;
  Status prepare(const DeviceChange& change) override;
  Status apply(const std::string& transaction) override;
  Status abort(const std::string& transaction) override;
  Result<std::vector<ConfigEntry>> running() override;
  Result<std::vector<ConfigEntry>> read(const std::vector<std::string>& keys) override;

  const CrossConnect* crossConnect() const override;
  const ClientPort* clientPort() const override { return this; }
  const CloudOnRamp* cloudOnRamp() const override;
  Telemetry* telemetry() override { return this; }
  ConfigEntry crossConnect(const CrossConnectIntent& intent) const override;
  ConfigEntry clientService(const ClientServiceIntent& intent) const override;
  ConfigEntry cloudAttachment(const CloudAttachmentIntent& intent) const override;
  Result<std::vector<EntryStatus>> status() override;
  Result<bool> nodeUp() override;
  std::uint64_t epoch() const override { return sessions_opened_.load(); }

 private:
  // With the mutex held: the open session, or a new one (Unavailable while backing off).
  Result<NetconfSession*> session();
  // Runs `fn` on the session; a read-only call that finds the session broken by the device
  // (closed while idle) is tried once more on a new one.
  template <typename Fn>
  auto withSession(Fn fn, bool read_only) -> decltype(fn(std::declval<NetconfSession&>()));
  Result<std::vector<ConfigEntry>> readAll();  // with the mutex held
  Datastore target() const;                    // with a session open

  const std::string name_;
  const NetconfAccess access_;
  const std::unique_ptr<Dialect> dialect_;
  std::mutex mutex_;
  std::unique_ptr<NetconfSession> session_;
  std::map<std::string, std::string> prepared_;  // transaction -> the rendered edit
  std::chrono::steady_clock::time_point retry_at_{};
  int failures_ = 0;
  std::atomic<std::uint64_t> sessions_opened_{0};
  std::string last_error_;
  Random jitter_;
};

// Where and how each node's device is reached: `devices` maps node ids to their access and
// dialect. The registry's "netconf" driver builds the device of a listed node, with fiber bands
// from the context's topology.
struct NetconfNode {
  NetconfAccess access;
  std::string dialect;
};
Status registerNetconfDriver(DriverRegistry& registry, std::map<std::string, NetconfNode> devices);

}  // namespace lightpath
