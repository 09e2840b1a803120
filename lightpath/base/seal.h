// Secrets at rest, sealed by envelope encryption: each value is encrypted under a fresh data key
// (AES-256-GCM) and that data key is wrapped under the master key, which lives outside the
// database (a file or the environment). A copy of the database or a backup alone reveals no
// secret. The context (what the value belongs to, e.g. "webhook/whk_1") is authenticated with
// it: a sealed value copied onto another record does not open.
//
//   LP_ASSIGN_OR_RETURN(MasterKey master, loadMasterKey(""));   // the default place
//   std::string stored = master.sealer.seal("whsec_...", "webhook/whk_1");
//   LP_ASSIGN_OR_RETURN(std::string secret, master.sealer.open(stored, "webhook/whk_1"));
#pragma once

#include <string>
#include <string_view>

#include "lightpath/base/status.h"

namespace lightpath {

class Sealer {
 public:
  // `key`: the master key's 32 bytes.
  static Result<Sealer> fromKey(std::string key);
  // "sealed:v1:<key id>:<wrapped data key>:<value>" (both base64: nonce, ciphertext, tag).
  std::string seal(std::string_view plaintext, std::string_view context) const;
  // FailedPrecondition when sealed under another master key (its id named), InvalidArgument when
  // damaged or sealed for another context.
  Result<std::string> open(std::string_view sealed, std::string_view context) const;
  // A key for `purpose` derived from the master key (HMAC-SHA256): every instance with the same
  // master key derives the same one (signed quote ids).
  std::string derive(std::string_view purpose) const;
  // "mk_" and 12 hex digits of a hash of the key: names the key without revealing it.
  const std::string& keyId() const { return key_id_; }
  static bool isSealed(std::string_view value);

 private:
  Sealer(std::string key, std::string key_id) : key_(std::move(key)), key_id_(std::move(key_id)) {}
  std::string key_;
  std::string key_id_;
};

struct MasterKey {
  Sealer sealer;
  std::string source;    // "LIGHTPATH_MASTER_KEY" or the file
  bool created = false;  // a new key was made (and written to `source`)
};

// The master key: the environment's LIGHTPATH_MASTER_KEY (base64 of 32 bytes) when set, else
// `file` (empty: defaultMasterKeyFile()), which is made with a new key, readable by its owner
// only, when missing. Errors name the place and what is wrong.
Result<MasterKey> loadMasterKey(const std::string& file);
// $XDG_CONFIG_HOME/lightpath/master.key, else ~/.config/lightpath/master.key: the user's, not
// the data directory's, so the key is not copied with the database.
std::string defaultMasterKeyFile();

}  // namespace lightpath
