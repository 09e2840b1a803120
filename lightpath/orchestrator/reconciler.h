// Invariants and drift. check(): every invariant of ledger, store and devices that does not hold
// (`lightpath admin check`). reconcile(): where a device's running configuration differs from
// what the services need — entries of active connections missing or changed, entries no live
// connection owns — and, with repair, a change per drifted connection and node (`lightpath admin
// reconcile`). Entries of connections in the middle of a workflow are left to it.
//
// Both sweep the book in bounded memory and without stopping the service: live connections a
// page at a time, each page's entries read from the devices by key; then each device's running
// configuration, one device at a time, against a hashed set of the entries needed. Only what
// looks wrong is checked again, under its connection's lock, before it is reported or repaired.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lightpath/service/connection.h"

namespace lightpath {

class OrchestratorContext;

struct ReconcileReport {
  std::vector<std::string> drift;     // one line per difference
  std::vector<std::string> repaired;  // nodes put right
  std::vector<std::string> failed;    // devices that could not be read or repaired, and why
  bool clean(bool repair) const { return failed.empty() && (repair || drift.empty()); }
};

class Reconciler {
 public:
  explicit Reconciler(OrchestratorContext& ctx) : ctx_(ctx) {}

  std::vector<std::string> check() const;
  // `stopped`, asked between pages and devices: true ends the sweep early, failed.
  ReconcileReport reconcile(bool repair, const std::function<bool()>& stopped = {}) const;

 private:
  // The sweep; `visit` sees every live connection once (check() counts their holds).
  ReconcileReport sweep(bool repair, const std::function<void(const Connection&)>& visit,
                        const std::function<bool()>& stopped) const;

  OrchestratorContext& ctx_;
};

}  // namespace lightpath
