// AES-256-GCM from OpenSSL; the master key's file is made atomically (a second process starting
// at the same moment reads the first one's key instead of making its own).
#include "lightpath/base/seal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "lightpath/base/check.h"
#include "lightpath/base/crypto.h"

namespace lightpath {
namespace {

constexpr std::string_view kPrefix = "sealed:v1:";
constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CipherDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// nonce | ciphertext | tag, under `key`, with `aad` authenticated.
std::string encrypt(std::string_view key, std::string_view plaintext, std::string_view aad) {
  const std::string nonce = randomBytes(kNonceBytes);
  std::string out = nonce;
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  CipherPtr ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  LP_CHECK(ctx &&
               EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key),
                                  bytes(nonce)) == 1 &&
               EVP_EncryptUpdate(ctx.get(), nullptr, &n, bytes(aad),
                                 static_cast<int>(aad.size())) == 1 &&
               EVP_EncryptUpdate(ctx.get(), data + kNonceBytes, &n, bytes(plaintext),
                                 static_cast<int>(plaintext.size())) == 1 &&
               EVP_EncryptFinal_ex(ctx.get(), data + kNonceBytes + n, &n) == 1 &&
               EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                                   data + kNonceBytes + plaintext.size()) == 1,
           "AES-256-GCM encryption failed");
  return out;
}

// The plaintext, or nothing when `sealed` is damaged, for another `aad`, or under another key.
std::optional<std::string> decrypt(std::string_view key, std::string_view sealed,
                                   std::string_view aad) {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::size_t length = sealed.size() - kNonceBytes - kTagBytes;
  std::string out(length, '\0');
  std::string tag(sealed.substr(kNonceBytes + length));
  CipherPtr ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  int last = 0;
  const bool ok =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(sealed)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                        bytes(sealed) + kNonceBytes, static_cast<int>(length)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &last) == 1;
  if (!ok) return std::nullopt;
  return out;
}

std::vector<std::string_view> split(std::string_view text, char by) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(by);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

Result<Sealer> keyFromBase64(std::string_view text, const std::string& where) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  auto key = base64Decode(text);
  if (!key || key->size() != kKeyBytes) {
    return fail(invalidArgument(
        fmt::format("{}: a master key is the base64 of 32 random bytes (e.g. `openssl rand "
                    "-base64 32`)",
                    where)));
  }
  return Sealer::fromKey(std::move(*key));
}

// Writes a new key to `path` unless one is there; either way the key in `path` is loaded.
Result<MasterKey> makeKeyFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path dir = fs::path(path).parent_path();
  if (!dir.empty() && !fs::exists(dir, error)) {
    fs::create_directories(dir, error);
    if (error)
      return fail(unavailable(fmt::format("{}: cannot make: {}", dir.string(), error.message())));
    fs::permissions(dir, fs::perms::owner_all, error);
  }
  const std::string temp = fmt::format("{}.{}.tmp", path, ::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(unavailable(fmt::format("{}: cannot write: {}", temp, std::strerror(errno))));
  const std::string line = base64Encode(randomBytes(kKeyBytes)) + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  // link() does not replace: the first process to get there made the key everyone uses.
  const bool linked = written && ::link(temp.c_str(), path.c_str()) == 0;
  const int link_error = errno;
  ::unlink(temp.c_str());
  if (!written) return fail(unavailable(fmt::format("{}: cannot write", temp)));
  if (!linked && link_error != EEXIST) {
    return fail(unavailable(fmt::format("{}: cannot make: {}", path, std::strerror(link_error))));
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  LP_ASSIGN_OR_RETURN(Sealer sealer, keyFromBase64(text.str(), path));
  return MasterKey{std::move(sealer), path, linked};
}

}  // namespace

Result<Sealer> Sealer::fromKey(std::string key) {
  if (key.size() != kKeyBytes)
    return fail(invalidArgument(fmt::format("a master key has 32 bytes, not {}", key.size())));
  std::string id = "mk_" + sha256Hex("lightpath master key\n" + key).substr(0, 12);
  return Sealer(std::move(key), std::move(id));
}

std::string Sealer::seal(std::string_view plaintext, std::string_view context) const {
  const std::string data_key = randomBytes(kKeyBytes);
  return fmt::format("{}{}:{}:{}", kPrefix, key_id_, base64Encode(encrypt(key_, data_key, key_id_)),
                     base64Encode(encrypt(data_key, plaintext, context)));
}

Result<std::string> Sealer::open(std::string_view sealed, std::string_view context) const {
  if (!isSealed(sealed)) return fail(invalidArgument("not a sealed value"));
  const auto parts = split(sealed.substr(kPrefix.size()), ':');
  if (parts.size() != 3) return fail(invalidArgument("a sealed value is damaged"));
  if (parts[0] != key_id_) {
    return fail(failedPrecondition(fmt::format(
        "sealed under master key {}, and this process has {} (give every instance the same "
        "master key)",
        parts[0], key_id_)));
  }
  const auto wrapped = base64Decode(parts[1]);
  const auto value = base64Decode(parts[2]);
  if (!wrapped || !value) return fail(invalidArgument("a sealed value is damaged"));
  const auto data_key = decrypt(key_, *wrapped, key_id_);
  if (!data_key) return fail(invalidArgument("a sealed value is damaged"));
  auto plaintext = decrypt(*data_key, *value, context);
  if (!plaintext)
    return fail(invalidArgument(fmt::format("a sealed value is damaged or not {}'s", context)));
  return std::move(*plaintext);
}

bool Sealer::isSealed(std::string_view value) { return value.starts_with(kPrefix); }

std::string Sealer::derive(std::string_view purpose) const { return hmacSha256(key_, purpose); }

std::string defaultMasterKeyFile() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  const std::string base = config && *config ? config
                           : home && *home   ? std::string(home) + "/.config"
                                             : ".config";
  return base + "/lightpath/master.key";
}

Result<MasterKey> loadMasterKey(const std::string& file) {
  if (const char* env = std::getenv("LIGHTPATH_MASTER_KEY"); env && *env) {
    LP_ASSIGN_OR_RETURN(Sealer sealer, keyFromBase64(env, "LIGHTPATH_MASTER_KEY"));
    return MasterKey{std::move(sealer), "LIGHTPATH_MASTER_KEY", false};
  }
  const std::string path = file.empty() ? defaultMasterKeyFile() : file;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return makeKeyFile(path);
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    return fail(failedPrecondition(
        fmt::format("{}: others may read the master key (mode {:o}): chmod 600 it", path,
                    info.st_mode & 0777)));
  }
  std::ifstream in(path);
  if (!in) return fail(unavailable(fmt::format("{}: cannot read", path)));
  std::stringstream text;
  text << in.rdbuf();
  LP_ASSIGN_OR_RETURN(Sealer sealer, keyFromBase64(text.str(), path));
  return MasterKey{std::move(sealer), path, false};
}

}  // namespace lightpath
