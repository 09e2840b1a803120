// The keys of encrypted connections: made from the OS's cryptographic generator (256 bits, and a
// 128-bit id that MACsec uses as the CKN), sealed under the master key bound to the connection
// and the key's id, and opened only on their way to a device. What the devices hold of them is
// told apart by fingerprint, so a check needs no master key.
//
//   EncryptionKey k = makeEncryptionKey(sealer, "conn_1", now);
//   LP_ASSIGN_OR_RETURN(auto intent, encryptionIntent(c, &sealer));  // the clear keys, for devices
#pragma once

#include <optional>
#include <string>

#include "lightpath/base/seal.h"
#include "lightpath/service/connection.h"
#include "lightpath/southbound/behaviours.h"

namespace lightpath {

EncryptionKey makeEncryptionKey(const Sealer& sealer, const std::string& connection, TimePoint now);

// A connection's keys as its encrypting ends must hold them (none when it is not encrypted).
// Without a sealer the secrets stay empty (the fingerprints are enough to compare with what a
// device holds); FailedPrecondition when a key does not open (sealed under another master key).
Result<std::optional<EncryptionIntent>> encryptionIntent(const Connection& c, const Sealer* sealer);

// The state of a connection's keys when its first key is made: rotated now, next in `period`.
EncryptionKeys firstKeys(EncryptionKey key, TimePoint now, std::chrono::seconds period);

}  // namespace lightpath
