// How one vendor's YANG model holds Lightpath's entries (southbound/entries.h). A dialect
// renders entries into the <config> of an <edit-config> and reads them back from a <get-config>,
// so the same intent lands on an OpenConfig-style terminal device, an OpenROADM-style ROADM or a
// switch, and reads back equal: drift is a difference of entries, whatever the device.
// Every list entry written is named by the entry's key (which holds the connection id) and
// described by its owner, so anyone can find on the device what a connection owns.
//
//   auto dialect = makeDialect("openroadm", bandStart);
//   std::string config = (*dialect)->edit(change.set, change.remove, on_device).value();
//   std::vector<ConfigEntry> back = (*dialect)->parse(getConfigReply).value();
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/base/status.h"
#include "lightpath/southbound/device.h"

namespace lightpath {

// The low edge of a fiber's band in MHz (slot n of an entry's "first+count" starts at
// edge + n x 12.5 GHz); nullopt for a fiber the network does not have.
using BandStart = std::function<std::optional<std::uint64_t>(const std::string& fiber)>;

class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual std::string_view name() const = 0;
  // The YANG module a device of this dialect loads (yang/<module>.yang).
  virtual std::string_view module() const = 0;
  virtual bool crossConnects() const = 0;
  virtual bool cloudAttachments() const = 0;

  // The <config> content setting these entries (each replaced whole) and removing those keys.
  // `present` is what the device holds of them now: only what is there is removed (netconfd
  // 2.13 turns a "remove" of a missing list entry into an empty entry and fails its validation).
  // InvalidArgument naming the entry when the model cannot hold it.
  virtual Result<std::string> edit(const std::vector<ConfigEntry>& set,
                                   const std::vector<std::string>& remove,
                                   const std::map<std::string, ConfigEntry>& present) const = 0;
  // The subtree filter selecting every list this dialect writes.
  virtual std::string filter() const = 0;
  // Lightpath's entries in a <get-config> reply (XML text holding <data>); list entries that
  // Lightpath did not write (their names are not its keys) are not its business and are skipped.
  // InvalidArgument, with the entry, when the device holds something unreadable.
  virtual Result<std::vector<ConfigEntry>> parse(std::string_view reply) const = 0;
};

// "openconfig", "openroadm" or "switch"; InvalidArgument naming those for anything else.
Result<std::unique_ptr<Dialect>> makeDialect(std::string_view name, BandStart band_start);
std::vector<std::string> dialectNames();

}  // namespace lightpath
