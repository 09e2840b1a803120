// Connection keys: made, sealed, opened for devices.
#include "lightpath/orchestrator/encryption_keys.h"

#include <fmt/format.h>

#include "lightpath/base/crypto.h"
#include "lightpath/southbound/entries.h"

namespace lightpath {
namespace {

std::string contextOf(const std::string& connection, const std::string& key_id) {
  return fmt::format("connection-key/{}/{}", connection, key_id);
}

}  // namespace

EncryptionKey makeEncryptionKey(const Sealer& sealer, const std::string& connection,
                                TimePoint now) {
  EncryptionKey key{.id = randomHex(16), .created = now};
  const std::string secret = randomHex(32);
  key.sealed = sealer.seal(secret, contextOf(connection, key.id));
  key.fingerprint = keyFingerprint(secret);
  return key;
}

Result<std::optional<EncryptionIntent>> encryptionIntent(const Connection& c,
                                                         const Sealer* sealer) {
  const Encryption mode = c.requested().encryption;
  if (mode == Encryption::None || !c.current().keys) return std::optional<EncryptionIntent>{};
  const EncryptionKeys& keys = *c.current().keys;
  EncryptionIntent intent{.mode = std::string(toString(mode)), .keys = {}, .active = keys.active};
  for (const EncryptionKey& k : keys.installed) {
    std::string secret;
    if (sealer) {
      auto opened = sealer->open(k.sealed, contextOf(c.id(), k.id));
      if (!opened) {
        return fail(failedPrecondition(fmt::format("connection {}: key {} does not open: {}",
                                                   c.id(), k.id, opened.error().message())));
      }
      secret = std::move(*opened);
    }
    intent.keys.push_back({k.id, std::move(secret), k.fingerprint});
  }
  return std::optional<EncryptionIntent>(std::move(intent));
}

EncryptionKeys firstKeys(EncryptionKey key, TimePoint now, std::chrono::seconds period) {
  EncryptionKeys keys{
      .installed = {}, .active = key.id, .rotated_at = now, .next_rotation = now + period};
  keys.installed.push_back(std::move(key));
  return keys;
}

}  // namespace lightpath
