// One NETCONF session over SSH to one device (RFC 6241 over RFC 6242), on libssh and
// libnetconf2. SSH is set up here, so that the host key is checked against the configured
// known_hosts file (an unknown or changed key is refused with the reason) and the client key
// is the configured one; libnetconf2 then speaks NETCONF on the authenticated session, with
// the schemas given here: the device's own module (which Lightpath carries) and the NETCONF base
// module from a directory (Debian's libyuma-base). Asking the device for its schemas
// (<get-schema>) instead costs a second per session, and netconfd 2.13 crashes on the second
// session that does it.
//
// Not thread-safe: the device that owns a session serialises its calls. Every call has a
// deadline; a call that misses it or loses the transport leaves the session broken (a late
// reply must never be taken for the next call's), and the owner opens a new one.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/base/status.h"

struct nc_session;
struct nc_rpc;
struct ly_ctx;

namespace lightpath {

// How to reach one device. The key file is read when connecting and never kept in memory
// longer; nothing here is ever logged or shown beyond host, port and user.
struct NetconfAccess {
  std::string host;
  std::uint16_t port = 830;
  std::string username;
  std::string key_file;                     // the client's private key (OpenSSH format)
  std::string known_hosts;                  // the device's host key must be listed here
  std::chrono::milliseconds timeout{5000};  // connect, and each call
  std::string schema;                       // the YANG text of the device's module
  std::string schema_dir = "/usr/share/yuma/modules/ietf";  // holds ietf-netconf and its imports
};

enum class Datastore { Running, Candidate };

class NetconfSession {
 public:
  // Unavailable when the device cannot be reached or the session fails; PermissionDenied for an
  // unknown or changed host key or a refused client key (retrying will not help).
  static Result<std::unique_ptr<NetconfSession>> open(const NetconfAccess& access);
  ~NetconfSession();
  NetconfSession(const NetconfSession&) = delete;
  NetconfSession& operator=(const NetconfSession&) = delete;

  // Whether the device advertised the capability
  // ("urn:ietf:params:netconf:capability:candidate:1.0" or its short form ":candidate").
  bool supports(std::string_view capability) const;
  bool broken() const { return broken_; }

  // <edit-config> of `config` (the content of <config>) with rollback-on-error; `test_only`
  // asks the device to validate without applying (:validate). A refusal is FailedPrecondition
  // with the device's own error message and path.
  Status edit(Datastore target, const std::string& config, bool test_only);
  Status commit();
  Status discardChanges();
  // The content of <data> of a <get-config> with this subtree filter, as XML text.
  Result<std::string> getConfig(Datastore source, const std::string& filter);

 private:
  NetconfSession(ly_ctx* schemas, nc_session* session, std::string where,
                 std::chrono::milliseconds timeout);
  // Sends and waits for the reply; the reply's <data> (if any) as XML text.
  Result<std::string> call(nc_rpc* rpc, const char* what);

  ly_ctx* schemas_;  // outlives the session, which uses it
  nc_session* session_;
  std::string where_;  // "user@host:port", for messages
  std::chrono::milliseconds timeout_;
  bool broken_ = false;
};

}  // namespace lightpath
