// OpenSSL behind a few functions; failures of the OS's generator are fatal (no key without it).
#include "lightpath/base/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "lightpath/base/check.h"
#include "lightpath/base/ids.h"

namespace lightpath {
namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

}  // namespace

std::string randomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  LP_CHECK(RAND_bytes(buffer.data(), static_cast<int>(bytes)) == 1,
           "the OS random generator failed");
  return hex(buffer.data(), bytes);
}

std::string secureId(std::string_view prefix) {
  std::uint64_t bits[2] = {};
  LP_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(bits), sizeof(bits)) == 1,
           "the OS random generator failed");
  auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  // Monotonic within the process (as ULIDs' monotonic mode): ids made in the same millisecond,
  // or after the clock stepped back, sort in the order they were made — the last one's random
  // part plus one; the first of each millisecond stays random.
  static std::mutex mutex;
  static std::uint64_t last_ms = 0;
  static std::string last_random;
  std::lock_guard lock(mutex);
  std::string random = timeSortableId("", ms, bits[0], bits[1]).substr(11);
  if (ms <= last_ms) {
    ms = last_ms;
    random = last_random;
    for (std::size_t i = random.size(); i-- > 0;) {  // + 1 in base 32, carrying leftwards
      const char* at = std::strchr(kIdAlphabet, random[i]);
      if (at[1] != '\0') {
        random[i] = at[1];
        break;
      }
      random[i] = kIdAlphabet[0];
    }
  }
  last_ms = ms;
  last_random = random;
  return idTimePrefix(prefix, ms) + random;
}

std::string base64UrlEncode(std::string_view data) {
  std::string out = base64Encode(data);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  if (text.find_first_of("+/=") != std::string_view::npos) return std::nullopt;
  std::string padded(text);
  for (char& c : padded) c = c == '-' ? '+' : c == '_' ? '/' : c;
  padded.append((4 - padded.size() % 4) % 4, '=');
  return base64Decode(padded);
}

std::string certificateFingerprint(std::string_view der) {
  const std::string digest = sha256Hex(der);
  std::string out;
  for (std::size_t i = 0; i < digest.size(); i += 2) {
    if (!out.empty()) out += ':';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(digest[i])));
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(digest[i + 1])));
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  LP_CHECK(EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) == 1,
           "sha-256 failed");
  return hex(digest, size);
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  LP_CHECK(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
                &size) != nullptr,
           "hmac-sha256 failed");
  return {reinterpret_cast<const char*>(digest), size};
}

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
  const std::string digest = hmacSha256(key, data);
  return hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

std::string randomBytes(std::size_t bytes) {
  std::string buffer(bytes, '\0');
  LP_CHECK(
      RAND_bytes(reinterpret_cast<unsigned char*>(buffer.data()), static_cast<int>(bytes)) == 1,
      "the OS random generator failed");
  return buffer;
}

std::string base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes: drop them.
  std::size_t size = static_cast<std::size_t>(n);
  if (text.ends_with("==")) {
    size -= 2;
  } else if (text.ends_with('=')) {
    size -= 1;
  }
  out.resize(size);
  return out;
}

namespace {

std::string aes256Block(std::string_view key, std::string_view block, bool encrypt) {
  LP_CHECK(key.size() == 32 && block.size() == 16, "AES-256 takes a 32-byte key, 16-byte blocks");
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  std::string out(32, '\0');
  int n = 0;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  LP_CHECK(ctx &&
               EVP_CipherInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr, k, nullptr,
                                 encrypt ? 1 : 0) == 1 &&
               EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1 &&
               EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                                reinterpret_cast<const unsigned char*>(block.data()), 16) == 1,
           "AES failed");
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

std::string aes256EncryptBlock(std::string_view key, std::string_view block) {
  return aes256Block(key, block, true);
}
std::string aes256DecryptBlock(std::string_view key, std::string_view block) {
  return aes256Block(key, block, false);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace lightpath
