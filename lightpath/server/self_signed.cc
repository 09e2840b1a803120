// OpenSSL 3: EVP_EC_gen for the key, X509 v3 with subjectAltName, PEM files.
#include "lightpath/server/self_signed.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <ifaddrs.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "lightpath/base/crypto.h"

namespace lightpath {
namespace {

struct Free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(X509* c) const { X509_free(c); }
  void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); }
  void operator()(std::FILE* f) const { std::fclose(f); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

bool isAddress(const std::string& name) {
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, name.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

// This machine's addresses: a server on 0.0.0.0 or :: answers on each of them.
std::vector<std::string> localAddresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    const int family = i->ifa_addr->sa_family;
    const void* address =
        family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr)
        : family == AF_INET6
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr)
            : nullptr;
    if (address && ::inet_ntop(family, address, text, sizeof text)) out.emplace_back(text);
  }
  ::freeifaddrs(list);
  return out;
}

std::string hostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "";
  return name;
}

Result<std::string> fingerprintOfFile(const std::string& path) {
  Owned<std::FILE> in(std::fopen(path.c_str(), "r"));
  if (!in) return fail(unavailable(fmt::format("{}: cannot read", path)));
  Owned<X509> cert(PEM_read_X509(in.get(), nullptr, nullptr, nullptr));
  if (!cert) return fail(invalidArgument(fmt::format("{}: not a PEM certificate", path)));
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert.get(), &der);
  if (length <= 0) return fail(invalidArgument(fmt::format("{}: cannot encode", path)));
  std::string fingerprint =
      certificateFingerprint(std::string_view(reinterpret_cast<char*>(der), length));
  OPENSSL_free(der);
  return fingerprint;
}

// Writes with `mode` from the start (never readable by others, not even for a moment).
Status writePem(const std::string& path, mode_t mode, const std::function<int(std::FILE*)>& put) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return unavailable(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  Owned<std::FILE> out(::fdopen(fd, "w"));
  if (!out) {
    ::close(fd);
    return unavailable(fmt::format("{}: cannot write", path));
  }
  if (put(out.get()) != 1) return unavailable(fmt::format("{}: cannot write", path));
  return Status::ok();
}

Status makeCertificate(const std::string& cert_file, const std::string& key_file,
                       const std::vector<std::string>& names) {
  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  Owned<X509> cert(X509_new());
  if (!key || !cert) return internalError("cannot make a key");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return internalError("no random serial");
  serial[0] &= 0x7f;  // a positive number
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert.get()));
  BN_free(number);
  X509_set_version(cert.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  const std::string common = "Lightpath " + (names.empty() ? "localhost" : names.front());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  std::string alt;
  for (const std::string& n : names) {
    if (!alt.empty()) alt += ",";
    alt += (isAddress(n) ? "IP:" : "DNS:") + n;
  }
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  const std::vector<std::pair<int, std::string>> extensions = {
      {NID_subject_alt_name, alt},
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature"},
      {NID_ext_key_usage, "serverAuth"}};
  for (const auto& [nid, value] : extensions) {
    Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str()));
    if (!ext || X509_add_ext(cert.get(), ext.get(), -1) != 1)
      return internalError(fmt::format("cannot add the extension {}", value));
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return internalError("cannot sign the certificate");
  LP_RETURN_IF_ERROR(writePem(key_file, 0600, [&](std::FILE* f) {
    return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  }));
  return writePem(cert_file, 0644, [&](std::FILE* f) { return PEM_write_X509(f, cert.get()); });
}

}  // namespace

bool isLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  const std::string text(host);
  return ::inet_pton(AF_INET, text.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

Result<SelfSignedCertificate> ensureSelfSignedCertificate(
    const std::string& dir, const std::vector<std::string>& extra_names) {
  namespace fs = std::filesystem;
  SelfSignedCertificate out{(fs::path(dir) / "cert.pem").string(),
                            (fs::path(dir) / "key.pem").string(), "", false};
  std::error_code error;
  if (!fs::exists(out.certificate_file, error) || !fs::exists(out.key_file, error)) {
    fs::create_directories(dir, error);
    if (error) return fail(unavailable(fmt::format("{}: cannot make: {}", dir, error.message())));
    std::vector<std::string> names;
    if (const std::string host = hostName(); !host.empty()) names.push_back(host);
    for (const std::string& n : extra_names) {
      if (n == "0.0.0.0" || n == "::") {
        for (std::string& a : localAddresses()) names.push_back(std::move(a));
      } else if (!n.empty()) {
        names.push_back(n);
      }
    }
    for (const char* n : {"localhost", "127.0.0.1", "::1"}) names.emplace_back(n);
    std::sort(names.begin() + 1, names.end());  // the host name first: it is the common name
    names.erase(std::unique(names.begin() + 1, names.end()), names.end());
    LP_RETURN_IF_ERROR(makeCertificate(out.certificate_file, out.key_file, names));
    out.created = true;
  }
  LP_ASSIGN_OR_RETURN(out.fingerprint, fingerprintOfFile(out.certificate_file));
  return out;
}

}  // namespace lightpath
