// HTTPS without a certificate to hand: `serve` listening beyond loopback makes a self-signed one
// in its data directory on the first start, keeps it, and prints its fingerprint, which clients
// pin (`lightpath --pin`, curl --pinnedpubkey is for keys: use --cacert FILE).
//
//   LP_ASSIGN_OR_RETURN(auto cert, ensureSelfSignedCertificate(data_dir + "/tls", {"10.0.0.5"}));
//   http.tls_certificate_file = cert.certificate_file;
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lightpath/base/status.h"

namespace lightpath {

struct SelfSignedCertificate {
  std::string certificate_file;  // DIR/cert.pem
  std::string key_file;          // DIR/key.pem (0600)
  std::string fingerprint;       // SHA-256 of the certificate, "AB:CD:..."
  bool created = false;          // made now (else found from an earlier start)
};

// The certificate in `dir`, made on first use: an EC P-256 key, valid two years, for localhost,
// 127.0.0.1, ::1, this host's name and `extra_names` (addresses or DNS names).
Result<SelfSignedCertificate> ensureSelfSignedCertificate(
    const std::string& dir, const std::vector<std::string>& extra_names);
// Whether listening on `host` reaches this machine only (127.0.0.0/8, ::1, localhost).
bool isLoopbackHost(std::string_view host);

}  // namespace lightpath
