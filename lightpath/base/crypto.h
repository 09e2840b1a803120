// The few cryptographic pieces Lightpath needs, from OpenSSL: secrets from the OS's generator,
// SHA-256 to store API keys as hashes only, HMAC-SHA256 to sign webhook deliveries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lightpath {

// `bytes` random bytes from the OS, hex-encoded (2 x bytes characters).
std::string randomHex(std::size_t bytes);
// A time-sortable id (base/ids.h) whose 80 random bits come from the OS's cryptographic
// generator: unpredictable.
std::string secureId(std::string_view prefix);
std::string sha256Hex(std::string_view data);
std::string hmacSha256Hex(std::string_view key, std::string_view data);
// The same, the 32 bytes themselves.
std::string hmacSha256(std::string_view key, std::string_view data);
// `bytes` random bytes from the OS.
std::string randomBytes(std::size_t bytes);
// Standard base64 (RFC 4648, padded).
std::string base64Encode(std::string_view data);
// Nothing when `text` is not padded standard base64.
std::optional<std::string> base64Decode(std::string_view text);
// The URL-safe alphabet without padding (RFC 4648 5), as JWTs and URLs use it.
std::string base64UrlEncode(std::string_view data);
std::optional<std::string> base64UrlDecode(std::string_view text);
// A certificate's SHA-256 fingerprint from its DER bytes, as `openssl x509 -fingerprint -sha256`
// prints it: "AB:CD:...".
std::string certificateFingerprint(std::string_view der);
// One 16-byte block through AES-256 (`key`: 32 bytes), a pseudorandom permutation: what it
// makes reveals nothing of the block's order or value without the key.
std::string aes256EncryptBlock(std::string_view key, std::string_view block);
std::string aes256DecryptBlock(std::string_view key, std::string_view block);
// Compares in time independent of where the strings differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace lightpath
