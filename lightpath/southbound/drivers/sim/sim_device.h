// The simulated device: an in-process ROADM or switch that holds a running configuration and
// behaves like a real one under test, with configurable latency, random failures, a failure
// at a chosen step, and hangs. Used by default (`lightpath serve` with no devices) and by every
// fault and crash test.
#pragma once

#include <chrono>
#include <mutex>
#include <set>

#include "lightpath/base/clock.h"
#include "lightpath/base/random.h"
#include "lightpath/southbound/device.h"
#include "lightpath/southbound/drivers/sim/entry_table.h"
#include "lightpath/southbound/registry.h"
#include "lightpath/store/store.h"

namespace lightpath {

struct SimFaults {
  std::chrono::microseconds latency{0};  // every call sleeps this long
  double failure_rate = 0.0;             // each prepare/apply fails with this probability
  std::optional<std::string> fail_at;    // "prepare" or "apply": always fail there
  std::optional<std::string> hang_at;    // "prepare" or "apply": sleep for `hang` first
  std::chrono::milliseconds hang{0};
  int hangs = -1;                       // how many times it hangs; -1: every time
  bool down = false;                    // telemetry reports the node and every service down
  std::size_t max_entries = 4'000'000;  // the table's size (a core router's holds millions)
};

// Plays every role (ROADM cross-connects, client services, cloud attachments, telemetry), with
// readable entries: "xc/<connection>/<leg>", "evc/<connection>/<leg>", "cloud/<connection>".
// Each entry with a rate ("mbps") counts the bytes it carries, as a switch counts a service's
// octets: the full rate, on `clock`'s time, while the device is up.
class SimDevice final : public Device, CrossConnect, ClientPort, CloudOnRamp, Telemetry {
 public:
  // `clock`: none, the system's.
  explicit SimDevice(std::string name, SimFaults faults = {}, std::uint64_t seed = 1,
                     const Clock* clock = nullptr);

  const std::string& name() const override { return name_; }
  Status validate(const DeviceChange& change) const override;
  Status prepare(const DeviceChange& change) override;
  Status apply(const std::string& transaction) override;
  Status abort(const std::string& transaction) override;
  Result<std::vector<ConfigEntry>> running() override;
  Result<std::vector<ConfigEntry>> read(const std::vector<std::string>& keys) override;

  const CrossConnect* crossConnect() const override { return this; }
  const ClientPort* clientPort() const override { return this; }
  const CloudOnRamp* cloudOnRamp() const override { return this; }
  Telemetry* telemetry() override { return this; }
  ConfigEntry crossConnect(const CrossConnectIntent& intent) const override;
  ConfigEntry clientService(const ClientServiceIntent& intent) const override;
  ConfigEntry cloudAttachment(const CloudAttachmentIntent& intent) const override;
  Result<std::vector<EntryStatus>> status() override;
  Result<bool> nodeUp() override;
  Result<std::map<std::string, std::uint64_t>> octets(
      const std::vector<std::string>& keys) override;

  // Keeps the running configuration in `path`, a journal of applied changes (one JSON line
  // each), so the device outlives the process as a real box would: a restart, even after
  // SIGKILL, finds it as it was, its counters counted on through the time it was away (a box
  // forwards while its controller restarts). Loads what is there (a torn last line is a change
  // never applied; it is then rewritten without it), then appends every change before applying
  // it, compacting when the journal grows past twice the configuration.
  Status keepIn(const std::string& path);
  // Keeps the running configuration in `store` instead (documents "sim-entry", one per entry,
  // under the node), where every instance sharing the store sees the same device. Reads go to
  // the store each time.
  void keepInStore(Store* store);
  ~SimDevice() override;

  // Test hooks: change faults at run time (a device down stops counting; not journaled); edit the
  // running config behind Lightpath's back (drift, as when an engineer touches the box).
  void setFaults(SimFaults faults);
  void tamper(ConfigEntry entry);
  std::size_t preparedCount() const;

  using Counter = EntryTable::Counter;

 private:
  double bytesPerSecond(std::string_view mbps) const;  // of a rate value; 0 while down
  double countedBy(const EntryTable::Ref& entry, TimePoint now) const;
  // An entry's counter up to now at its rate (a new entry's: zero), with the mutex held.
  Counter settled(const std::string& key, TimePoint now) const;
  void settleCounters(TimePoint now);  // with the mutex held: before the rates change
  // A stored entry's counter now (keepInStore); none when it counts nothing.
  std::optional<double> storedCount(const std::string& body, TimePoint now) const;
  // One journal line: its changes applied to the running configuration (keepIn).
  Status replay(std::string_view line, std::size_t padding);
  Status maybeFail(const char* step);
  Status compact();  // with the mutex held
  Status storeChange(const DeviceChange& change);
  Result<std::vector<ConfigEntry>> storedEntries(const std::vector<std::string>* keys) const;

  const std::string name_;
  mutable std::mutex mutex_;
  SimFaults faults_;
  Random random_;
  EntryTable running_;
  const Clock* clock_;
  std::map<std::string, DeviceChange> prepared_;
  int journal_fd_ = -1;
  std::string journal_path_;
  std::size_t journal_lines_ = 0;
  Store* store_ = nullptr;
};

// Registers "sim": one simulated device per node, keeping its configuration in the context's
// store when several instances share it, else under its state_dir when there is one
// (devices/<node>.jsonl).
Status registerSimDriver(DriverRegistry& registry, const SimFaults& faults = {});

}  // namespace lightpath
