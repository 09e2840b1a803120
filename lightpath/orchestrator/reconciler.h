// Invariants and drift. check(): every invariant of ledger, store and devices that does not hold
// (`lightpath admin check`). reconcile(): where a device's running configuration differs from
// what the services need — entries of active connections missing or changed, entries no live
// connection owns — and, with repair, one all-or-nothing change per drifted device (`lightpath
// admin reconcile`). Entries of connections in the middle of a workflow are left to it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lightpath/service/connection.h"
#include "lightpath/southbound/device.h"

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
  ReconcileReport reconcile(bool repair);

 private:
  // The drift, per node the change that puts it right, and the devices that cannot be read.
  ReconcileReport deviceDrift(const std::map<std::string, Connection>& live,
                              std::map<std::string, DeviceChange>& fixes) const;

  OrchestratorContext& ctx_;
};

}  // namespace lightpath
